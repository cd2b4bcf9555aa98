#include "common/csv_writer.h"

namespace rosterd::csv {

namespace {
bool isTrigger(char c) { return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r'; }

/// Apostrophes followed by a formula trigger: such a cell is prefixed once more on the way out so
/// that stripping one apostrophe on the way in gives back exactly what was stored.
bool apostrophesThenTrigger(std::string_view v) {
    std::size_t i = 0;
    while (i < v.size() && v[i] == '\'') ++i;
    return i < v.size() && isTrigger(v[i]);
}
}  // namespace

bool needsNeutralising(std::string_view value) { return apostrophesThenTrigger(value); }

std::string unneutralise(std::string_view value) {
    if (value.size() >= 2 && value[0] == '\'' && apostrophesThenTrigger(value.substr(1)))
        return std::string(value.substr(1));
    return std::string(value);
}

std::string encodeField(std::string_view value, bool neutraliseFormulas) {
    std::string v;
    if (neutraliseFormulas && needsNeutralising(value)) v.push_back('\'');
    v.append(value);
    // A leading U+FEFF is quoted too: a reader skips one at the start of a file as a byte order mark.
    bool quote = v.find_first_of(",\"\r\n") != std::string::npos ||
                 (!v.empty() && (v.front() == ' ' || v.back() == ' ' || v.front() == '\t' || v.back() == '\t')) ||
                 v.rfind("\xEF\xBB\xBF", 0) == 0;
    if (!quote) return v;
    std::string out;
    out.reserve(v.size() + 2);
    out.push_back('"');
    for (char c : v) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

CsvWriter::CsvWriter(std::ostream& out, WriterOptions options) : out_(out), options_(std::move(options)) {}

void CsvWriter::writeRow(const std::vector<std::string>& fields) {
    std::string line;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) line.push_back(',');
        line += encodeField(fields[i], options_.neutraliseFormulas);
    }
    // A record of one empty field would read back as a blank line: quote it so it stays a record.
    if (fields.size() == 1 && fields[0].empty()) line = "\"\"";
    line += options_.lineEnd;
    out_ << line;
    ++rows_;
}

}  // namespace rosterd::csv
