#include "settings/settings_poller.h"

#include <spdlog/spdlog.h>

namespace rosterd::settings {

SettingsPoller::SettingsPoller(std::chrono::milliseconds interval, std::function<void()> check)
    : interval_(interval), check_(std::move(check)), thread_([this] { run(); }) {}

SettingsPoller::~SettingsPoller() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void SettingsPoller::run() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, interval_, [this] { return stop_; })) {
        lock.unlock();
        try {
            check_();
        } catch (const std::exception& e) {
            spdlog::warn("runtime settings: checking for changes failed: {}", e.what());
        }
        lock.lock();
    }
}

}  // namespace rosterd::settings
