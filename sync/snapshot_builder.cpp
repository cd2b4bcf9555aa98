#include "sync/snapshot_builder.h"

#include <algorithm>
#include <chrono>

#include "common/case_fold.h"

namespace rosterd::sync {
namespace {

void sortUnique(std::vector<std::uint32_t>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

SnapshotBuilder::SnapshotBuilder(bool membersAreUsernames, std::future<IndexedGroups> groups, KeptUser onKept)
    : byUsername_(membersAreUsernames), pendingGroups_(std::move(groups)), onKept_(std::move(onKept)) {}

void SnapshotBuilder::addUsers(std::vector<DirUser>&& page) {
    if (pendingGroups_.valid() && pendingGroups_.wait_for(std::chrono::seconds(0)) == std::future_status::ready)
        adoptGroups();
    // Once the group read has failed the run will fail: nobody is told of more kept users (a
    // first sync would go on creating them).
    const bool tellKept = onKept_ && !groupFailure_;
    if (!page.empty()) {
        pages_.push_back(std::move(page));
        for (DirUser& u : pages_.back()) {
            if (u.id.empty()) {
                skipped_.push_back({"user", "", u.dn, "entry has no stable id"});
                continue;
            }
            if (u.email.empty()) {
                skipped_.push_back({"user", u.id, u.dn, "entry has no email"});
                continue;
            }
            if (!u.inactiveReason.empty()) {  // out of `users`, so a run deactivates it and never creates it
                inactive_.emplace(u.id, u.inactiveReason);
                continue;
            }
            if (!ids_.insert(u.id).second) {
                skipped_.push_back({"user", u.id, u.dn, "stable id seen twice"});
                continue;
            }
            u.email = foldCase(u.email);  // the accounts' email fold
            auto [it, fresh] = emailOwner_.emplace(u.email, &u);
            if (!fresh) {
                skipped_.push_back(
                    {"user", u.id, u.dn, "duplicate email " + u.email + " (kept by " + it->second->dn + ")"});
                continue;
            }
            if (u.username.empty()) u.username = u.email;
            if (u.name.empty()) u.name = u.username;
            kept_.push_back(&u);
            if (tellKept) onKept_(u);
        }
    }
    if (groups_) placeInGroups();
}

// A failed group read is kept for finish() to throw rather than thrown from inside the user
// read, whose connection pool would take it for a dead connection and read the users again.
void SnapshotBuilder::adoptGroups() {
    try {
        groups_.emplace(pendingGroups_.get());
    } catch (...) {
        groupFailure_ = std::current_exception();
        return;
    }
    keyTaken_.assign(groups_->keyOf.size(), false);
    direct_.resize(groups_->groups.size());
}

// Users are placed in read order, so each group's direct members come out ascending, and the
// first user to answer to a member value is the one it names.
void SnapshotBuilder::placeInGroups() {
    const IndexedGroups& g = *groups_;
    for (; placed_ < kept_.size(); ++placed_) {
        const DirUser& u = *kept_[placed_];
        const auto index = static_cast<std::uint32_t>(placed_);
        std::string_view key = memberKey(byUsername_ ? u.username : u.dn, byUsername_, scratch_);
        auto it = g.memberKeys.find(key);
        if (it != g.memberKeys.end() && !keyTaken_[it->second]) {
            keyTaken_[it->second] = true;
            for (std::uint32_t i = g.offsets[it->second]; i < g.offsets[it->second + 1]; ++i)
                direct_[g.listers[i]].push_back(index);
        }
        // An AD primary group names its members only through their primaryGroupID.
        if (u.primaryGroupSid.empty()) continue;
        auto primary = g.bySid.find(u.primaryGroupSid);
        if (primary == g.bySid.end()) continue;
        auto& members = direct_[primary->second];
        if (members.empty() || members.back() != index) members.push_back(index);
    }
}

Snapshot SnapshotBuilder::finish(bool nestedGroups) {
    if (pendingGroups_.valid()) adoptGroups();
    if (groupFailure_) std::rethrow_exception(groupFailure_);
    placeInGroups();
    IndexedGroups& g = *groups_;
    Snapshot snap;
    snap.skipped = std::move(skipped_);
    snap.skipped.insert(snap.skipped.end(), g.skipped.begin(), g.skipped.end());

    // A member value no user answers to may name a group (nested groups), never the group itself.
    std::vector<std::vector<std::uint32_t>> children(g.groups.size());
    if (nestedGroups && !byUsername_) {
        for (std::uint32_t k = 0; k < g.keyOf.size(); ++k) {
            if (keyTaken_[k]) continue;
            auto child = g.byDn.find(g.keyOf[k]);
            if (child == g.byDn.end()) continue;
            for (std::uint32_t i = g.offsets[k]; i < g.offsets[k + 1]; ++i)
                if (g.listers[i] != child->second) children[g.listers[i]].push_back(child->second);
        }
    }

    snap.groups.reserve(g.groups.size());
    std::vector<std::uint32_t> seenMark(g.groups.size(), UINT32_MAX);
    for (std::uint32_t gi = 0; gi < g.groups.size(); ++gi) {
        DesiredGroup dg{std::move(g.groups[gi].id), std::move(g.groups[gi].dn), std::move(g.groups[gi].name),
                        direct_[gi]};
        if (!children[gi].empty()) {
            // Breadth-first over contained groups; the mark makes cycles harmless.
            std::vector<std::uint32_t> queue(children[gi]);
            seenMark[gi] = gi;
            for (std::size_t q = 0; q < queue.size(); ++q) {
                std::uint32_t c = queue[q];
                if (seenMark[c] == gi) continue;
                seenMark[c] = gi;
                dg.members.insert(dg.members.end(), direct_[c].begin(), direct_[c].end());
                for (auto cc : children[c])
                    if (seenMark[cc] != gi) queue.push_back(cc);
            }
            sortUnique(dg.members);
        }
        snap.groups.push_back(std::move(dg));
    }

    // Only now are the records moved (the sets above pointed into them), in read order.
    ids_.clear();
    emailOwner_.clear();
    snap.users.reserve(kept_.size());
    for (DirUser* u : kept_) snap.users.push_back(std::move(*u));
    kept_.clear();
    snap.inactive = std::move(inactive_);
    return snap;
}

}  // namespace rosterd::sync
