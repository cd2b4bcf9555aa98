#pragma once
// Counts attempts per key in a sliding window (in memory, per process).
#include <chrono>
#include <deque>
#include <initializer_list>
#include <mutex>
#include <string>
#include <unordered_map>

#include "common/clock.h"

namespace rosterd::accounts {

class RateLimiter {
public:
    /// `maxFailures` 0 disables the limiter.
    RateLimiter(int maxFailures, std::chrono::milliseconds window, const Clock& clock);
    /// Seconds to wait before another attempt is allowed for `key`, or 0 when allowed now.
    long retryAfter(const std::string& key);
    void recordFailure(const std::string& key);
    /// Check and count in one step: 0 when `counted` and every `checked` key are under their
    /// limit (one attempt is then recorded on `counted`), else the seconds to wait (nothing
    /// recorded). Parallel callers can never pass more attempts of one `counted` key than the limit.
    long acquire(const std::string& counted, std::initializer_list<std::string> checked = {});
    /// Gives back the newest attempt recorded on `key` (an attempt that turned out well).
    void release(const std::string& key);
    /// A success forgets earlier failures of that key.
    void reset(const std::string& key);

private:
    void expire(std::deque<std::int64_t>& q, std::int64_t now) const;
    /// Seconds until `key` is under its limit; the caller holds mutex_.
    long waitLocked(const std::string& key, std::int64_t now);
    void recordLocked(const std::string& key, std::int64_t now);
    int max_;
    std::int64_t windowMs_;
    const Clock& clock_;
    std::mutex mutex_;
    std::unordered_map<std::string, std::deque<std::int64_t>> failures_;
};

}  // namespace rosterd::accounts
