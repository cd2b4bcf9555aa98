#include <algorithm>
#include <catch2/catch.hpp>

#include "snapshot_fixture.h"
#include "sync/plan.h"
#include "sync/safety_gate.h"
#include "sync/snapshot.h"

using namespace rosterd::sync;
using namespace rosterd::sync::fixture;

TEST_CASE("snapshot: emails lower-cased, duplicates skipped with the first keeping the email") {
    DirUser a = user("a"), b = user("b");
    a.email = "Shared@Example.ORG";
    b.email = "shared@example.org";
    Snapshot s = buildSnapshot({a, b, user("c")}, {}, false, true);
    REQUIRE(s.users.size() == 2);
    CHECK(s.users[0].username == "a");
    CHECK(s.users[0].email == "shared@example.org");
    REQUIRE(s.skipped.size() == 1);
    CHECK(s.skipped[0].id == "id-b");
    CHECK_THAT(s.skipped[0].reason, Catch::Contains("duplicate email"));
}

TEST_CASE("snapshot: nested groups flatten, cycles are harmless, DNs match case-insensitively") {
    std::vector<DirUser> users = {user("a"), user("b"), user("c")};
    std::vector<DirGroup> groups = {
        {"g1", "cn=one,ou=groups,dc=x", "one", {"UID=a, ou=people,dc=x", "cn=two,ou=groups,dc=x"}},
        {"g2", "cn=two,ou=groups,dc=x", "two", {"uid=b,ou=people,dc=x", "cn=three,ou=groups,dc=x"}},
        {"g3", "cn=three,ou=groups,dc=x", "three", {"uid=c,ou=people,dc=x", "cn=one,ou=groups,dc=x"}},
    };
    Snapshot nested = buildSnapshot(users, groups, false, true);
    CHECK(membersOf(nested, "one") == std::vector<std::string>{"a", "b", "c"});
    CHECK(membersOf(nested, "two") == std::vector<std::string>{"a", "b", "c"});
    Snapshot flat = buildSnapshot(users, groups, false, false);
    CHECK(membersOf(flat, "one") == std::vector<std::string>{"a"});
    CHECK(membersOf(flat, "three") == std::vector<std::string>{"c"});
}

TEST_CASE("snapshot: memberUid groups name their members by username") {
    Snapshot s = buildSnapshot({user("a"), user("b")}, {{"g", "cn=g,dc=x", "g", {"b", "nobody"}}}, true, true);
    CHECK(membersOf(s, "g") == std::vector<std::string>{"b"});
}

TEST_CASE("plan: first run creates everything; the same state again plans nothing") {
    Snapshot s =
        buildSnapshot({user("a"), user("b")}, {{"g", "cn=g,dc=x", "g", {"uid=a,ou=people,dc=x"}}}, false, true);
    Plan p = makePlan(s, {}, {}, counterIds());
    CHECK(p.userCreates.size() == 2);
    CHECK(p.groupCreates.size() == 1);
    REQUIRE(p.memberAdds.size() == 1);
    CHECK(p.userIds[p.memberAdds[0].second] == p.userCreates[0].id);

    CurrentState st;
    st.users = {current(user("a"), "L1"), current(user("b"), "L2")};
    st.groups = {{"G1", "g", "cn=g,dc=x", "g"}};
    st.memberships = {(std::uint64_t(0) << 32) | 0};
    Plan again = makePlan(s, st, {}, counterIds());
    CHECK(again.changeCount() == 0);
    CHECK(again.skipped.empty());
}

TEST_CASE("plan: a rename updates the dn in place; one attribute change updates only that field") {
    DirUser a = user("a"), b = user("b");
    CurrentState st;
    st.users = {current(a, "L1"), current(b, "L2")};
    a.dn = "uid=a,ou=moved,dc=x";
    b.name = "Renamed B";
    Plan p = makePlan(buildSnapshot({a, b}, {}, false, true), st, {}, counterIds());
    CHECK(p.userCreates.empty());
    CHECK(p.userDeactivations.empty());
    REQUIRE(p.userUpdates.size() == 2);
    CHECK(p.userUpdates[0].id == "L1");
    CHECK(p.userUpdates[0].changed == std::vector<std::string>{"dn"});
    CHECK(p.userUpdates[1].id == "L2");
    CHECK(p.userUpdates[1].changed == std::vector<std::string>{"name"});
}

