#pragma once
// Directory entries and store rows for the planner's and the snapshot builder's unit tests: user
// "n" is uid=n,ou=people,dc=x with id "id-n", n@example.org and the name "User n".
#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sync/plan.h"
#include "sync/snapshot.h"

namespace rosterd::sync::fixture {

inline std::string userDn(const std::string& n) { return "uid=" + n + ",ou=people,dc=x"; }
inline std::string groupDn(const std::string& n) { return "cn=" + n + ",ou=groups,dc=x"; }

inline DirUser user(const std::string& n) { return {"id-" + n, userDn(n), n, n + "@example.org", "User " + n}; }

inline DirGroup group(const std::string& n, std::vector<std::string> members) {
    return {"gid-" + n, groupDn(n), n, std::move(members)};
}

/// Local ids new-1, new-2, ... for the users a plan creates.
inline std::function<std::string()> counterIds() {
    auto n = std::make_shared<int>(0);
    return [n] { return "new-" + std::to_string(++*n); };
}

/// The store's row of `u`, linked and active, under `localId`.
inline CurrentUser current(const DirUser& u, const std::string& localId) {
    return {localId, u.id, u.dn, u.username, u.email, u.name, true, std::nullopt};
}

inline const DesiredGroup* findGroup(const Snapshot& s, const std::string& name) {
    for (const auto& g : s.groups)
        if (g.name == name) return &g;
    return nullptr;
}

/// The effective member usernames of the group called `name`, sorted.
inline std::vector<std::string> membersOf(const Snapshot& s, const std::string& name) {
    std::vector<std::string> out;
    if (const DesiredGroup* g = findGroup(s, name))
        for (auto i : g->members) out.push_back(s.users.at(i).username);
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace rosterd::sync::fixture
