#include "sync/snapshot.h"

#include <algorithm>
#include <unordered_set>

namespace rosterd::sync {

std::string lowerAscii(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

std::string dnKey(const std::string& dn) {
    std::string out;
    out.reserve(dn.size());
    bool afterSep = false;
    for (char c : dn) {
        if (afterSep && c == ' ') continue;
        afterSep = (c == ',');
        out.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
    }
    return out;
}

std::size_t Snapshot::membershipCount() const {
    std::size_t n = 0;
    for (const auto& g : groups) n += g.members.size();
    return n;
}

namespace {

void sortUnique(std::vector<std::uint32_t>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

Snapshot buildSnapshot(std::vector<DirUser> users, std::vector<DirGroup> groups, bool membersAreUsernames,
                       bool nestedGroups) {
    Snapshot snap;
    std::unordered_set<std::string> ids;
    std::unordered_map<std::string, std::string> emailOwner;  // email -> dn of the first holder
    // Kept entries are compacted in place (no second copy of a large directory in memory).
    std::size_t keptUsers = 0;
    for (std::size_t r = 0; r < users.size(); ++r) {
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
        auto [it, fresh] = emailOwner.emplace(u.email, u.dn);
        if (!fresh) {
            snap.skipped.push_back({"user", u.id, u.dn, "duplicate email " + u.email + " (kept by " + it->second + ")"});
            continue;
        }
        if (u.username.empty()) u.username = u.email;
        if (u.name.empty()) u.name = u.username;
        if (keptUsers != r) users[keptUsers] = std::move(u);
        ++keptUsers;
    }
    users.resize(keptUsers);
    users.shrink_to_fit();
    snap.users = std::move(users);
    ids = {};
    emailOwner = {};

    std::unordered_map<std::string, std::uint32_t> userByKey;  // dn key or username -> index
    userByKey.reserve(snap.users.size());
    for (std::uint32_t i = 0; i < snap.users.size(); ++i)
        userByKey.emplace(membersAreUsernames ? snap.users[i].username : dnKey(snap.users[i].dn), i);

    // Groups: drop duplicates by id and by name (the name is unique among directory groups).
    std::vector<DirGroup> kept;
    std::unordered_set<std::string> groupIds, groupNames;
    for (auto& g : groups) {
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
        kept.push_back(std::move(g));
    }
    groups.clear();

    std::unordered_map<std::string, std::uint32_t> groupByDn;
    for (std::uint32_t i = 0; i < kept.size(); ++i) groupByDn.emplace(dnKey(kept[i].dn), i);

    // Direct members, and the groups each group contains.
    std::vector<std::vector<std::uint32_t>> direct(kept.size()), children(kept.size());
    for (std::uint32_t gi = 0; gi < kept.size(); ++gi) {
        for (const auto& m : kept[gi].members) {
            auto u = userByKey.find(membersAreUsernames ? m : dnKey(m));
            if (u != userByKey.end()) {
                direct[gi].push_back(u->second);
                continue;
            }
            if (nestedGroups && !membersAreUsernames) {
                auto g = groupByDn.find(dnKey(m));
                if (g != groupByDn.end() && g->second != gi) children[gi].push_back(g->second);
            }
        }
        kept[gi].members.clear();
        kept[gi].members.shrink_to_fit();
        sortUnique(direct[gi]);
    }

    snap.groups.reserve(kept.size());
    std::vector<std::uint32_t> seenMark(kept.size(), UINT32_MAX);
    for (std::uint32_t gi = 0; gi < kept.size(); ++gi) {
        DesiredGroup dg{std::move(kept[gi].id), std::move(kept[gi].dn), std::move(kept[gi].name), direct[gi]};
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
    std::vector<DirUser> users;
    source.readUsers([&](std::vector<DirUser>& page) {
        for (auto& u : page) users.push_back(std::move(u));
    });
    std::vector<DirGroup> groups;
    source.readGroups([&](std::vector<DirGroup>& page) {
        for (auto& g : page) groups.push_back(std::move(g));
    });
    return buildSnapshot(std::move(users), std::move(groups), source.membersAreUsernames(), nestedGroups);
}

}  // namespace rosterd::sync
