#pragma once
// RFC 4180 writing, one record at a time: fields are quoted only when they need it (comma, quote,
// line break, leading or trailing space), inner quotes doubled, records end with CRLF. Cells that
// a spreadsheet would evaluate as a formula are neutralised with a leading apostrophe.
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace rosterd::csv {

struct WriterOptions {
    std::string lineEnd = "\r\n";
    /// Prefix cells starting with = + - @ TAB or CR (and cells already so prefixed) with "'".
    bool neutraliseFormulas = true;
};

class CsvWriter {
public:
    /// Writes to `out`, which must outlive the writer.
    explicit CsvWriter(std::ostream& out, WriterOptions options = {});
    /// Writes one record.
    void writeRow(const std::vector<std::string>& fields);
    /// Records written so far.
    std::size_t rows() const { return rows_; }

private:
    std::ostream& out_;
    WriterOptions options_;
    std::size_t rows_ = 0;
};

/// One field as it appears in the file (quoted and neutralised as needed).
std::string encodeField(std::string_view value, bool neutraliseFormulas = true);
/// Whether a spreadsheet would run `value` as a formula (or it is an already neutralised one).
bool needsNeutralising(std::string_view value);
/// Undoes neutralisation: "'=x" -> "=x", "''=x" -> "'=x"; other values unchanged.
std::string unneutralise(std::string_view value);

}  // namespace rosterd::csv
