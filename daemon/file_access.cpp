#include "daemon/file_access.h"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/errors.h"
#include "daemon/store_file_diagnosis.h"

namespace rosterd::daemon {
namespace {

Account fromPasswd(const passwd& pw) {
    Account a{pw.pw_name, pw.pw_uid, {}};
    int n = 64;
    std::vector<gid_t> groups(static_cast<std::size_t>(n));
    if (getgrouplist(pw.pw_name, pw.pw_gid, groups.data(), &n) < 0) {
        groups.resize(static_cast<std::size_t>(n));
        getgrouplist(pw.pw_name, pw.pw_gid, groups.data(), &n);
    }
    groups.resize(static_cast<std::size_t>(std::max(n, 0)));
    for (gid_t g : groups) a.gids.push_back(g);
    if (a.gids.empty()) a.gids.push_back(pw.pw_gid);
    return a;
}

/// Whether `account` has the permission `bits` (a mask of the owner's r/w/x bits) on `st`.
bool allowed(const struct stat& st, const Account& account, unsigned ownerBits) {
    if (account.uid == 0) return true;  // root reads everything (and searches any folder with an x bit)
    if (st.st_uid == account.uid) return (st.st_mode & ownerBits) == ownerBits;
    if (std::find(account.gids.begin(), account.gids.end(), st.st_gid) != account.gids.end())
        return (st.st_mode & (ownerBits >> 3)) == (ownerBits >> 3);
    return (st.st_mode & (ownerBits >> 6)) == (ownerBits >> 6);
}

}  // namespace

Account accountNamed(const std::string& name) {
    const passwd* pw = getpwnam(name.c_str());
    if (!pw) throw ConfigError("", "no user named '" + name + "' on this system");
    return fromPasswd(*pw);
}

Account currentAccount() {
    const passwd* pw = getpwuid(::geteuid());
    if (pw) return fromPasswd(*pw);
    return Account{"uid " + std::to_string(::geteuid()), ::geteuid(), {::getegid()}};
}

std::string readProblem(const std::string& path, const Account& account) {
    std::filesystem::path p = std::filesystem::absolute(path);
    // Each folder on the way needs the search (x) bit for this account.
    std::filesystem::path walked;
    for (auto it = p.begin(); it != p.end(); ++it) {
        walked /= *it;
        if (walked == p) break;
        struct stat st {};
        if (::stat(walked.c_str(), &st) != 0) return "folder '" + walked.string() + "': " + std::strerror(errno);
        if (!allowed(st, account, S_IXUSR))
            return "folder '" + walked.string() + "' is " + describeOwnership(walked.string()) + " and " +
                   account.name + " may not enter it";
    }
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) return std::strerror(errno);
    if (!allowed(st, account, S_IRUSR))
        return "it is " + describeOwnership(p.string()) + " and " + account.name + " may not read it";
    return "";
}

}  // namespace rosterd::daemon
