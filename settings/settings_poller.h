#pragma once
// Runs a check every interval on a thread of its own until destroyed: how a replica notices the
// runtime settings another replica stored (the version moved) within about one interval.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace rosterd::settings {

class SettingsPoller {
public:
    /// Starts calling `check` every `interval`; an exception from it is logged and the polling goes on.
    SettingsPoller(std::chrono::milliseconds interval, std::function<void()> check);
    /// Stops and joins the thread (a check under way finishes first).
    ~SettingsPoller();
    SettingsPoller(const SettingsPoller&) = delete;
    SettingsPoller& operator=(const SettingsPoller&) = delete;

private:
    void run();

    std::chrono::milliseconds interval_;
    std::function<void()> check_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false;
    std::thread thread_;
};

}  // namespace rosterd::settings
