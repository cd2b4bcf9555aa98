#pragma once
// The directory's groups indexed by the members they list, so each user can be placed in its
// groups with one lookup as the user is read (rather than every member value looked up among all
// users once the read is over). Built on the thread that reads the groups.
#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "sync/snapshot.h"

namespace rosterd::sync {

/// Comparison keys of DNs (see dnKey), and copies of keys, in fixed blocks, so no key moves once
/// handed out.
class DnKeys {
public:
    /// The key of `dn`: `dn` itself when it is its own key (the usual case; valid while `dn` is
    /// neither changed nor moved), else normalised into this object.
    std::string_view add(const std::string& dn);
    /// A copy of `key` in this object, valid as long as it lives.
    std::string_view copy(std::string_view key);

private:
    std::vector<std::unique_ptr<char[]>> blocks_;
    std::size_t used_ = 0;  ///< in the last block
    std::size_t blockSize_ = 0;
};

/// A member value as groups list it and users are matched against it: the DN key, or the
/// username itself for memberUid groups. Uses `scratch` when the value must be normalised.
std::string_view memberKey(const std::string& value, bool byUsername, std::string& scratch);

struct IndexedGroups {
    /// Groups kept (in read order; duplicates by id or name dropped). Their member values are
    /// gone: each is known by its key below.
    std::vector<DirGroup> groups;
    std::vector<SkippedEntry> skipped;
    /// Each distinct member key -> its number k; the groups listing key k are
    /// listers[offsets[k] .. offsets[k + 1]), ascending and without repeats.
    absl::flat_hash_map<std::string_view, std::uint32_t> memberKeys;
    std::vector<std::string_view> keyOf;  ///< k -> key
    std::vector<std::uint32_t> offsets;
    std::vector<std::uint32_t> listers;
    /// Group DN key -> group index (nested groups).
    absl::flat_hash_map<std::string_view, std::uint32_t> byDn;
    /// Group SID -> group index (Active Directory primary groups).
    absl::flat_hash_map<std::string, std::uint32_t> bySid;
    /// Storage of the member keys and of the group DN keys that are not DNs as they are (the
    /// others are views into `groups`; moving the whole keeps both in place).
    std::unique_ptr<DnKeys> keys = std::make_unique<DnKeys>();
};

/// Drops groups without a stable id or name and later holders of an id or name, and indexes the
/// rest by their member values.
IndexedGroups indexGroups(std::vector<DirGroup> groups, bool membersAreUsernames);

}  // namespace rosterd::sync
