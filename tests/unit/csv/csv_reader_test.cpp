#include "common/csv_reader.h"

#include <catch2/catch.hpp>
#include <sstream>

using rosterd::csv::CsvError;
using rosterd::csv::CsvReader;
using Rows = std::vector<std::vector<std::string>>;

namespace {
Rows readAll(const std::string& text) {
    std::istringstream in(text);
    CsvReader r(in);
    Rows rows;
    std::vector<std::string> f;
    while (r.next(f)) rows.push_back(f);
    return rows;
}

CsvError errorOf(const std::string& text) {
    try {
        readAll(text);
    } catch (const CsvError& e) {
        return e;
    }
    FAIL("no CsvError for: " << text);
    return CsvError(0, 0, "");
}
}  // namespace

TEST_CASE("plain records with LF, CRLF and CR line ends read the same") {
    Rows want = {{"a", "b", "c"}, {"1", "2", "3"}};
    CHECK(readAll("a,b,c\n1,2,3\n") == want);
    CHECK(readAll("a,b,c\r\n1,2,3\r\n") == want);
    CHECK(readAll("a,b,c\r1,2,3\r") == want);
    CHECK(readAll("a,b,c\n1,2,3") == want);  // no final line end
}

TEST_CASE("empty input has no records; empty fields are kept") {
    CHECK(readAll("").empty());
    CHECK(readAll(",,\n") == Rows{{"", "", ""}});
    CHECK(readAll("a,\n") == Rows{{"a", ""}});
    CHECK(readAll("\n") == Rows{{""}});
    CHECK(readAll("\"\"\n") == Rows{{""}});
}

TEST_CASE("quoted fields keep commas, doubled quotes and line breaks") {
    CHECK(readAll("\"a,b\",c\n") == Rows{{"a,b", "c"}});
    CHECK(readAll("\"say \"\"hi\"\"\",x\n") == Rows{{"say \"hi\"", "x"}});
    CHECK(readAll("\"line1\nline2\",x\r\nnext,y\r\n") == Rows{{"line1\nline2", "x"}, {"next", "y"}});
    CHECK(readAll("\"crlf\r\ninside\"\r\n") == Rows{{"crlf\r\ninside"}});
    CHECK(readAll("\"\",\"\"\n") == Rows{{"", ""}});
    CHECK(readAll("\"\"\"\"\n") == Rows{{"\""}});
}

TEST_CASE("spaces are data, not trimmed") { CHECK(readAll(" a , b \n") == Rows{{" a ", " b "}}); }

TEST_CASE("a UTF-8 byte order mark is skipped only at the start") {
    CHECK(readAll("\xEF\xBB\xBFName,Email\r\n") == Rows{{"Name", "Email"}});
    CHECK(readAll("\xEF\xBB\xBF") == Rows{});
    CHECK(readAll("x\n\xEF\xBB\xBFy\n") == Rows{{"x"}, {"\xEF\xBB\xBFy"}});
    // Found by fuzz/fuzz_csv_reader.cpp: characters sharing the mark's first bytes are data.
    CHECK(readAll("\xEF\xBD\x86,x\n") == Rows{{"\xEF\xBD\x86", "x"}});  // U+FF46, fullwidth f
    CHECK(readAll("\xEF\xBB\xBE\n") == Rows{{"\xEF\xBB\xBE"}});         // U+FEFE
    CHECK(readAll("J\xC3\xB6rg,\xE6\x9D\xB1\xE4\xBA\xAC,\xF0\x9F\x98\x80\n") ==
          Rows{{"J\xC3\xB6rg", "\xE6\x9D\xB1\xE4\xBA\xAC", "\xF0\x9F\x98\x80"}});
}

TEST_CASE("row and line numbers follow records, not physical lines") {
    std::istringstream in("h1,h2\n\"multi\nline\",x\nlast,y\n");
    CsvReader r(in);
    std::vector<std::string> f;
    REQUIRE(r.next(f));
    CHECK(r.row() == 1);
    CHECK(r.line() == 1);
    REQUIRE(r.next(f));
    CHECK(r.row() == 2);
    CHECK(r.line() == 2);
    REQUIRE(r.next(f));
    CHECK(r.row() == 3);
    CHECK(r.line() == 4);
    CHECK_FALSE(r.next(f));
}

TEST_CASE("an unterminated quote names the row and the line it opened on") {
    auto e = errorOf("a,b\nc,\"open\nmore\nstill\n");
    CHECK(e.row() == 2);
    CHECK(std::string(e.what()).find("unterminated quoted field 2") != std::string::npos);
    CHECK(std::string(e.what()).find("opened on line 2") != std::string::npos);
    CHECK(std::string(e.what()).find("CSV row 2") != std::string::npos);
}

TEST_CASE("stray quotes are refused with the row") {
    auto inside = errorOf("a,b\nx,ab\"c\n");
    CHECK(inside.row() == 2);
    CHECK(inside.line() == 2);
    CHECK(std::string(inside.what()).find("stray quote in unquoted field 2") != std::string::npos);

    auto after = errorOf("a\nb\n\"closed\"tail\n");
    CHECK(after.row() == 3);
    CHECK(std::string(after.what()).find("after the closing quote of field 1") != std::string::npos);

    CHECK(errorOf(" \"lead\"\n").row() == 1);  // a quote after a space is not an opening quote
}

TEST_CASE("bytes that are not UTF-8 text are refused") {
    CHECK(std::string(errorOf("a\n\xFF\xFE,x\n").what()).find("row 2") != std::string::npos);
    CHECK(std::string(errorOf("ok\nbad\xC3\n").what()).find("not valid UTF-8") != std::string::npos);
    CHECK(std::string(errorOf(std::string("nul\0byte\n", 9)).what()).find("NUL") != std::string::npos);
    CHECK(errorOf("\xEF\xBB"
                  "x\n")
              .row() == 1);                       // broken byte order mark
    CHECK(errorOf("\xC0\xAF\n").row() == 1);      // overlong encoding of '/'
    CHECK(errorOf("\xED\xA0\x80\n").row() == 1);  // UTF-16 surrogate
}

TEST_CASE("CsvError is InvalidInput, so the HTTP layer answers 400") {
    try {
        readAll("\"x");
        FAIL("no error");
    } catch (const rosterd::InvalidInput& e) {
        CHECK(std::string(e.what()).find("unterminated") != std::string::npos);
    }
}

TEST_CASE("records stream one at a time from a long input") {
    std::string text = "n\n";
    for (int i = 0; i < 10000; ++i) text += "\"v," + std::to_string(i) + "\"\n";
    std::istringstream in(text);
    CsvReader r(in);
    std::vector<std::string> f;
    REQUIRE(r.next(f));
    int count = 0;
    while (r.next(f)) {
        REQUIRE(f.size() == 1);
        CHECK(f[0] == "v," + std::to_string(count));
        ++count;
    }
    CHECK(count == 10000);
    CHECK(r.row() == 10001);
}
