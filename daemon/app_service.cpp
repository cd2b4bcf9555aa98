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
    std::lock_guard lock(reloadMutex_);
    settings::Snapshot stored;
    Config effective;
    try {
        if (config()->server.persistentConfig) stored = settings_->load();
        effective = effectiveConfig(next, stored);
    } catch (const ConfigError& e) {
        reloadRejected(std::string("with the stored runtime settings on top: ") + e.what());
        return false;
    } catch (const DbError& e) {
        reloadRejected(std::string("the stored runtime settings cannot be read: ") + e.what());
        return false;
    }
    if (!reloadLocked(effective)) return false;
    iniConfig_ = std::make_shared<const Config>(next);
    settingsVersion_ = stored.version;
    return true;
}

bool App::reloadLocked(const Config& next) {
    try {
        reloadHooks_.validate(next);
    } catch (const ConfigError& e) {
        reloadRejected(e.what());
        return false;
    }
    auto running = config();
    const Config& previous = *running;
    // What only a restart can change keeps its running value, so config() tells the truth.
    auto pending = restartOnlyChanges(previous, next);
    for (const auto& key : pending)
        spdlog::warn("configuration reload: {} changed; it takes effect after a restart", key);
    Config applied = keepRestartOnly(next, previous);
    reloadHooks_.apply(applied, previous);
    std::string source = applied.sourcePath;
    config_.store(std::make_shared<const Config>(std::move(applied)));
    notifier_.setStatus("reload", "");
    std::string waiting;
    for (const auto& key : pending) waiting += (waiting.empty() ? "" : ", ") + key;
    spdlog::info("configuration reloaded{}{}", source.empty() ? "" : " from " + source,
                 waiting.empty() ? "" : "; not yet in effect until a restart: " + waiting);
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
