#pragma once
#include <string>

#include "common/errors.h"

namespace rosterd {

/// The SQLite database file (or its folder) cannot be created, opened or written: a
/// ConnectionError to the HTTP layer (503); the CLI gives it its own exit code and a diagnosis.
class StorageFileError : public ConnectionError {
public:
    StorageFileError(const std::string& what, std::string path, int osErrno)
        : ConnectionError(what), path_(std::move(path)), osErrno_(osErrno) {}
    const std::string& path() const { return path_; }  ///< the database file; may be empty
    int osErrno() const { return osErrno_; }           ///< errno of the failed system call, 0 when unknown

private:
    std::string path_;
    int osErrno_;
};

}  // namespace rosterd
