#pragma once
// Counts failed attempts per key in a sliding window (in memory, per process).
#include <chrono>
#include <deque>
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
    /// A success forgets earlier failures of that key.
    void reset(const std::string& key);

private:
    void expire(std::deque<std::int64_t>& q, std::int64_t now) const;
    int max_;
    std::int64_t windowMs_;
    const Clock& clock_;
    std::mutex mutex_;
    std::unordered_map<std::string, std::deque<std::int64_t>> failures_;
};

}  // namespace rosterd::accounts