TEST_CASE("plan: absent users are deactivated, long-deactivated ones deleted after delete_after") {
    CurrentState st;
    st.users = {current(user("a"), "L1"), current(user("b"), "L2"), current(user("c"), "L3")};
    st.users[2].active = false;
    st.users[2].deactivatedAt = 1000;
    PlanOptions o;
    o.nowSeconds = 1000 + 86400 * 31;
    o.deleteAfterSeconds = 86400 * 30;
    Plan p = makePlan(buildSnapshot({user("a")}, {}, false, true), st, o, counterIds());
    REQUIRE(p.userDeactivations.size() == 1);
    CHECK(p.userDeactivations[0].id == "L2");
    REQUIRE(p.userDeletes.size() == 1);
    CHECK(p.userDeletes[0].id == "L3");
    o.deleteAfterSeconds = 0;  // never
    CHECK(makePlan(buildSnapshot({user("a")}, {}, false, true), st, o, counterIds()).userDeletes.empty());
}

TEST_CASE("plan: a returning user is reactivated") {
    CurrentState st;
    st.users = {current(user("a"), "L1")};
    st.users[0].active = false;
    st.users[0].deactivatedAt = 5;
    Plan p = makePlan(buildSnapshot({user("a")}, {}, false, true), st, {}, counterIds());
    REQUIRE(p.userUpdates.size() == 1);
    CHECK(p.userUpdates[0].reactivate);
    CHECK(p.userUpdates[0].changed == std::vector<std::string>{"active"});
}

TEST_CASE("plan: a local account with the same email is linked or reported") {
    CurrentState st;
    st.localEmails = {{"a@example.org", "LOCAL"}};
    PlanOptions o;
    o.linkLocalAccounts = true;
    Plan linked = makePlan(buildSnapshot({user("a")}, {}, false, true), st, o, counterIds());
    REQUIRE(linked.userLinks.size() == 1);
    CHECK(linked.userLinks[0].id == "LOCAL");
    CHECK(linked.userCreates.empty());
    o.linkLocalAccounts = false;
    Plan refused = makePlan(buildSnapshot({user("a")}, {}, false, true), st, o, counterIds());
    CHECK(refused.userLinks.empty());
    CHECK(refused.userCreates.empty());
    REQUIRE(refused.skipped.size() == 1);
    CHECK_THAT(refused.skipped[0].reason, Catch::Contains("local account"));
}

TEST_CASE("plan: membership changes, and a group gone from the directory is deactivated, not deleted") {
    DirUser a = user("a"), b = user("b");
    CurrentState st;
    st.users = {current(a, "L1"), current(b, "L2")};
    st.groups = {{"G1", "g", "cn=g,dc=x", "g"}, {"G2", "old", "cn=old,dc=x", "old"}};
    st.memberships = {(std::uint64_t(0) << 32) | 0, (std::uint64_t(1) << 32) | 1};
    Snapshot s = buildSnapshot({a, b}, {{"g", "cn=g,dc=x", "g", {"uid=b,ou=people,dc=x"}}}, false, true);
    Plan p = makePlan(s, st, {}, counterIds());
    CHECK(p.groupDeletes.empty());
    REQUIRE(p.groupDeactivations.size() == 1);
    CHECK(p.groupDeactivations[0].id == "G2");
    REQUIRE(p.memberAdds.size() == 1);
    CHECK(p.groupIds[p.memberAdds[0].first] == "G1");
    CHECK(p.userIds[p.memberAdds[0].second] == "L2");
    REQUIRE(p.memberRemoves.size() == 1);  // G2 keeps its member while deactivated
    CHECK(p.groupIds[p.memberRemoves[0].first] == "G1");
    CHECK(p.userIds[p.memberRemoves[0].second] == "L1");
}

