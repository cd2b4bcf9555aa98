#pragma once
// What an operator needs when the SQLite file cannot be opened or written: the file, the OS
// reason (or who owns what), and the command that fixes it.
#include <string>

#include "db/storage_file_error.h"

namespace rosterd::daemon {

/// One line naming the file, the reason and the fix; `configuredPath` is used when the error has
/// no path of its own.
std::string explainStorageFileError(const StorageFileError& e, const std::string& configuredPath);

/// "name:group (mode 0640)" of an existing file, or "missing".
std::string describeOwnership(const std::string& path);

/// The user name of `uid` (or "uid N" when it has none).
std::string userName(unsigned uid);

/// The group name of `gid` (or "gid N" when it has none).
std::string groupName(unsigned gid);

}  // namespace rosterd::daemon
