// Runtime settings: the stored ones go on top of the INI at start, after a SIGHUP, after a change
// through the API and when the poll sees another replica's change; each time through the reload
// path, so a new [ldap] section swaps the directory exactly as a SIGHUP would.
#include <spdlog/spdlog.h>

#include <filesystem>

#include "common/errors.h"
#include "daemon/app.h"
#include "daemon/credentials.h"
#include "daemon/routes_config.h"
#include "daemon/runtime_settings.h"

namespace rosterd::daemon {
namespace {

constexpr std::chrono::milliseconds kSettingsPoll{250};  // another replica's change shows within 1 s

std::string secretsDir(const Config& c) {
    // systemd's credentials directory is read-only: the state directory holds the file instead.
    if (isCredentialPath(c.auth.jwtSecretFile)) return stateDirectory();
    auto dir = std::filesystem::path(c.auth.jwtSecretFile).parent_path();
    return dir.empty() ? "." : dir.string();
}

}  // namespace

Config App::effectiveConfig(const Config& ini, const settings::Snapshot& stored) const {
    if (!ini.server.persistentConfig || stored.values.empty()) return ini;
    return withOverrides(ini, configOverrides(stored.values, secretsDir(ini)));
}

void App::wireSettings() {
    settings_ = std::make_unique<settings::SettingsService>(*store_, outbox_, clock_);
    registerConfigRoutes(router_, *this);  // handlers reach the services wired after this at request time
    registerBannerRoutes(router_, *this);
    iniConfig_ = config();
    if (!iniConfig_->server.persistentConfig) {
        spdlog::info("runtime settings off ([server] persistent_config = false): the INI decides");
        return;
    }
    settings::Snapshot stored = settings_->load();
    settingsVersion_ = stored.version;
    if (stored.values.empty()) return;
    try {
        config_.store(std::make_shared<const Config>(effectiveConfig(*iniConfig_, stored)));
        spdlog::info("runtime settings: {} stored setting(s) applied over the INI (version {})", stored.values.size(),
                     stored.version);
    } catch (const ConfigError& e) {
        spdlog::error("runtime settings: the stored settings are refused, starting with the INI alone: {}", e.what());
    }
}

void App::startSettingsPoller() {
    if (!config()->server.persistentConfig || settingsPoller_) return;
    settingsPoller_ = std::make_unique<settings::SettingsPoller>(kSettingsPoll, [this] {
        std::int64_t stored = settings_->version();
        {
            std::lock_guard lock(reloadMutex_);
            if (stored == settingsVersion_) return;
        }
        applyStoredSettings();
    });
}

bool App::applyStoredSettings() {
    std::lock_guard lock(reloadMutex_);
    if (!iniConfig_->server.persistentConfig) return true;
    settings::Snapshot stored = settings_->load();
    if (stored.version == settingsVersion_) return true;
    settingsVersion_ = stored.version;  // a refused version is not retried every poll
    Config next;
    try {
        next = effectiveConfig(*iniConfig_, stored);
    } catch (const ConfigError& e) {
        reloadRejected(std::string("stored runtime settings version ") + std::to_string(stored.version) + ": " +
                       e.what());
        return false;
    }
    spdlog::info("runtime settings: applying version {}", stored.version);
    return reloadLocked(next);
}

void App::probeDirectory(const std::map<std::string, std::string>& changes) {
    bool touchesLdap = false;
    for (const auto& [key, value] : changes) touchesLdap = touchesLdap || key.rfind("ldap.", 0) == 0;
    if (!touchesLdap || !config()->ldap.enabled) return;
    // Before the transaction (no network while it holds the write lock): the new section must reach
    // the directory and bind, so a wrong password or host is refused instead of breaking logins.
    settings::Snapshot candidate = settings_->load();
    for (const auto& [key, value] : changes) candidate.values[key] = value;
    Config next = effectiveConfig(*iniConfig_, candidate);  // ConfigError names the key
    if (!next.ldap.enabled) return;
    try {
        ldap::Directory(next.ldap).ping();
    } catch (const LdapError& e) {
        throw InvalidInput(std::string("refused, nothing was changed: the directory does not accept the new [ldap] "
                                       "settings: ") +
                           e.what());
    }
}

settings::Snapshot App::updateSettings(const std::map<std::string, std::string>& changes, const std::string& actorId) {
    std::lock_guard lock(reloadMutex_);
    if (!iniConfig_->server.persistentConfig) {
        std::string keys;
        for (const auto& [key, value] : changes) keys += (keys.empty() ? "" : ", ") + key;
        throw Conflict("runtime settings are off ([server] persistent_config = false): set " + keys +
                       " in the configuration file");
    }
    probeDirectory(changes);
    settings::Snapshot stored = settings_->update(changes, actorId, [&](const auto& merged) {
        settings::Snapshot candidate;
        candidate.values = merged;
        Config next = effectiveConfig(*iniConfig_, candidate);  // check-config's validation
        reloadHooks_.validate(next);                            // and what a reload checks (e.g. the directory)
    });
    if (stored.version != settingsVersion_) {
        settingsVersion_ = stored.version;
        reloadLocked(effectiveConfig(*iniConfig_, stored));
        std::string keys;
        for (const auto& [key, value] : changes) keys += (keys.empty() ? "" : ", ") + key;
        spdlog::info("runtime settings: {} changed by user {} (version {})", keys, actorId, stored.version);
    }
    return stored;
}

}  // namespace rosterd::daemon
