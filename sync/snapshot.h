#pragma once
// The desired state read from the directory: users keyed by stable id, groups with their
// effective members (user ids), nested groups flattened.
#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "sync/directory.h"

namespace rosterd::sync {

/// A directory entry that sync could not take as it is; reported, never fatal.
struct SkippedEntry {
    std::string kind;  ///< "user" or "group"
    std::string id;
    std::string dn;
    std::string reason;
};

struct DesiredGroup {
    std::string id;
    std::string dn;
    std::string name;
    std::vector<std::uint32_t> members;  ///< indexes into Snapshot::users, sorted, unique
};

struct Snapshot {
    std::vector<DirUser> users;  ///< read order; duplicates (same id or email) removed
    std::vector<DesiredGroup> groups;
    std::vector<SkippedEntry> skipped;
    /// Stable ids of entries in scope whose account the directory says may not be used, with why
    /// (DirUser::inactiveReason); they are not in `users`.
    std::unordered_map<std::string, std::string> inactive;
    std::size_t membershipCount() const;
};

/// Called with each user the snapshot keeps, in snapshot order, while the read goes on (no more
/// once the group read is seen to have failed: readSnapshot throws then). The record stays where
/// it is until readSnapshot returns (then it is in Snapshot::users).
using KeptUser = std::function<void(const DirUser&)>;

/// Reads every user and group from `source` and resolves memberships. Throws whatever the
/// source throws: a snapshot exists only for a complete read.
Snapshot readSnapshot(DirectorySource& source, bool nestedGroups, const KeptUser& onKept = {});

/// Builds a snapshot from records already read (used by readSnapshot and by tests).
Snapshot buildSnapshot(std::vector<DirUser> users, std::vector<DirGroup> groups, bool membersAreUsernames,
                       bool nestedGroups);

}  // namespace rosterd::sync
