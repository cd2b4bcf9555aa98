#pragma once
// Time is injected everywhere so expiry, retry and schedule logic is tested without sleeping.
#include <atomic>
#include <chrono>
#include <cstdint>

namespace rosterd {

/// Source of wall-clock and monotonic time; the one implementation used in production is SystemClock.
class Clock {
public:
    virtual ~Clock() = default;
    /// Wall-clock time as epoch seconds (what the store records).
    virtual std::int64_t nowSeconds() const = 0;
    /// Wall-clock time as epoch milliseconds.
    virtual std::int64_t nowMillis() const = 0;
    /// Monotonic time for measuring durations.
    virtual std::chrono::steady_clock::time_point steadyNow() const = 0;
};

/// The real clock.
class SystemClock final : public Clock {
public:
    std::int64_t nowSeconds() const override {
        return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    }
    std::int64_t nowMillis() const override {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    }
    std::chrono::steady_clock::time_point steadyNow() const override { return std::chrono::steady_clock::now(); }
};

/// A clock that only moves when told to: tests advance it instead of sleeping.
class ManualClock final : public Clock {
public:
    explicit ManualClock(std::int64_t startMillis = 1'700'000'000'000) : millis_(startMillis) {}
    std::int64_t nowSeconds() const override { return millis_.load() / 1000; }
    std::int64_t nowMillis() const override { return millis_.load(); }
    std::chrono::steady_clock::time_point steadyNow() const override {
        return std::chrono::steady_clock::time_point(std::chrono::milliseconds(millis_.load()));
    }
    /// Moves time forward.
    void advance(std::chrono::milliseconds by) { millis_ += by.count(); }
    void set(std::int64_t epochMillis) { millis_ = epochMillis; }

private:
    std::atomic<std::int64_t> millis_;
};

}  // namespace rosterd
