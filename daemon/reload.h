#pragma once
// Configuration reload (SIGHUP): parts of the daemon register how to check and apply their section
// of a re-read configuration; the whole new configuration is checked before any part applies it.
#include <functional>
#include <string>
#include <vector>

#include "daemon/config.h"

namespace rosterd::daemon {

struct ReloadHook {
    std::string name;                                                       ///< e.g. "sync", for log lines
    std::function<void(const Config& next)> validate;                       ///< throws ConfigError; may be empty
    std::function<void(const Config& next, const Config& previous)> apply;  ///< must not throw
};

class ReloadHooks {
public:
    /// Registers a hook; hooks run in registration order.
    void add(ReloadHook hook);
    /// Runs every validate; the first ConfigError propagates and nothing is applied.
    void validate(const Config& next) const;
    /// Runs every apply; a hook that throws anyway is logged and the others still run.
    void apply(const Config& next, const Config& previous) const;

private:
    std::vector<ReloadHook> hooks_;
};

/// Settings that differ between the two configurations but only take effect after a restart
/// (listen address, worker threads, database, switching LDAP on or off, the [auth] keys fixed at
/// start such as jwt_secret_file and bcrypt_cost, [import]), as "section.key" names.
std::vector<std::string> restartOnlyChanges(const Config& previous, const Config& next);

/// `next` with every restart-only setting put back to its `running` value, so the configuration
/// the daemon reports after a reload is the one it runs with.
Config keepRestartOnly(Config next, const Config& running);

}  // namespace rosterd::daemon
