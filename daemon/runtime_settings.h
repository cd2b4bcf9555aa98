#pragma once
// How stored runtime settings become INI overrides: keys under "webui." are kept for Open WebUI's
// admin pages only (rosterd does not act on them); a stored LDAP bind password is written to a
// file of its own (mode 0600), since the [ldap] section names its secret by file.
#include <map>
#include <string>

namespace rosterd::daemon {

/// Settings kept for Open WebUI's pages only, never part of the configuration.
inline constexpr const char* kClientSettingPrefix = "webui.";

/// The overrides for withOverrides(): client-only keys dropped, ldap.bind_password replaced by
/// ldap.bind_password_file naming a file in `secretsDir` that holds it (written when absent).
std::map<std::string, std::string> configOverrides(const std::map<std::string, std::string>& stored,
                                                   const std::string& secretsDir);

}  // namespace rosterd::daemon
