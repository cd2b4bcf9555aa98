#pragma once
// A thread-safe map whose values expire a fixed time after they were put, on the injected clock's
// monotonic time (a wall clock set back would otherwise keep every value for longer than its ttl);
// the shared part of the directory caches sign-in keeps ([ldap] nested_groups_cache, login_dn_cache).
#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "common/clock.h"

namespace rosterd {

template <class Value>
class ExpiringMap {
public:
    /// `ttl` 0: off (nothing is kept). At most `capacity` values are kept.
    ExpiringMap(const Clock& clock, std::chrono::milliseconds ttl, std::size_t capacity)
        : clock_(clock), ttl_(ttl), capacity_(capacity) {}
    bool enabled() const { return ttl_.count() > 0; }
    /// The value kept for `key`, while fresh.
    std::optional<Value> find(const std::string& key) const {
        if (!enabled()) return std::nullopt;
        std::lock_guard lock(mutex_);
        auto it = values_.find(key);
        if (it == values_.end() || it->second.expiresAt <= clock_.steadyNow()) return std::nullopt;
        return it->second.value;
    }
    /// Keeps `value` for `key` for the ttl from now.
    void put(const std::string& key, Value value) {
        if (!enabled()) return;
        const auto now = clock_.steadyNow();
        std::lock_guard lock(mutex_);
        if (values_.size() >= capacity_ && values_.find(key) == values_.end()) {
            // Full: drop what expired; if everything is fresh, start over (a bound on memory, and
            // every value is read again within one ttl anyway).
            std::erase_if(values_, [&](const auto& kv) { return kv.second.expiresAt <= now; });
            if (values_.size() >= capacity_) values_.clear();
        }
        values_[key] = Kept{now + ttl_, std::move(value)};
    }
    void erase(const std::string& key) {
        std::lock_guard lock(mutex_);
        values_.erase(key);
    }
    /// Values kept (fresh or not yet dropped).
    std::size_t size() const {
        std::lock_guard lock(mutex_);
        return values_.size();
    }

private:
    struct Kept {
        std::chrono::steady_clock::time_point expiresAt;
        Value value;
    };
    const Clock& clock_;
    const std::chrono::milliseconds ttl_;
    const std::size_t capacity_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Kept> values_;
};

}  // namespace rosterd
