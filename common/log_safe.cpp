#include "common/log_safe.h"

#include <algorithm>

#include "common/utf8.h"

namespace rosterd {

namespace {
void appendHex(std::string& out, unsigned char b) {
    static constexpr char kDigits[] = "0123456789abcdef";
    out += "\\x";
    out += kDigits[b >> 4];
    out += kDigits[b & 0x0F];
}
}  // namespace

std::string logSafe(std::string_view value, std::size_t max) {
    std::string out;
    out.reserve(std::min(value.size(), max) + 16);
    std::size_t i = 0;
    while (i < value.size()) {
        std::size_t start = i;
        char32_t cp;
        if (!utf8::decode(value, i, cp)) {
            if (start >= max) break;
            appendHex(out, static_cast<unsigned char>(value[start]));
            i = start + 1;
            continue;
        }
        if (i > max) {  // this character would cross the cap
            i = start;
            break;
        }
        if (cp == '\\')
            out += "\\\\";
        else if (cp == '\n')
            out += "\\n";
        else if (cp == '\r')
            out += "\\r";
        else if (cp == '\t')
            out += "\\t";
        else if (utf8::isControl(cp))
            for (std::size_t k = start; k < i; ++k) appendHex(out, static_cast<unsigned char>(value[k]));
        else
            out.append(value.substr(start, i - start));
    }
    if (i < value.size()) out += "\xE2\x80\xA6(+" + std::to_string(value.size() - i) + " bytes)";
    return out;
}

}  // namespace rosterd
