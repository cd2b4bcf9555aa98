#include "common/csv_reader.h"

namespace rosterd::csv {

CsvError::CsvError(std::size_t row, std::size_t line, const std::string& reason)
    : InvalidInput("CSV row " + std::to_string(row) + " (line " + std::to_string(line) + "): " + reason),
      row_(row),
      line_(line) {}

CsvReader::CsvReader(std::istream& in) : buf_(in.rdbuf()) {}

int CsvReader::get() { return buf_->sbumpc(); }
int CsvReader::peek() { return buf_->sgetc(); }

void CsvReader::fail(const std::string& reason) const { throw CsvError(row_, line_, reason); }

bool CsvReader::next(std::vector<std::string>& fields) {
    constexpr int eof = std::char_traits<char>::eof();
    if (!started_) {
        started_ = true;
        // A byte order mark is only meaningful as the very first bytes.
        static const unsigned char bom[] = {0xEF, 0xBB, 0xBF};
        // Text that merely starts like one (U+F000 to U+FFFF share its first byte, some its first
        // two) is data: the bytes read to tell are put back.
        if (peek() == bom[0]) {
            get();
            int taken = 1;
            if (peek() == bom[1]) {
                get();
                ++taken;
                if (peek() == bom[2]) {
                    get();
                    taken = 0;
                }
            }
            for (; taken > 0; --taken)
                if (buf_->sungetc() == eof) {
                    ++row_;
                    fail("the input starts with a broken byte order mark");
                }
        }
    }
    fields.clear();
    if (peek() == eof) return false;
    ++row_;
    startLine_ = line_;
    std::string field;
    std::size_t fieldNo = 1;
    auto finishField = [&] {
        if (field.find('\0') != std::string::npos) fail("field " + std::to_string(fieldNo) + " contains a NUL byte");
        if (!isValidUtf8(field)) fail("field " + std::to_string(fieldNo) + " is not valid UTF-8");
        fields.push_back(std::move(field));
        field.clear();
        ++fieldNo;
    };
    for (;;) {
        int c = get();
        if (c == '"') {
            if (!field.empty())
                fail("stray quote in unquoted field " + std::to_string(fieldNo) +
                     " (a field with quotes must be enclosed in quotes, with inner quotes doubled)");
            std::size_t openedOn = line_;
            for (;;) {
                int q = get();
                if (q == eof)
                    fail("unterminated quoted field " + std::to_string(fieldNo) + " (opened on line " +
                         std::to_string(openedOn) + ")");
                if (q == '"') {
                    if (peek() == '"') {
                        get();
                        field.push_back('"');
                        continue;
                    }
                    break;
                }
                if (q == '\n' || (q == '\r' && peek() != '\n')) ++line_;
                field.push_back(static_cast<char>(q));
            }
            int after = peek();
            if (after != ',' && after != '\n' && after != '\r' && after != eof)
                fail("stray character after the closing quote of field " + std::to_string(fieldNo) +
                     " (inner quotes must be doubled)");
            c = get();
            finishField();
            if (c == ',') continue;
            if (c == '\r' && peek() == '\n') get();
            if (c != eof) ++line_;
            return true;
        }
        if (c == ',') {
            finishField();
            continue;
        }
        if (c == '\r' || c == '\n' || c == eof) {
            if (c == '\r' && peek() == '\n') get();
            if (c != eof) ++line_;
            finishField();
            return true;
        }
        field.push_back(static_cast<char>(c));
    }
}

bool isValidUtf8(const std::string& s) {
    std::size_t i = 0;
    const std::size_t n = s.size();
    while (i < n) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len;
        unsigned int cp;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (i + len > n) return false;
        for (std::size_t k = 1; k < len; ++k) {
            unsigned char cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}

}  // namespace rosterd::csv
