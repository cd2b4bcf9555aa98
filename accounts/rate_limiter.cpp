#include "accounts/rate_limiter.h"

#include <algorithm>

namespace rosterd::accounts {

RateLimiter::RateLimiter(int maxFailures, std::chrono::milliseconds window, const Clock& clock)
    : max_(maxFailures), windowMs_(window.count()), clock_(clock) {}

void RateLimiter::expire(std::deque<std::int64_t>& q, std::int64_t now) const {
    while (!q.empty() && q.front() <= now - windowMs_) q.pop_front();
}

long RateLimiter::waitLocked(const std::string& key, std::int64_t now) {
    auto it = failures_.find(key);
    if (it == failures_.end()) return 0;
    expire(it->second, now);
    if (static_cast<int>(it->second.size()) < max_) {
        if (it->second.empty()) failures_.erase(it);
        return 0;
    }
    std::int64_t until = it->second.front() + windowMs_;
    return static_cast<long>((until - now + 999) / 1000);
}

void RateLimiter::recordLocked(const std::string& key, std::int64_t now) {
    auto& q = failures_[key];
    expire(q, now);
    q.push_back(now);
    // Bound memory under an attack from many keys: forget idle ones now and then.
    if (failures_.size() > 100'000) {
        for (auto i = failures_.begin(); i != failures_.end();) {
            expire(i->second, now);
            i = i->second.empty() ? failures_.erase(i) : std::next(i);
        }
    }
}

long RateLimiter::retryAfter(const std::string& key) {
    if (max_ <= 0) return 0;
    std::lock_guard lock(mutex_);
    return waitLocked(key, clock_.nowMillis());
}

void RateLimiter::recordFailure(const std::string& key) {
    if (max_ <= 0) return;
    std::lock_guard lock(mutex_);
    recordLocked(key, clock_.nowMillis());
}

long RateLimiter::acquire(const std::string& counted, std::initializer_list<std::string> checked) {
    if (max_ <= 0) return 0;
    std::lock_guard lock(mutex_);
    std::int64_t now = clock_.nowMillis();
    long wait = waitLocked(counted, now);
    for (const auto& k : checked) wait = std::max(wait, waitLocked(k, now));
    if (wait > 0) return wait;
    recordLocked(counted, now);
    return 0;
}

void RateLimiter::release(const std::string& key) {
    std::lock_guard lock(mutex_);
    auto it = failures_.find(key);
    if (it == failures_.end()) return;
    if (!it->second.empty()) it->second.pop_back();
    if (it->second.empty()) failures_.erase(it);
}

void RateLimiter::reset(const std::string& key) {
    std::lock_guard lock(mutex_);
    failures_.erase(key);
}

}  // namespace rosterd::accounts
