#include <spdlog/spdlog.h>

#include "accounts/validation.h"
#include "common/errors.h"
#include "daemon/config.h"
#include "daemon/credentials.h"
#include "ldap/attribute_name.h"
#include "ldap/escape.h"
#include "ldap/photo.h"

namespace rosterd::daemon {
namespace {

void require(const std::string& value, const std::string& key) {
    if (value.empty()) throw ConfigError("ldap." + key, "is required when ldap.enabled = true");
}

void requireFilter(const std::string& value, const std::string& key) {
    if (value.empty() || value.front() != '(' || value.back() != ')')
        throw ConfigError("ldap." + key, "'" + value + "' is not an LDAP filter (it must be wrapped in parentheses)");
}

void requireDn(const std::string& value, const std::string& key) {
    if (value.empty()) return;
    try {
        ldap::parseDn(value);
    } catch (const LdapError& e) {
        throw ConfigError("ldap." + key, e.what());
    }
}

// Names that go into filters and attribute lists; empty ones are checked where they are required.
void requireAttribute(const std::string& value, const std::string& key) {
    if (!value.empty() && !ldap::isAttributeDescription(value))
        throw ConfigError("ldap." + key, "'" + value +
                                             "' is not an attribute name (a letter, then letters, digits and hyphens; "
                                             "or a numeric OID)");
}

// The largest photo whose data: URL profile_image_url still takes.
std::size_t maxPhotoBytes() { return (accounts::kMaxImageDataBytes - ldap::kPhotoUrlHeaderBytes) / 4 * 3; }

}  // namespace

void readLdap(ConfigReader& r, ldap::LdapConfig& c) {
    std::string type = r.choice("ldap", "server_type", "generic", {"generic", "openldap", "active_directory"});
    c.serverType = type == "active_directory" ? ldap::ServerType::ActiveDirectory
                   : type == "openldap"       ? ldap::ServerType::OpenLdap
                                              : ldap::ServerType::Generic;
    ldap::applyServerTypeDefaults(c);  // each key below may override its server-type default
    c.enabled = r.boolean("ldap", "enabled", c.enabled);
    std::string urls = r.str("ldap", "url", "");
    c.urls.clear();
    for (std::size_t pos = 0; pos < urls.size();) {
        std::size_t end = urls.find_first_of(" \t,", pos);
        if (end == std::string::npos) end = urls.size();
        if (end > pos) c.urls.push_back(urls.substr(pos, end - pos));
        pos = end + 1;
    }
    c.startTls = r.boolean("ldap", "start_tls", c.startTls);
    c.caFile = r.str("ldap", "ca_file", c.caFile);
    c.tlsVerify = r.boolean("ldap", "tls_verify", c.tlsVerify);
    c.bindDn = r.str("ldap", "bind_dn", c.bindDn);
    c.bindPasswordFile =
        secretFilePath("ldap.bind_password_file", r.str("ldap", "bind_password_file", c.bindPasswordFile));
    c.timeout = r.duration("ldap", "timeout", c.timeout);
    c.pageSize = static_cast<int>(r.integer("ldap", "page_size", c.pageSize, 1, 100'000));
    c.poolSize = static_cast<std::size_t>(r.integer("ldap", "pool_size", static_cast<long long>(c.poolSize), 1, 256));
    c.maxAttributeValues = static_cast<std::size_t>(
        r.integer("ldap", "max_attribute_values", static_cast<long long>(c.maxAttributeValues), 1, 100'000'000));
    c.userBase = r.str("ldap", "user_base", c.userBase);
    c.userFilter = r.str("ldap", "user_filter", c.userFilter);
    c.usernameAttribute = r.str("ldap", "username_attribute", c.usernameAttribute);
    c.mailAttribute = r.str("ldap", "mail_attribute", c.mailAttribute);
    c.nameAttribute = r.str("ldap", "name_attribute", c.nameAttribute);
    c.idAttribute = r.str("ldap", "id_attribute", c.idAttribute);
    c.groupBase = r.str("ldap", "group_base", c.groupBase);
    c.groupFilter = r.str("ldap", "group_filter", c.groupFilter);
    c.groupNameAttribute = r.str("ldap", "group_name_attribute", c.groupNameAttribute);
    c.groupMemberAttribute = r.str("ldap", "group_member_attribute", c.groupMemberAttribute);
    c.memberOfAttribute = r.str("ldap", "member_of_attribute", c.memberOfAttribute);
    c.nestedGroupsCache = r.duration("ldap", "nested_groups_cache", c.nestedGroupsCache);
    // A day at most: a group taken out of another must count at sign-in before long.
    if (c.nestedGroupsCache < std::chrono::milliseconds(0) || c.nestedGroupsCache > std::chrono::hours(24))
        throw ConfigError("ldap.nested_groups_cache", "must be between 0 (off) and 24h");
    c.loginDnCache = r.duration("ldap", "login_dn_cache", c.loginDnCache);
    // A day at most: a second entry taking the same name must count before long.
    if (c.loginDnCache < std::chrono::milliseconds(0) || c.loginDnCache > std::chrono::hours(24))
        throw ConfigError("ldap.login_dn_cache", "must be between 0 (off) and 24h");
    c.loginAttributes = r.list("ldap", "login_attributes", c.loginAttributes);
    c.photoAttribute = r.str("ldap", "photo_attribute", c.photoAttribute);
    c.photoMaxBytes = static_cast<std::size_t>(
        r.integer("ldap", "photo_max_bytes", static_cast<long long>(c.photoMaxBytes), 1, 1'048'576));
    std::string link = r.choice("ldap", "link_local_accounts", "email", {"email", "none"});
    c.linkLocalAccounts = link == "email" ? ldap::LinkLocalAccounts::Email : ldap::LinkLocalAccounts::Refuse;
    c.groupSyncOnLogin = r.boolean("ldap", "group_sync_on_login", c.groupSyncOnLogin);
    validateLdap(c);
    if (c.enabled && !c.tlsVerify)
        spdlog::warn("ldap.tls_verify = false: the directory's TLS certificate will not be checked");
}

void validateLdap(const ldap::LdapConfig& c) {
    for (const auto& u : c.urls)
        if (u.rfind("ldap://", 0) != 0 && u.rfind("ldaps://", 0) != 0)
            throw ConfigError("ldap.url", "'" + u + "' is not an ldap:// or ldaps:// URL");
    requireFilter(c.userFilter, "user_filter");
    requireFilter(c.groupFilter, "group_filter");
    // Active Directory also takes the service account as name@domain or DOMAIN\\name.
    if (!ldap::isAccountName(c.bindDn)) requireDn(c.bindDn, "bind_dn");
    requireDn(c.userBase, "user_base");
    requireDn(c.groupBase, "group_base");
    for (const auto& [value, key] : {std::pair{&c.usernameAttribute, "username_attribute"},
                                     {&c.mailAttribute, "mail_attribute"},
                                     {&c.nameAttribute, "name_attribute"},
                                     {&c.idAttribute, "id_attribute"},
                                     {&c.groupNameAttribute, "group_name_attribute"},
                                     {&c.groupMemberAttribute, "group_member_attribute"},
                                     {&c.memberOfAttribute, "member_of_attribute"},
                                     {&c.photoAttribute, "photo_attribute"}})
        requireAttribute(*value, key);
    for (const auto& a : c.loginAttributes) requireAttribute(a, "login_attributes");
    // The stored data: URL must pass the profile_image_url check like any other picture.
    if (ldap::photoDataUrlBytes(c.photoMaxBytes) > accounts::kMaxImageDataBytes)
        throw ConfigError("ldap.photo_max_bytes",
                          std::to_string(c.photoMaxBytes) + " bytes make a data: URL of " +
                              std::to_string(ldap::photoDataUrlBytes(c.photoMaxBytes)) + " bytes, above the " +
                              std::to_string(accounts::kMaxImageDataBytes) + " a profile_image_url may hold; at most " +
                              std::to_string(maxPhotoBytes()) + " fits");
    if (!c.enabled) return;
    if (c.urls.empty()) throw ConfigError("ldap.url", "is required when ldap.enabled = true");
    require(c.bindDn, "bind_dn");
    require(c.bindPasswordFile, "bind_password_file");
    require(c.userBase, "user_base");
    // Every filter and read names these: an empty one would make each sign-in ask "(=alice)".
    for (const auto& [value, key] : {std::pair{&c.usernameAttribute, "username_attribute"},
                                     {&c.mailAttribute, "mail_attribute"},
                                     {&c.nameAttribute, "name_attribute"},
                                     {&c.idAttribute, "id_attribute"},
                                     {&c.groupNameAttribute, "group_name_attribute"},
                                     {&c.groupMemberAttribute, "group_member_attribute"}})
        require(*value, key);
    ldap::readBindPassword(c.bindPasswordFile);  // unreadable -> ConfigError naming the key, at check-config time
}

}  // namespace rosterd::daemon
