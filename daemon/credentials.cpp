#include "daemon/credentials.h"

#include <sys/stat.h>

#include <cstdlib>

#include "common/errors.h"

namespace rosterd::daemon {
namespace {

std::string credentialsDirectory() {
    const char* dir = std::getenv("CREDENTIALS_DIRECTORY");
    return dir ? std::string(dir) : std::string();
}

}  // namespace

std::string secretFilePath(const std::string& key, const std::string& value, bool mustExist) {
    const std::string prefix = kCredentialPrefix;
    if (value.rfind(prefix, 0) != 0) return value;
    std::string name = value.substr(prefix.size());
    if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos)
        throw ConfigError(key, "'" + value + "': the credential's name must be a plain file name");
    std::string dir = credentialsDirectory();
    if (dir.empty())
        throw ConfigError(key, "'" + value +
                                   "' names a systemd credential but $CREDENTIALS_DIRECTORY is not set; add "
                                   "LoadCredential=" +
                                   name + ":/path/to/file to the unit (see docs/operations.md)");
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        throw ConfigError(key, "$CREDENTIALS_DIRECTORY '" + dir + "' is not a directory");
    // systemd creates it private to the service; one others may enter is no place for secrets.
    if (st.st_mode & (S_IRWXG | S_IRWXO))
        throw ConfigError(key, "$CREDENTIALS_DIRECTORY '" + dir +
                                   "' is open to others (systemd creates it private to the service); run `chmod "
                                   "700 " +
                                   dir + "`");
    std::string path = dir + "/" + name;
    if (mustExist && ::stat(path.c_str(), &st) != 0)
        throw ConfigError(key, "the credential '" + name + "' is missing from $CREDENTIALS_DIRECTORY '" + dir +
                                   "'; add LoadCredential=" + name + ":/path/to/file to the unit");
    return path;
}

bool isCredentialPath(const std::string& path) {
    std::string dir = credentialsDirectory();
    while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
    return !dir.empty() && path.size() > dir.size() + 1 && path.compare(0, dir.size(), dir) == 0 &&
           path[dir.size()] == '/';
}

}  // namespace rosterd::daemon
