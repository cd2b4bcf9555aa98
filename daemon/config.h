#pragma once
// All settings as plain structs with defaults, read once; each module gets only its part.
#include <chrono>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "accounts/auth_config.h"
#include "accounts/user_import_config.h"
#include "daemon/config_reader.h"
#include "db/store.h"
#include "ldap/ldap_config.h"
#include "sync/sync_config.h"
#include "webhooks/webhook_config.h"

namespace rosterd::daemon {

struct ServerConfig {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;  ///< 0 picks a free port (tests)
    int threads = 16;
    int queue = 256;
    std::size_t maxBodyBytes = 1 << 20;
    std::chrono::milliseconds shutdownTimeout{10'000};
    int maxConnections = 10'000;                         ///< beyond it new connections get 503
    std::size_t maxHeaderBytes = 16 * 1024;              ///< request line and fields; larger gets 431
    int maxHeaderCount = 100;                            ///< header fields; more gets 431
    std::chrono::milliseconds headerTimeout{10'000};     ///< first byte to the end of the head (408)
    std::chrono::milliseconds requestTimeout{30'000};    ///< first byte to the end of the body (408)
    std::chrono::milliseconds keepAliveTimeout{60'000};  ///< an idle connection is closed after it
    bool persistentConfig = true;                        ///< runtime settings stored through the API win over the INI
};

struct LogConfig {
    std::string level = "info";
};

struct Config {
    ServerConfig server;
    LogConfig log;
    db::StoreConfig database;
    accounts::AuthConfig auth;
    accounts::ImportConfig import;
    nlohmann::json permissions = nlohmann::json::object();  ///< default user permissions
    sync::SyncConfig sync;
    webhooks::WebhooksConfig webhooks;
    ldap::LdapConfig ldap;
    std::string sourcePath;                      ///< the INI file read, empty when none
    std::map<std::string, std::string> entries;  ///< "section.key" -> value as read (runtime settings rebuild from it)
};

/// Reads [auth] (config_auth.cpp).
void readAuth(ConfigReader& r, accounts::AuthConfig& auth);
/// Reads [sync] (config_sync.cpp).
void readSync(ConfigReader& r, sync::SyncConfig& sync);
/// Checks a [sync] section's values (also on reload); throws ConfigError naming the key.
void validateSync(const sync::SyncConfig& sync);
/// Reads [import] (config_import.cpp).
void readImport(ConfigReader& r, accounts::ImportConfig& import);
/// Reads [permissions]: dotted keys ("workspace.models = false") become a nested object.
nlohmann::json readPermissions(ConfigReader& r);
/// Reads [webhooks] and every [webhook.NAME] (config_webhooks.cpp).
void readWebhooks(ConfigReader& r, webhooks::WebhooksConfig& webhooks);
/// Reads [ldap]; when enabled, requires url, bind_dn, bind_password_file, user_base (config_ldap.cpp).
void readLdap(ConfigReader& r, ldap::LdapConfig& ldap);
/// Checks an [ldap] section as check-config does (URLs, filters, DNs; when enabled the required
/// keys and a readable bind password file); throws ConfigError naming the key.
void validateLdap(const ldap::LdapConfig& ldap);
/// Reads [ldap] admin_groups, user_groups, allowed_groups, denied_groups into sync.directoryPolicy
/// and auth.directoryRoleRule (config_directory_policy.cpp); after readSync and readLdap.
void readDirectoryPolicy(ConfigReader& r, Config& c);
/// The folder for generated state (secrets, SQLite): $STATE_DIRECTORY under systemd, else ./data.
std::string stateDirectory();

/// Where the config comes from when --config is not given: /etc/rosterd/rosterd.ini if present.
std::string defaultConfigPath();
/// Reads every section, validates it and rejects unknown keys. Throws ConfigError naming the key.
Config loadConfig(ConfigReader& reader);
/// `base` rebuilt with `overrides` ("section.key" -> value, winning over file and environment) and
/// validated like check-config; throws ConfigError naming the key.
Config withOverrides(const Config& base, const std::map<std::string, std::string>& overrides);
/// Reads the file at `path` (empty: defaults and environment only) and loads it.
Config loadConfigFile(const std::string& path);

}  // namespace rosterd::daemon
