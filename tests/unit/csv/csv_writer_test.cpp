#include "common/csv_writer.h"

#include <catch2/catch.hpp>
#include <sstream>

#include "common/csv_reader.h"

using namespace rosterd::csv;

namespace {
std::string write(const std::vector<std::vector<std::string>>& rows, const WriterOptions& o = {}) {
    std::ostringstream out;
    CsvWriter w(out, o);
    for (const auto& r : rows) w.writeRow(r);
    return out.str();
}

std::vector<std::vector<std::string>> readBack(const std::string& text) {
    std::istringstream in(text);
    CsvReader r(in);
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> f;
    while (r.next(f)) rows.push_back(f);
    return rows;
}
}  // namespace

TEST_CASE("fields are quoted only when needed, records end with CRLF") {
    CHECK(write({{"a", "b c", "d"}}) == "a,b c,d\r\n");
    CHECK(write({{"a,b", "say \"hi\"", "two\nlines", "cr\rx"}}) ==
          "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rx\"\r\n");
    CHECK(write({{" lead", "trail ", ""}}) == "\" lead\",\"trail \",\r\n");
    CHECK(write({{""}}) == "\"\"\r\n");
    CHECK(write({{"x"}}, WriterOptions{"\n", true}) == "x\n");
}

TEST_CASE("formula cells are neutralised") {
    CHECK(encodeField("=SUM(A1:A2)") == "'=SUM(A1:A2)");
    CHECK(encodeField("+1") == "'+1");
    CHECK(encodeField("-2") == "'-2");
    CHECK(encodeField("@cmd") == "'@cmd");
    CHECK(encodeField("\tx") == "'\tx");
    CHECK(encodeField("\rx") == "\"'\rx\"");
    CHECK(encodeField("=HYPERLINK(\"http://x\",\"y\")") == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    CHECK(encodeField("=1+2,3") == "\"'=1+2,3\"");
    // Already-prefixed cells get one more apostrophe so that reading back is exact.
    CHECK(encodeField("'=x") == "''=x");
    CHECK(encodeField("a=b") == "a=b");
    CHECK(encodeField("'quoted'") == "'quoted'");
    CHECK(encodeField("=x", false) == "=x");
}

TEST_CASE("unneutralise undoes exactly what the writer added") {
    for (std::string v : {"=SUM(1)", "+1", "-2", "@x", "\tx", "'=x", "''@y", "'plain", "plain", "", "'", "a-b"}) {
        INFO(v);
        std::string field = readBack(write({{v}})).at(0).at(0);
        CHECK(unneutralise(field) == v);
    }
    CHECK(unneutralise("'plain") == "'plain");
}

TEST_CASE("whatever is written reads back the same") {
    std::vector<std::vector<std::string>> rows = {
        {"ID", "Name", "Email"},
        {"1", "O'Brien, \"Pat\"", "pat@example.com"},
        {"2", "multi\r\nline\nname", "x@example.com"},
        {"3", "J\xC3\xB6rg \xE6\x9D\xB1\xE4\xBA\xAC", ""},
        {"4", " spaced ", ",,,"},
    };
    CHECK(readBack(write(rows, WriterOptions{"\r\n", false})) == rows);
    CHECK(readBack(write(rows, WriterOptions{"\n", false})) == rows);
}

TEST_CASE("the writer counts rows") {
    std::ostringstream out;
    CsvWriter w(out);
    w.writeRow({"a"});
    w.writeRow({"b", "c"});
    CHECK(w.rows() == 2);
}

TEST_CASE("a first field starting with U+FEFF is quoted, so a reader does not take it for a byte order mark") {
    // Found by fuzz/fuzz_csv_reader.cpp: "\xEF\xBB\xBF" written bare read back as an empty field.
    std::vector<std::vector<std::string>> rows{{"\xEF\xBB\xBF", "x"}, {"\xEF\xBB\xBFy"}};
    std::string text = write(rows, {"\r\n", false});
    std::istringstream in(text);
    CsvReader reader(in);
    std::vector<std::vector<std::string>> back;
    std::vector<std::string> fields;
    while (reader.next(fields)) back.push_back(fields);
    CHECK(back == rows);
}
