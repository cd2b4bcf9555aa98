#pragma once
// A password given to a command: from a file, or typed (or piped) on standard input.
#include <string>

namespace rosterd::daemon {

/// The first line of `path`, or of stdin when `path` is empty, without its line end. Throws
/// InvalidInput when the file cannot be read or the line is empty.
std::string readPassword(const std::string& path);

}  // namespace rosterd::daemon
