#pragma once
// RFC 4180 reading, one record at a time: quoted fields with embedded commas, quotes ("") and line
// breaks; CRLF, LF or CR line ends; a UTF-8 byte order mark at the start is skipped. Input that is
// not valid UTF-8 or breaks the quoting rules fails with the record and line where it happened.
#include <cstddef>
#include <istream>
#include <string>
#include <vector>

#include "common/errors.h"

namespace rosterd::csv {

/// Malformed CSV (maps to 400). `row` counts records from 1 (the header is row 1); `line` is the
/// physical line where the problem was found.
class CsvError : public InvalidInput {
public:
    CsvError(std::size_t row, std::size_t line, const std::string& reason);
    std::size_t row() const { return row_; }
    std::size_t line() const { return line_; }

private:
    std::size_t row_;
    std::size_t line_;
};

class CsvReader {
public:
    /// Reads from `in`, which must outlive the reader.
    explicit CsvReader(std::istream& in);
    /// Reads the next record into `fields`; false at the end of input. Throws CsvError.
    bool next(std::vector<std::string>& fields);
    /// The number of the record last returned (1 = the first record, usually the header).
    std::size_t row() const { return row_; }
    /// The line on which the record last returned started.
    std::size_t line() const { return startLine_; }

private:
    int get();
    int peek();
    void fail(const std::string& reason) const;

    std::streambuf* buf_;
    bool started_ = false;
    std::size_t row_ = 0;
    std::size_t line_ = 1;
    std::size_t startLine_ = 1;
};

/// Whether `s` is well-formed UTF-8 (no overlongs, surrogates or code points above U+10FFFF).
bool isValidUtf8(const std::string& s);

}  // namespace rosterd::csv