TEST_CASE("gate: refuses above max_deactivations or max_deactivation_percent") {
    Plan p;
    p.activeDirectoryUsers = 100;
    SyncConfig c;
    c.maxDeactivations = 500;
    c.maxDeactivationPercent = 10;
    for (int i = 0; i < 10; ++i) p.userDeactivations.push_back({"x", "y", "z"});
    CHECK_FALSE(thresholdRefusal(p, c));
    p.userDeletes.push_back({"x", "y", "z"});
    REQUIRE(thresholdRefusal(p, c));
    CHECK_THAT(*thresholdRefusal(p, c), Catch::Contains("max_deactivation_percent"));
    c.maxDeactivationPercent = 100;
    c.maxDeactivations = 5;
    CHECK_THAT(*thresholdRefusal(p, c), Catch::Contains("max_deactivations"));
}

TEST_CASE("gate: refuses an empty group read, and group or membership removals above max_group_deletions") {
    SyncConfig c;
    c.maxGroupDeletions = 10;
    Plan p;
    p.groupsRead = true;
    p.activeDirectoryGroups = 30;
    p.groupsReadCount = 0;
    for (int i = 0; i < 30; ++i) p.groupDeactivations.push_back({"G" + std::to_string(i), "x", "cn=x", "x"});
    REQUIRE(thresholdRefusal(p, c));
    CHECK_THAT(*thresholdRefusal(p, c), Catch::Contains("no groups"));
    c.maxGroupDeletions = 100;  // the empty read is refused whatever the limit
    CHECK(thresholdRefusal(p, c));

    c.maxGroupDeletions = 10;
    p.groupsReadCount = 27;
    p.groupDeactivations.resize(3);  // 10 %: allowed
    CHECK_FALSE(thresholdRefusal(p, c));
    p.groupDeletes.push_back({"G9", "x", "cn=x", "x"});
    REQUIRE(thresholdRefusal(p, c));
    CHECK_THAT(*thresholdRefusal(p, c), Catch::Contains("max_group_deletions"));

    Plan m;
    m.groupsRead = true;
    m.groupsReadCount = 1;
    m.activeDirectoryGroups = 1;
    m.directoryMemberships = 20;
    m.userIds = {"U0", "U1", "U2", "U3"};
    m.groupIds = {"G"};
    m.memberRemoves = {{0, 0}, {0, 1}};  // 10 %
    CHECK_FALSE(thresholdRefusal(m, c));
    m.memberRemoves.push_back({0, 2});
    REQUIRE(thresholdRefusal(m, c));
    CHECK_THAT(*thresholdRefusal(m, c), Catch::Contains("memberships"));
    // A user who leaves takes their memberships along; the user limits judge that.
    c.maxDeactivationPercent = 100;
    m.activeDirectoryUsers = 4;
    m.userDeactivations.push_back({"U2", "x", "x"});
    CHECK_FALSE(thresholdRefusal(m, c));
}

TEST_CASE("plan: a deactivated group that is back is reactivated; one gone longer than delete_after is deleted") {
    DirUser a = user("a");
    CurrentState st;
    st.users = {current(a, "L1")};
    CurrentGroup back{"G1", "g", "cn=g,dc=x", "g"};
    back.active = false;
    back.deactivatedAt = 100;
    CurrentGroup old{"G2", "old", "cn=old,dc=x", "old"};
    old.active = false;
    old.deactivatedAt = 100;
    st.groups = {back, old};
    st.memberships = {(std::uint64_t(0) << 32) | 0, (std::uint64_t(1) << 32) | 0};
    Snapshot s = buildSnapshot({a}, {{"g", "cn=g2,dc=x", "g", {"uid=a,ou=people,dc=x"}}}, false, true);
    PlanOptions o;
    o.deleteAfterSeconds = 1000;
    o.nowSeconds = 1099;  // not yet
    Plan early = makePlan(s, st, o, counterIds());
    REQUIRE(early.groupReactivations.size() == 1);
    CHECK(early.groupReactivations[0].id == "G1");
    CHECK(early.groupReactivations[0].changed == std::vector<std::string>{"dn", "active"});
    CHECK(early.groupDeletes.empty());
    CHECK(early.groupDeactivations.empty());
    CHECK(early.groupCreates.empty());
    CHECK(early.memberRemoves.empty());
    CHECK(early.memberAdds.empty());
    o.nowSeconds = 1100;
    Plan late = makePlan(s, st, o, counterIds());
    REQUIRE(late.groupDeletes.size() == 1);
    CHECK(late.groupDeletes[0].id == "G2");
}
