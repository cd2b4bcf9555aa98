#pragma once
// Builds a Snapshot while the directory is read. The groups are read and indexed by their member
// values on another thread; each page of users is checked (stable id, email, duplicates) as it
// arrives and, once the group index is there, each user is placed in the groups that list it
// with one lookup. The read mostly waits on the server, so this work fits in the waits, and
// little is left to do when the last page is in.
#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>

#include <cstdint>
#include <exception>
#include <future>
#include <optional>
#include <string_view>
#include <vector>

#include "sync/group_index.h"
#include "sync/snapshot.h"

namespace rosterd::sync {

class SnapshotBuilder {
public:
    /// `groups` delivers the indexed groups (or the failure of their read) from another thread;
    /// `onKept` (may be empty) sees each user kept, in order, as soon as it is, until the group
    /// read is seen to have failed.
    SnapshotBuilder(bool membersAreUsernames, std::future<IndexedGroups> groups, KeptUser onKept = {});
    SnapshotBuilder(const SnapshotBuilder&) = delete;
    SnapshotBuilder& operator=(const SnapshotBuilder&) = delete;

    /// Takes a page of users in read order. Entries without a stable id or email, and later
    /// holders of an id or email already taken, are skipped (reported in the snapshot).
    void addUsers(std::vector<DirUser>&& page);
    /// Waits for the groups, resolves the rest (nested groups flattened when `nestedGroups`) and
    /// returns the snapshot; the builder is spent afterwards. Throws the group read's failure.
    Snapshot finish(bool nestedGroups);

private:
    void adoptGroups();
    void placeInGroups();

    const bool byUsername_;
    std::future<IndexedGroups> pendingGroups_;
    KeptUser onKept_;
    std::optional<IndexedGroups> groups_;
    std::exception_ptr groupFailure_;
    // Every page as it came, never moved element by element: the sets below and kept_ point into
    // these records (short strings live inside the record, so the record must stay put).
    std::vector<std::vector<DirUser>> pages_;
    std::unordered_map<std::string, std::string> inactive_;  ///< stable id -> why the account may not be used
    std::vector<DirUser*> kept_;                             ///< the users kept, in read order (their snapshot index)
    std::size_t placed_ = 0;                                 ///< kept_[0 .. placed_) are placed in their groups
    absl::flat_hash_set<std::string_view> ids_;
    absl::flat_hash_map<std::string_view, const DirUser*> emailOwner_;  ///< email -> its first holder
    std::vector<bool> keyTaken_;                      ///< per member key: a user already answers to it
    std::vector<std::vector<std::uint32_t>> direct_;  ///< per group: its direct members, ascending
    std::string scratch_;
    std::vector<SkippedEntry> skipped_;
};

}  // namespace rosterd::sync
