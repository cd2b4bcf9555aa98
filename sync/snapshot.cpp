#include "sync/snapshot.h"

#include "common/stopwatch.h"

#include <algorithm>
#include <spdlog/spdlog.h>
#include <stdexcept>
#include <absl/container/flat_hash_set.h>
#include <absl/container/flat_hash_map.h>

namespace rosterd::sync {

std::string lowerAscii(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

namespace {

// Appends the comparison key of `dn` (see dnKey) to `out`.
void appendDnKey(std::string& out, std::string_view dn) {
    bool afterSep = false;
    for (char c : dn) {
        if (afterSep && c == ' ') continue;
        afterSep = (c == ',');
        out.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
    }
}

// DN keys of many entries in one buffer: a key per entry without an allocation per entry.
class DnKeys {
public:
    // A key is never longer than its DN, so reserving the DNs' total length keeps the buffer
    // (and every view handed out) in place.
    explicit DnKeys(std::size_t totalChars) { arena_.reserve(totalChars); }
    std::string_view add(const std::string& dn) {
        if (arena_.size() + dn.size() > arena_.capacity()) throw std::logic_error("DnKeys: more than reserved");
        const std::size_t start = arena_.size();
        appendDnKey(arena_, dn);
        return std::string_view(arena_).substr(start);
    }

private:
    std::string arena_;
};

// The DNs' total length: room for all their keys in a DnKeys.
template <typename T>
std::size_t dnLength(const std::vector<T>& records) {
    std::size_t n = 0;
    for (const auto& r : records) n += r.dn.size();
    return n;
}

// Keeps the records whose flag is set, in order, compacted in place (no second copy of a large
// directory in memory). The flags are decided first because the checks hold views into the records.
template <typename T>
void keepOnly(std::vector<T>& records, const std::vector<bool>& keep) {
    std::size_t kept = 0;
    for (std::size_t r = 0; r < records.size(); ++r) {
        if (!keep[r]) continue;
        if (kept != r) records[kept] = std::move(records[r]);
        ++kept;
    }
    records.resize(kept);
    records.shrink_to_fit();
}

void sortUnique(std::vector<std::uint32_t>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

std::string dnKey(const std::string& dn) {
    std::string out;
    out.reserve(dn.size());
    appendDnKey(out, dn);
    return out;
}

std::size_t Snapshot::membershipCount() const {
    std::size_t n = 0;
    for (const auto& g : groups) n += g.members.size();
    return n;
}

Snapshot buildSnapshot(std::vector<DirUser> users, std::vector<DirGroup> groups, bool membersAreUsernames,
                       bool nestedGroups) {
    Snapshot snap;
    // Views into `users`, valid until the kept entries are compacted below.
    std::vector<bool> keep(users.size(), false);
    {
        absl::flat_hash_set<std::string_view> ids;
        absl::flat_hash_map<std::string_view, std::uint32_t> emailOwner;  // email -> index of the first holder
        ids.reserve(users.size());
        emailOwner.reserve(users.size());
        for (std::uint32_t r = 0; r < users.size(); ++r) {
            DirUser& u = users[r];
            if (u.id.empty()) {
                snap.skipped.push_back({"user", "", u.dn, "entry has no stable id"});
                continue;
            }
            if (u.email.empty()) {
                snap.skipped.push_back({"user", u.id, u.dn, "entry has no email"});
                continue;
            }
            if (!ids.insert(u.id).second) {
                snap.skipped.push_back({"user", u.id, u.dn, "stable id seen twice"});
                continue;
            }
            u.email = lowerAscii(std::move(u.email));
            auto [it, fresh] = emailOwner.emplace(u.email, r);
            if (!fresh) {
                snap.skipped.push_back(
                    {"user", u.id, u.dn, "duplicate email " + u.email + " (kept by " + users[it->second].dn + ")"});
                continue;
            }
            if (u.username.empty()) u.username = u.email;
            if (u.name.empty()) u.name = u.username;
            keep[r] = true;
        }
    }
    keepOnly(users, keep);
    snap.users = std::move(users);

    DnKeys userKeys(membersAreUsernames ? 0 : dnLength(snap.users));
    absl::flat_hash_map<std::string_view, std::uint32_t> userByKey;  // dn key or username -> index
    userByKey.reserve(snap.users.size());
    for (std::uint32_t i = 0; i < snap.users.size(); ++i)
        userByKey.emplace(membersAreUsernames ? std::string_view(snap.users[i].username) : userKeys.add(snap.users[i].dn),
                          i);

    // Groups: drop duplicates by id and by name (the name is unique among directory groups).
    std::vector<bool> keepGroup(groups.size(), false);
    {
        absl::flat_hash_set<std::string_view> groupIds, groupNames;  // views into `groups`, not moved yet
        for (std::size_t r = 0; r < groups.size(); ++r) {
            const DirGroup& g = groups[r];
            if (g.id.empty()) {
                snap.skipped.push_back({"group", "", g.dn, "entry has no stable id"});
                continue;
            }
            if (g.name.empty()) {
                snap.skipped.push_back({"group", g.id, g.dn, "entry has no name"});
                continue;
            }
            if (!groupIds.insert(g.id).second) {
                snap.skipped.push_back({"group", g.id, g.dn, "stable id seen twice"});
                continue;
            }
            if (!groupNames.insert(g.name).second) {
                snap.skipped.push_back({"group", g.id, g.dn, "duplicate group name " + g.name});
                continue;
            }
            keepGroup[r] = true;
        }
    }
    keepOnly(groups, keepGroup);

    DnKeys groupKeys(dnLength(groups));
    absl::flat_hash_map<std::string_view, std::uint32_t> groupByDn;
    groupByDn.reserve(groups.size());
    for (std::uint32_t i = 0; i < groups.size(); ++i) groupByDn.emplace(groupKeys.add(groups[i].dn), i);

    // Direct members, and the groups each group contains.
    std::vector<std::vector<std::uint32_t>> direct(groups.size()), children(groups.size());
    std::string key;  // reused: a member's DN key without an allocation per member
    for (std::uint32_t gi = 0; gi < groups.size(); ++gi) {
        direct[gi].reserve(groups[gi].members.size());
        for (const auto& m : groups[gi].members) {
            std::string_view lookup = m;
            if (!membersAreUsernames) {
                key.clear();
                appendDnKey(key, m);
                lookup = key;
            }
            auto u = userByKey.find(lookup);
            if (u != userByKey.end()) {
                direct[gi].push_back(u->second);
                continue;
            }
            if (nestedGroups && !membersAreUsernames) {
                auto g = groupByDn.find(lookup);
                if (g != groupByDn.end() && g->second != gi) children[gi].push_back(g->second);
            }
        }
        groups[gi].members.clear();
        groups[gi].members.shrink_to_fit();
        sortUnique(direct[gi]);
    }

    snap.groups.reserve(groups.size());
    std::vector<std::uint32_t> seenMark(groups.size(), UINT32_MAX);
    for (std::uint32_t gi = 0; gi < groups.size(); ++gi) {
        DesiredGroup dg{std::move(groups[gi].id), std::move(groups[gi].dn), std::move(groups[gi].name), direct[gi]};
        if (!children[gi].empty()) {
            // Breadth-first over contained groups; the mark makes cycles harmless.
            std::vector<std::uint32_t> queue(children[gi]);
            seenMark[gi] = gi;
            for (std::size_t q = 0; q < queue.size(); ++q) {
                std::uint32_t c = queue[q];
                if (seenMark[c] == gi) continue;
                seenMark[c] = gi;
                dg.members.insert(dg.members.end(), direct[c].begin(), direct[c].end());
                for (auto cc : children[c])
                    if (seenMark[cc] != gi) queue.push_back(cc);
            }
            sortUnique(dg.members);
        }
        snap.groups.push_back(std::move(dg));
    }
    return snap;
}

Snapshot readSnapshot(DirectorySource& source, bool nestedGroups) {
    Stopwatch part;
    std::vector<DirUser> users;
    source.readUsers([&](std::vector<DirUser>& page) {
        for (auto& u : page) users.push_back(std::move(u));
    });
    const double usersRead = part.lap();
    std::vector<DirGroup> groups;
    source.readGroups([&](std::vector<DirGroup>& page) {
        for (auto& g : page) groups.push_back(std::move(g));
    });
    const double groupsRead = part.lap();
    Snapshot snap = buildSnapshot(std::move(users), std::move(groups), source.membersAreUsernames(), nestedGroups);
    spdlog::debug("sync read: users {:.3f} s, groups {:.3f} s, resolving {:.3f} s", usersRead, groupsRead, part.seconds());
    return snap;
}

}  // namespace rosterd::sync
