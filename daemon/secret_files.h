#pragma once
// The files the configuration names and rosterd reads while running (the INI, the JWT key, the
// LDAP bind password and CA, every webhook secret), checked the way the service user meets them.
#include <string>
#include <vector>

#include "daemon/config.h"
#include "daemon/file_access.h"

namespace rosterd::daemon {

struct FileCheck {
    std::string key;  ///< "auth.jwt_secret_file", or "--config" for the INI itself
    std::string path;
    bool secret = false;                ///< a secret must not be readable by everyone nor writable by others
    std::string ownership;              ///< "root:rosterd (mode 0640)", or "missing"
    std::vector<std::string> problems;  ///< each with its fix; empty when the file is fine
};

/// Every such file the configuration names, each checked for `reader`; a JWT key that does not
/// exist yet is listed (it is generated at start) without problems.
std::vector<FileCheck> checkConfigFiles(const Config& config, const Account& reader);

}  // namespace rosterd::daemon
