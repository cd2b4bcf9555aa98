#include "daemon/secret_files.h"

#include <sys/stat.h>

#include "daemon/credentials.h"
#include "daemon/store_file_diagnosis.h"

namespace rosterd::daemon {
namespace {

bool endsWith(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

FileCheck check(const std::string& key, const std::string& path, bool secret, const Account& reader) {
    FileCheck c{key, path, secret, describeOwnership(path), {}};
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        if (key != "auth.jwt_secret_file") c.problems.push_back("it does not exist");
        return c;
    }
    if (isCredentialPath(path)) {
        // Its directory is private to the service; the file may be readable through an ACL only.
        c.ownership = "systemd credential";
        return c;
    }
    std::string quoted = "'" + path + "'";
    std::string group = reader.gids.empty() ? reader.name : groupName(reader.gids.front());
    std::string why = readProblem(path, reader);
    if (!why.empty()) {
        std::string fix = "sudo chgrp " + group + " " + quoted + " && sudo chmod 0640 " + quoted;
        if (why.rfind("folder '", 0) == 0) {
            std::string folder = why.substr(7, why.find('\'', 8) - 6);  // with its quotes
            fix = "let " + reader.name + " enter that folder, e.g. sudo chgrp " + group + " " + folder +
                  " && sudo chmod g+x " + folder;
        }
        c.problems.push_back(reader.name + " cannot read it: " + why + "; fix: " + fix);
    }
    if (st.st_mode & (S_IWGRP | S_IWOTH))
        c.problems.push_back(std::string("it is writable by ") + ((st.st_mode & S_IWOTH) ? "everyone" : "its group") +
                             "; fix: sudo chmod go-w " + quoted);
    if (secret && (st.st_mode & S_IROTH))
        c.problems.push_back("it is a secret readable by everyone; fix: sudo chmod o-rwx " + quoted +
                             " (group-readable by " + group + " is enough)");
    return c;
}

}  // namespace

std::vector<FileCheck> checkConfigFiles(const Config& config, const Account& reader) {
    std::vector<FileCheck> out;
    if (!config.sourcePath.empty()) out.push_back(check("--config", config.sourcePath, false, reader));
    if (!config.auth.jwtSecretFile.empty())
        out.push_back(check("auth.jwt_secret_file", config.auth.jwtSecretFile, true, reader));
    // Optional: it exists after the first `rosterd keys rotate`.
    struct stat previous {};
    if (::stat(config.auth.jwtPreviousSecretFile.c_str(), &previous) == 0)
        out.push_back(check("auth.jwt_previous_secret_file", config.auth.jwtPreviousSecretFile, true, reader));
    if (config.ldap.enabled) {
        if (!config.ldap.bindPasswordFile.empty())
            out.push_back(check("ldap.bind_password_file", config.ldap.bindPasswordFile, true, reader));
        if (!config.ldap.caFile.empty()) out.push_back(check("ldap.ca_file", config.ldap.caFile, false, reader));
    }
    for (const auto& [key, value] : config.entries) {
        if (key.rfind("webhook.", 0) != 0 || value.empty()) continue;
        if (endsWith(key, ".secret_file")) out.push_back(check(key, secretFilePath(key, value), true, reader));
        if (endsWith(key, ".ca_file")) out.push_back(check(key, value, false, reader));
    }
    return out;
}

}  // namespace rosterd::daemon
