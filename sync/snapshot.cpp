#include "sync/snapshot.h"

#include <spdlog/spdlog.h>

#include <future>

#include "common/stopwatch.h"
#include "sync/snapshot_builder.h"

namespace rosterd::sync {

std::string lowerAscii(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

std::size_t Snapshot::membershipCount() const {
    std::size_t n = 0;
    for (const auto& g : groups) n += g.members.size();
    return n;
}

Snapshot buildSnapshot(std::vector<DirUser> users, std::vector<DirGroup> groups, bool membersAreUsernames,
                       bool nestedGroups) {
    std::promise<IndexedGroups> indexed;
    indexed.set_value(indexGroups(std::move(groups), membersAreUsernames));
    SnapshotBuilder builder(membersAreUsernames, indexed.get_future());
    builder.addUsers(std::move(users));
    return builder.finish(nestedGroups);
}

Snapshot readSnapshot(DirectorySource& source, bool nestedGroups, const KeptUser& onKept) {
    // The groups are read and indexed on another thread and connection while the users are read
    // here: each read mostly waits on the server, which serves the two searches side by side. A
    // failure of either read is thrown from here (the builder's destructor waits for the group
    // thread), so no snapshot exists for a partial read.
    const bool byUsername = source.membersAreUsernames();
    // One after the other (the group read deferred until the builder asks for it, after the
    // users) when the source cannot serve both at once.
    const auto policy = source.readsSideBySide() ? std::launch::async : std::launch::deferred;
    auto groups = std::async(policy, [&source, byUsername] {
        Stopwatch part;
        std::vector<DirGroup> read;
        source.readGroups([&](std::vector<DirGroup>& page) {
            for (auto& g : page) read.push_back(std::move(g));
        });
        const double readSeconds = part.lap();
        const std::size_t count = read.size();
        IndexedGroups indexed = indexGroups(std::move(read), byUsername);
        spdlog::debug("sync read: {} groups in {:.3f} s, indexed by member in {:.3f} s", count, readSeconds,
                      part.seconds());
        return indexed;
    });
    Stopwatch part;
    SnapshotBuilder builder(byUsername, std::move(groups), onKept);
    std::size_t userCount = 0;
    source.readUsers([&](std::vector<DirUser>& page) {
        userCount += page.size();
        builder.addUsers(std::move(page));
    });
    const double usersRead = part.lap();
    Snapshot snap = builder.finish(nestedGroups);
    spdlog::debug(
        "sync read: {} users in {:.3f} s (checked and placed in their groups as read), snapshot finished "
        "in {:.3f} s",
        userCount, usersRead, part.seconds());
    return snap;
}

}  // namespace rosterd::sync
