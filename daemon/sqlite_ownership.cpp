#include "daemon/sqlite_ownership.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/errors.h"
#include "daemon/store_file_diagnosis.h"
#include "db/database_url.h"
#include "db/storage_file_error.h"

namespace rosterd::daemon {

SqliteOwnership::SqliteOwnership(const db::StoreConfig& database) {
    if (::geteuid() != 0) return;
    db::DatabaseUrl url = db::parseDatabaseUrl(database.url);
    if (url.driver != db::Driver::Sqlite) return;
    std::string path = url.target;
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) {
        ownerSource_ = "the existing file";
    } else {
        std::string dir = std::filesystem::path(path).parent_path().string();
        if (::stat(dir.empty() ? "." : dir.c_str(), &st) != 0) return;  // the store reports the missing folder
        ownerSource_ = "its folder";
    }
    if (st.st_uid == 0 && st.st_gid == 0) return;  // root's files stay root's
    path_ = path;
    uid_ = st.st_uid;
    gid_ = st.st_gid;
}

std::optional<std::string> SqliteOwnership::restore() const {
    if (path_.empty()) return std::nullopt;
    std::string changed;
    for (const std::string& p : {path_, path_ + "-wal", path_ + "-shm"}) {
        struct stat st {};
        if (::stat(p.c_str(), &st) != 0 || (st.st_uid == uid_ && st.st_gid == gid_)) continue;
        if (::chown(p.c_str(), uid_, gid_) != 0)
            throw StorageFileError("cannot give '" + p + "' to " + userName(uid_) + ": " + std::strerror(errno), p,
                                   errno);
        changed += (changed.empty() ? "" : ", ") + p;
    }
    if (changed.empty()) return std::nullopt;
    return "gave " + changed + " to " + userName(uid_) + ":" + groupName(gid_) + ", the owner of " + ownerSource_;
}

}  // namespace rosterd::daemon
