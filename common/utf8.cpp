#include "common/utf8.h"

namespace rosterd::utf8 {

bool decode(std::string_view s, std::size_t& i, char32_t& cp) {
    if (i >= s.size()) return false;
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char b0 = byte(i);
    if (b0 < 0x80) {
        cp = b0;
        ++i;
        return true;
    }
    std::size_t n;
    char32_t min;
    if ((b0 & 0xE0) == 0xC0) {
        n = 2, min = 0x80, cp = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
        n = 3, min = 0x800, cp = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
        n = 4, min = 0x10000, cp = b0 & 0x07;
    } else {
        return false;  // a continuation byte or 0xF8-0xFF cannot start a sequence
    }
    if (s.size() - i < n) return false;
    for (std::size_t k = 1; k < n; ++k) {
        unsigned char b = byte(i + k);
        if ((b & 0xC0) != 0x80) return false;
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n;
    return true;
}

std::optional<std::size_t> length(std::string_view s) {
    std::size_t i = 0, count = 0;
    char32_t cp;
    while (i < s.size()) {
        if (!decode(s, i, cp)) return std::nullopt;
        ++count;
    }
    return count;
}

bool valid(std::string_view s) { return length(s).has_value(); }

}  // namespace rosterd::utf8
