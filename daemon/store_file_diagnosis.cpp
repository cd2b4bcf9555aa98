#include "daemon/store_file_diagnosis.h"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace rosterd::daemon {

std::string userName(unsigned uid) {
    const passwd* pw = getpwuid(uid);
    return pw ? std::string(pw->pw_name) : "uid " + std::to_string(uid);
}

std::string groupName(unsigned gid) {
    const group* gr = getgrgid(gid);
    return gr ? std::string(gr->gr_name) : "gid " + std::to_string(gid);
}

std::string describeOwnership(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return "missing";
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return userName(st.st_uid) + ":" + groupName(st.st_gid) + " (mode " + mode + ")";
}

namespace {

bool ownedByOther(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && st.st_uid != ::geteuid();
}

}  // namespace

std::string explainStorageFileError(const StorageFileError& e, const std::string& configuredPath) {
    std::string path = e.path().empty() ? configuredPath : e.path();
    std::string dir = std::filesystem::path(path).parent_path().string();
    if (dir.empty()) dir = ".";
    std::string me = userName(::geteuid());
    bool fileForeign = ownedByOther(path);
    bool fileUnwritable = ::access(path.c_str(), F_OK) == 0 && ::access(path.c_str(), W_OK) != 0;
    bool dirUnwritable = ::access(dir.c_str(), F_OK) == 0 && ::access(dir.c_str(), W_OK) != 0;
    // SQLite's last errno may come from its read-only retry (ENOENT) rather than the refusal.
    int reason = (fileUnwritable || dirUnwritable) ? EACCES : e.osErrno();
    std::string out = "cannot use the SQLite database '" + path + "': " + e.what();
    if (reason != 0) out += " (" + std::string(std::strerror(reason)) + ")";
    out += "; this process runs as " + me;
    if (fileForeign || fileUnwritable) out += ", the file is " + describeOwnership(path);
    if (dirUnwritable || ownedByOther(dir)) out += ", its folder is " + describeOwnership(dir);
    // SQLite also writes PATH-wal and PATH-shm next to the file, so both need the same owner.
    if (fileForeign || fileUnwritable) {
        out += "; fix: sudo chown " + me + ": '" + path + "' '" + path + "-wal' '" + path + "-shm'" +
               " (run rosterd migrate as that user: sudo -u " + me + " rosterd migrate)";
    } else if (dirUnwritable) {
        out += "; fix: sudo chown " + me + ": '" + dir + "' (SQLite creates its -wal and -shm files there)";
    } else if (e.osErrno() == ENOSPC) {
        out += "; fix: free space on the file system holding '" + dir + "'";
    } else {
        out +=
            "; fix: check [database] url (or DATABASE_URL) names a writable file, not a folder or another program's "
            "file";
    }
    return out;
}

}  // namespace rosterd::daemon
