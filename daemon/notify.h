#pragma once
// The systemd service protocol (sd_notify(3)): readiness, status text, reload and stop
// announcements, and the watchdog keep-alive. Without NOTIFY_SOCKET every call does nothing.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace rosterd::daemon {

class Notifier {
public:
    /// Reads NOTIFY_SOCKET and WATCHDOG_USEC/WATCHDOG_PID from the environment.
    Notifier();
    /// Whether a service manager listens.
    bool active() const { return active_; }
    /// READY=1 with the current status line.
    void ready();
    /// RELOADING=1 with MONOTONIC_USEC (the time the reload started).
    void reloading();
    /// STOPPING=1.
    void stopping();
    /// WATCHDOG=1.
    void watchdog();
    /// Sets one part of the status line (e.g. "sync" -> "last sync ok: 3 changes"); empty text
    /// removes the part. The parts are joined in name order and sent as STATUS=.
    void setStatus(const std::string& part, const std::string& text);
    /// The status line as last composed.
    std::string statusLine() const;
    /// The keep-alive interval systemd expects, when the watchdog is enabled for this process.
    std::optional<std::chrono::microseconds> watchdogInterval() const { return watchdogInterval_; }

private:
    void send(const std::string& message);
    bool active_ = false;
    std::optional<std::chrono::microseconds> watchdogInterval_;
    mutable std::mutex mutex_;
    std::map<std::string, std::string> status_;
};

/// Sends WATCHDOG=1 at half the interval, but only while `healthy` returns no reason: a hung HTTP
/// server or store then lets systemd's watchdog restart the service.
class WatchdogLoop {
public:
    using HealthCheck = std::function<std::optional<std::string>()>;
    WatchdogLoop(Notifier& notifier, std::chrono::microseconds interval, HealthCheck healthy);
    ~WatchdogLoop();
    WatchdogLoop(const WatchdogLoop&) = delete;
    WatchdogLoop& operator=(const WatchdogLoop&) = delete;
    /// Stops the thread (also done by the destructor).
    void stop();

private:
    void run();
    Notifier& notifier_;
    std::chrono::microseconds period_;
    HealthCheck healthy_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace rosterd::daemon
