#include "ldap/nesting_cache.h"

namespace rosterd::ldap {

NestingCache::NestingCache(const Clock& clock, std::chrono::milliseconds ttl, std::size_t capacity)
    : clock_(clock), ttl_(ttl), capacity_(capacity) {}

std::optional<std::vector<Entry>> NestingCache::find(const std::string& filter) const {
    if (!enabled()) return std::nullopt;
    std::lock_guard lock(mutex_);
    auto it = answers_.find(filter);
    if (it == answers_.end() || it->second.expiresAtMillis <= clock_.nowMillis()) return std::nullopt;
    return it->second.groups;
}

void NestingCache::put(const std::string& filter, const std::vector<Entry>& groups) {
    if (!enabled() || filter.size() > kMaxFilterBytes || groups.size() > kMaxGroups) return;
    const std::int64_t now = clock_.nowMillis();
    std::lock_guard lock(mutex_);
    if (answers_.size() >= capacity_ && answers_.find(filter) == answers_.end()) {
        // Full: drop what expired; if everything is fresh, start over (a bound on memory, and
        // every answer is re-read within one ttl anyway).
        std::erase_if(answers_, [&](const auto& kv) { return kv.second.expiresAtMillis <= now; });
        if (answers_.size() >= capacity_) answers_.clear();
    }
    answers_[filter] = Answer{now + ttl_.count(), groups};
}

std::size_t NestingCache::size() const {
    std::lock_guard lock(mutex_);
    return answers_.size();
}

}  // namespace rosterd::ldap
