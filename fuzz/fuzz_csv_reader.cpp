// Fuzzes the RFC 4180 reader: any bytes either read as records or fail with CsvError, and what was
// read survives a write and a second read unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "common/csv_reader.h"
#include "common/csv_writer.h"

namespace {

using Records = std::vector<std::vector<std::string>>;

/// Every record of `text`; throws CsvError.
Records readAll(const std::string& text) {
    std::istringstream in(text);
    rosterd::csv::CsvReader reader(in);
    Records out;
    std::vector<std::string> fields;
    while (reader.next(fields)) out.push_back(fields);
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    Records records;
    try {
        records = readAll(text);
    } catch (const rosterd::csv::CsvError&) {
        return 0;
    }
    for (const auto& r : records)
        for (const auto& f : r)
            if (!rosterd::csv::isValidUtf8(f)) std::abort();  // the reader promises UTF-8 fields

    std::ostringstream written;
    rosterd::csv::CsvWriter writer(written, {"\r\n", false});
    for (const auto& r : records) writer.writeRow(r);
    Records again = readAll(written.str());
    if (again != records) std::abort();
    return 0;
}
