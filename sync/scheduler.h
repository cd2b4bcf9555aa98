#pragma once
// Runs a sync every `interval` of the injected clock. The thread only wakes briefly to compare
// the clock with the due time, so tests move a ManualClock instead of waiting.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "common/clock.h"
#include "sync/sync_service.h"

namespace rosterd::sync {

class SyncScheduler {
public:
    /// The first run is due at start(); then every `interval` from the start of the previous one
    /// (a run that outlasts the interval is followed by the next at once, never overlapped).
    SyncScheduler(SyncService& service, const Clock& clock, std::chrono::milliseconds interval,
                  std::chrono::milliseconds poll = std::chrono::milliseconds(200));
    ~SyncScheduler();
    void start();
    void stop();
    /// Runs a sync when one is due; returns true when it ran (tests may call it directly).
    bool tick();
    /// Changes the interval (reload); the next run becomes due `interval` after the last one started,
    /// or now when that moment has passed. A zero interval pauses scheduled runs.
    void setInterval(std::chrono::milliseconds interval);

private:
    SyncService& service_;
    const Clock& clock_;
    std::chrono::milliseconds interval_;
    std::chrono::milliseconds poll_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::int64_t next_ = 0;
    std::int64_t lastStarted_ = 0;  ///< 0 until a scheduled run started
    std::thread thread_;
};

}  // namespace rosterd::sync
