#include "sync/scheduler.h"

#include <spdlog/spdlog.h>

namespace rosterd::sync {

SyncScheduler::SyncScheduler(SyncService& service, const Clock& clock, std::chrono::milliseconds interval,
                             std::chrono::milliseconds poll)
    : service_(service), clock_(clock), interval_(interval), poll_(poll), next_(clock.nowMillis()) {}

SyncScheduler::~SyncScheduler() { stop(); }

void SyncScheduler::start() {
    if (thread_.joinable()) return;
    {
        std::lock_guard lock(mutex_);
        stopping_ = false;
        next_ = clock_.nowMillis();
    }
    thread_ = std::thread([this] {
        std::unique_lock lock(mutex_);
        while (!stopping_) {
            lock.unlock();
            try {
                tick();
            } catch (const std::exception& e) {
                spdlog::error("scheduled sync: {}", e.what());
            }
            lock.lock();
            wake_.wait_for(lock, poll_, [this] { return stopping_; });
        }
    });
}

void SyncScheduler::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

bool SyncScheduler::tick() {
    {
        std::lock_guard lock(mutex_);
        if (interval_.count() <= 0 || clock_.nowMillis() < next_) return false;
    }
    // Runs are spaced start to start, so the schedule does not drift by each run's duration.
    {
        std::lock_guard lock(mutex_);
        lastStarted_ = clock_.nowMillis();
        next_ = lastStarted_ + interval_.count();
    }
    RunRequest req;
    req.trigger = "schedule";
    service_.run(req);
    return true;
}

void SyncScheduler::setInterval(std::chrono::milliseconds interval) {
    std::lock_guard lock(mutex_);
    interval_ = interval;
    if (lastStarted_ != 0) next_ = lastStarted_ + interval_.count();
}

}  // namespace rosterd::sync
