#pragma once
// Strict UTF-8 decoding (no overlong forms, surrogates or code points above U+10FFFF), shared by
// the text-field validation and the log escaping.
#include <cstddef>
#include <optional>
#include <string_view>

namespace rosterd::utf8 {

/// Decodes the code point starting at s[i]; on success stores it in `cp`, advances `i` past it and
/// returns true. On an invalid or truncated sequence returns false and leaves `i` unchanged.
bool decode(std::string_view s, std::size_t& i, char32_t& cp);
/// Whether `s` is well-formed UTF-8.
bool valid(std::string_view s);
/// The number of code points in `s`, or nullopt when it is not well-formed UTF-8.
std::optional<std::size_t> length(std::string_view s);
/// Whether `cp` is a control character: C0 (U+0000-U+001F), DEL (U+007F) or C1 (U+0080-U+009F).
constexpr bool isControl(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

}  // namespace rosterd::utf8
