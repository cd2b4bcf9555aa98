#include "daemon/runtime_settings.h"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>

#include "common/encoding.h"
#include "common/errors.h"

namespace rosterd::daemon {
namespace {

/// Writes `secret` to `path` with mode 0600 through a temporary file, so a reader never sees half of it.
void writeSecretFile(const std::string& path, const std::string& secret) {
    std::string tmp = path + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw ConfigError("ldap.bind_password", "cannot write '" + tmp + "'");
    bool ok = ::write(fd, secret.data(), secret.size()) == static_cast<ssize_t>(secret.size());
    ok = ::close(fd) == 0 && ok;
    if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
        ::unlink(tmp.c_str());
        throw ConfigError("ldap.bind_password", "cannot write '" + path + "'");
    }
}

}  // namespace

std::map<std::string, std::string> configOverrides(const std::map<std::string, std::string>& stored,
                                                   const std::string& secretsDir) {
    std::map<std::string, std::string> out;
    for (const auto& [key, value] : stored) {
        if (key.rfind(kClientSettingPrefix, 0) == 0) continue;
        if (key == "ldap.bind_password") {
            // Named by content, so a candidate being validated never replaces the file in use.
            std::string path = secretsDir + "/ldap_bind_password." + hexEncode(sha256(value)).substr(0, 16);
            if (!std::filesystem::exists(path)) writeSecretFile(path, value);
            out["ldap.bind_password_file"] = path;
            continue;
        }
        out[key] = value;
    }
    return out;
}

}  // namespace rosterd::daemon
