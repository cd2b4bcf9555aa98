#pragma once
// Open WebUI's admin setting forms over rosterd's configuration: which INI key each form field is,
// how a running configuration reads as the form, and how a submitted form becomes runtime
// settings ("section.key" -> value, spelled as in the INI). Pure functions: no store, no HTTP.
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "daemon/config.h"

namespace rosterd::daemon {

using SettingValues = std::map<std::string, std::string>;

/// GET /api/v1/auths/admin/config: SHOW_ADMIN_DETAILS, ENABLE_SIGNUP, DEFAULT_USER_ROLE,
/// JWT_EXPIRES_IN from `c`, the client-only fields from `stored` (Open WebUI's defaults otherwise).
nlohmann::json adminConfigJson(const Config& c, const SettingValues& stored);
/// The settings a POSTed admin config form asks for; throws InvalidInput naming a mistyped field.
SettingValues adminConfigChanges(const nlohmann::json& form);

/// GET /api/v1/auths/admin/config/ldap/server; app_dn_password is always "" (write-only).
nlohmann::json ldapServerJson(const Config& c, const SettingValues& stored);
/// The settings a POSTed LDAP server form asks for (an empty app_dn_password keeps the stored
/// one); throws InvalidInput for a missing required field or a port out of range.
SettingValues ldapServerChanges(const nlohmann::json& form);

/// The INI value of a duration as Open WebUI shows JWT_EXPIRES_IN ("-1" for never, else "4w"...).
std::string expiresInText(std::chrono::milliseconds d);

}  // namespace rosterd::daemon
