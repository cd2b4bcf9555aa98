#pragma once
// `rosterd migrate` (and the other one-shot commands) run as root would leave a root-owned
// SQLite file the service user cannot write. Run as root, they hand the files they created to
// the owner the folder (or the existing file) already has.
#include <optional>
#include <string>

#include "db/store.h"

namespace rosterd::daemon {

class SqliteOwnership {
public:
    /// Notes the owner the files must keep; does nothing unless run as root on SQLite.
    explicit SqliteOwnership(const db::StoreConfig& database);
    /// Gives the database file and its -wal/-shm files to that owner; returns what it did, if anything.
    std::optional<std::string> restore() const;

private:
    std::string path_;  ///< empty: nothing to do
    unsigned uid_ = 0;
    unsigned gid_ = 0;
    std::string ownerSource_;  ///< "its folder" or "the existing file", for the message
};

}  // namespace rosterd::daemon
