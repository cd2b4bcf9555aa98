#pragma once
// ASCII-only case mapping for protocol tokens (config keys, URL schemes, media types), which are
// case-insensitive in ASCII only; user-visible identifiers fold with foldCase (common/case_fold.h).
#include <algorithm>
#include <string>

namespace rosterd {

inline std::string asciiLower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); });
    return s;
}

}  // namespace rosterd
