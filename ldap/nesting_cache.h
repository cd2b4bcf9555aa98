#pragma once
// The answers of sign-in's nesting searches (which groups list any of a set of groups), kept for
// [ldap] nested_groups_cache, so the sign-ins of people in the same groups do not each ask the
// directory again. Only group-in-group links are kept: the groups that list the user are read at
// every sign-in, so taking someone out of a group still counts at their next sign-in; a change of
// which group holds which shows once the kept answer expires.
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "common/expiring_map.h"
#include "ldap/entry.h"

namespace rosterd::ldap {

class NestingCache {
public:
    /// `ttl` 0: off (nothing is kept). At most `capacity` answers are kept.
    NestingCache(const Clock& clock, std::chrono::milliseconds ttl, std::size_t capacity = 10'000)
        : answers_(clock, ttl, capacity) {}
    bool enabled() const { return answers_.enabled(); }
    /// The groups kept for `filter` (the nesting search's filter), while fresh.
    std::optional<std::vector<Entry>> find(const std::string& filter) const { return answers_.find(filter); }
    /// Keeps `groups` as the answer to `filter` for the ttl, unless the filter is longer than
    /// kMaxFilterBytes or the answer holds more than kMaxGroups (a user in thousands of groups):
    /// those are asked every time, so the cache's memory stays bounded by its capacity.
    static constexpr std::size_t kMaxFilterBytes = 4096;
    static constexpr std::size_t kMaxGroups = 256;
    void put(const std::string& filter, const std::vector<Entry>& groups) {
        if (filter.size() <= kMaxFilterBytes && groups.size() <= kMaxGroups) answers_.put(filter, groups);
    }
    /// Answers kept (fresh or not yet dropped).
    std::size_t size() const { return answers_.size(); }

private:
    ExpiringMap<std::vector<Entry>> answers_;
};

}  // namespace rosterd::ldap
