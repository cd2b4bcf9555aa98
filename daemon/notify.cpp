#include "daemon/notify.h"

#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>
#include <time.h>

#include <cstdlib>
#include <cstring>

namespace rosterd::daemon {

Notifier::Notifier() {
    const char* socket = std::getenv("NOTIFY_SOCKET");
    active_ = socket && *socket;
    uint64_t usec = 0;
    // Checks WATCHDOG_PID against our pid, so a child that inherited the variables stays quiet.
    if (active_ && sd_watchdog_enabled(0, &usec) > 0 && usec > 0) watchdogInterval_ = std::chrono::microseconds(usec);
}

void Notifier::send(const std::string& message) {
    if (!active_) return;
    int r = sd_notify(0, message.c_str());
    if (r < 0) spdlog::warn("cannot notify the service manager: {}", std::strerror(-r));
}

void Notifier::ready() { send("READY=1\nSTATUS=" + statusLine()); }

void Notifier::reloading() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    auto usec = static_cast<unsigned long long>(ts.tv_sec) * 1'000'000ULL +
                static_cast<unsigned long long>(ts.tv_nsec) / 1000ULL;
    send("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec) + "\nSTATUS=reloading configuration");
}

void Notifier::stopping() { send("STOPPING=1\nSTATUS=stopping"); }

void Notifier::watchdog() { send("WATCHDOG=1"); }

void Notifier::setStatus(const std::string& part, const std::string& text) {
    {
        std::lock_guard lock(mutex_);
        if (text.empty())
            status_.erase(part);
        else
            status_[part] = text;
    }
    send("STATUS=" + statusLine());
}

std::string Notifier::statusLine() const {
    std::lock_guard lock(mutex_);
    std::string line;
    for (const auto& [_, text] : status_) line += (line.empty() ? "" : "; ") + text;
    return line;
}

WatchdogLoop::WatchdogLoop(Notifier& notifier, std::chrono::microseconds interval, HealthCheck healthy)
    : notifier_(notifier), period_(interval / 2), healthy_(std::move(healthy)) {
    thread_ = std::thread([this] { run(); });
}

WatchdogLoop::~WatchdogLoop() { stop(); }

void WatchdogLoop::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void WatchdogLoop::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        std::optional<std::string> problem;
        try {
            problem = healthy_();
        } catch (const std::exception& e) {
            problem = e.what();
        }
        if (problem)
            spdlog::warn("watchdog keep-alive withheld: {}", *problem);
        else
            notifier_.watchdog();
        lock.lock();
        wake_.wait_for(lock, period_, [this] { return stopping_; });
    }
}

}  // namespace rosterd::daemon
