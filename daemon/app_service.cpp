#include <spdlog/spdlog.h>

#include "common/errors.h"
#include "daemon/app.h"
#include "daemon/logging.h"

namespace rosterd::daemon {

void App::wireService() {
    metrics_.describe("rosterd_http_requests_in_flight", "gauge", "HTTP requests being handled");
    metrics_.describe("rosterd_store_pool_acquire_timeouts", "counter", "Store connection requests that timed out");
    onReload({"log", nullptr, [](const Config& next, const Config& previous) {
                  if (next.log.level == previous.log.level) return;
                  setLogLevel(next.log.level);
                  spdlog::info("log level is now {}", next.log.level);
              }});
}

void App::onReload(ReloadHook hook) { reloadHooks_.add(std::move(hook)); }

bool App::reload(const Config& next) {
    try {
        reloadHooks_.validate(next);
    } catch (const ConfigError& e) {
        reloadRejected(e.what());
        return false;
    }
    Config previous = config_;
    Config applied = next;
    // What only a restart can change keeps its running value, so config() tells the truth.
    for (const auto& key : restartOnlyChanges(previous, next))
        spdlog::warn("configuration reload: {} changed; it takes effect after a restart", key);
    applied.server = previous.server;
    applied.database = previous.database;
    applied.permissions = previous.permissions;
    // LDAP on/off decides which routes and workers exist; the whole running section stays.
    if (previous.ldap.enabled != next.ldap.enabled) applied.ldap = previous.ldap;
    reloadHooks_.apply(applied, previous);
    config_ = std::move(applied);
    notifier_.setStatus("reload", "");
    spdlog::info("configuration reloaded{}", config_.sourcePath.empty() ? "" : " from " + config_.sourcePath);
    return true;
}

void App::reloadRejected(const std::string& reason) {
    spdlog::error("configuration reload rejected, keeping the running configuration: {}", reason);
    notifier_.setStatus("reload", "last reload rejected: " + reason);
}

void App::onStop(std::string name, std::function<void()> stop) {
    stopHooks_.emplace_back(std::move(name), std::move(stop));
}

void App::runStopHooks() {
    auto hooks = std::move(stopHooks_);
    stopHooks_.clear();
    for (auto it = hooks.rbegin(); it != hooks.rend(); ++it) {
        try {
            it->second();
        } catch (const std::exception& e) {
            spdlog::error("stopping {} failed: {}", it->first, e.what());
        }
    }
}

}  // namespace rosterd::daemon
