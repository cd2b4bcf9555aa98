#pragma once
// Values from outside (usernames, emails, names, paths, DNs) go into log lines through logSafe, so
// a client cannot forge a line with a newline, reach the terminal or journal with control bytes, or
// write a megabyte into one line.
#include <cstddef>
#include <string>
#include <string_view>

namespace rosterd {

/// `value` safe for one log line: backslash, \n, \r and \t escaped as `\\`, `\n`, `\r`, `\t`;
/// other control characters (C0 incl. NUL and ESC, DEL, C1) and bytes that are not well-formed
/// UTF-8 as `\xNN` per byte; at most `max` input bytes kept (never cutting a character), the rest
/// counted as `…(+N bytes)`.
std::string logSafe(std::string_view value, std::size_t max = 256);

}  // namespace rosterd
