// The directory read's building blocks: the snapshot builder (group index arriving on another
// thread, possibly late or failed), the group index, DN keys, and the planner's memberships and
// email moves.
#include "sync/snapshot_builder.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "snapshot_fixture.h"
#include "sync/current_index.h"
#include "sync/dn_key.h"
#include "sync/group_index.h"
#include "sync/plan.h"
#include "sync/snapshot.h"
#include "sync/user_match.h"

using namespace rosterd::sync;
using namespace rosterd::sync::fixture;

namespace {

std::uint64_t membership(std::uint32_t group, std::uint32_t user) { return (std::uint64_t(group) << 32) | user; }

std::vector<std::string> reasons(const std::vector<SkippedEntry>& skipped) {
    std::vector<std::string> out;
    for (const auto& e : skipped) out.push_back(e.kind + " " + e.id + " " + e.dn + ": " + e.reason);
    return out;
}

// Everything in a snapshot, one line per record, so two snapshots compare with a readable diff.
std::vector<std::string> describe(const Snapshot& s) {
    std::vector<std::string> out;
    for (const auto& u : s.users)
        out.push_back("user " + u.id + "|" + u.dn + "|" + u.username + "|" + u.email + "|" + u.name);
    for (const auto& g : s.groups) {
        std::string line = "group " + g.id + "|" + g.dn + "|" + g.name + "|";
        for (auto m : g.members) line += std::to_string(m) + ",";
        out.push_back(line);
    }
    for (const auto& r : reasons(s.skipped)) out.push_back("skipped " + r);
    return out;
}

std::string joined(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += s + ",";
    return out;
}

// Everything in a plan, with memberships mapped to ids.
std::vector<std::string> describe(const Plan& p) {
    std::vector<std::string> out;
    for (const auto& w : p.userCreates) out.push_back("create " + w.id + " " + w.user.id + " " + w.user.email);
    for (const auto& w : p.userUpdates) out.push_back("update " + w.id + " " + joined(w.changed) + " " + w.user.email);
    for (const auto& w : p.userLinks) out.push_back("link " + w.id + " " + w.user.id);
    for (const auto& r : p.userDeactivations) out.push_back("deactivate " + r.id);
    for (const auto& r : p.userDeletes) out.push_back("delete " + r.id);
    for (const auto& g : p.groupCreates) out.push_back("group create " + g.id + " " + g.externalId + " " + g.name);
    for (const auto& g : p.groupUpdates) out.push_back("group update " + g.id + " " + joined(g.changed));
    for (const auto& g : p.groupDeactivations) out.push_back("group deactivate " + g.id);
    for (const auto& g : p.groupReactivations) out.push_back("group reactivate " + g.id);
    for (const auto& g : p.groupDeletes) out.push_back("group delete " + g.id);
    for (const auto& [g, u] : p.memberAdds) out.push_back("add " + p.groupIds.at(g) + " " + p.userIds.at(u));
    for (const auto& [g, u] : p.memberRemoves) out.push_back("remove " + p.groupIds.at(g) + " " + p.userIds.at(u));
    out.push_back("users " + joined(p.userIds));
    out.push_back("groups " + joined(p.groupIds));
    for (const auto& r : reasons(p.skipped)) out.push_back("skipped " + r);
    return out;
}

using IdPairs = std::vector<std::pair<std::string, std::string>>;

IdPairs toIds(const Plan& p, const std::vector<std::pair<std::uint32_t, std::uint32_t>>& pairs) {
    IdPairs out;
    for (const auto& [g, u] : pairs) out.emplace_back(p.groupIds.at(g), p.userIds.at(u));
    return out;
}

// A directory with something of everything: duplicates by id and email, entries without id or
// email, nested groups with a cycle, a group listing itself, a member in two spellings.
std::vector<std::vector<DirUser>> directoryPages() {
    DirUser a = user("a"), b = user("b"), c = user("c"), d = user("d"), e = user("e"), f = user("f"), g = user("g"),
            h = user("h"), x = user("x");
    DirUser againA = user("a2");
    againA.id = "id-a";         // stable id seen twice
    c.email = "A@Example.ORG";  // a's email in another case
    e.email.clear();            // no email
    g.username.clear();         // username falls back to the email
    g.name.clear();
    x.id.clear();               // no stable id
    a.email = "A@example.org";  // lower-cased on the way in
    return {{a, b, againA}, {c, d, e}, {f, g}, {h, x}};
}

std::vector<DirUser> allUsers() {
    std::vector<DirUser> out;
    for (auto& page : directoryPages()) out.insert(out.end(), page.begin(), page.end());
    return out;
}

std::vector<DirGroup> directoryGroups() {
    return {
        group("all", {userDn("a"), userDn("c"), userDn("d"), "CN=sub, OU=groups, DC=x", "uid=nobody,dc=x"}),
        group("sub", {userDn("b"), userDn("g"), groupDn("all")}),
        group("self", {groupDn("self"), userDn("h")}),
        group("twice", {"UID=f, ou=people,dc=x", userDn("f"), userDn("f"), userDn("a2")}),
        group("empty", {}),
    };
}

std::future<IndexedGroups> readyGroups(std::vector<DirGroup> groups, bool byUsername) {
    std::promise<IndexedGroups> p;
    p.set_value(indexGroups(std::move(groups), byUsername));
    return p.get_future();
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// snapshot builder

TEST_CASE("snapshot builder: the fixture directory resolves as expected (the reference below)") {
    Snapshot s = buildSnapshot(allUsers(), directoryGroups(), false, true);
    std::vector<std::string> kept;
    for (const auto& u : s.users) kept.push_back(u.username);
    CHECK(kept == std::vector<std::string>{"a", "b", "d", "f", "g@example.org", "h"});
    CHECK(membersOf(s, "all") == std::vector<std::string>{"a", "b", "d", "g@example.org"});
    CHECK(membersOf(s, "sub") == std::vector<std::string>{"a", "b", "d", "g@example.org"});
    CHECK(membersOf(s, "self") == std::vector<std::string>{"h"});
    CHECK(membersOf(s, "twice") == std::vector<std::string>{"f"});
    CHECK(membersOf(s, "empty").empty());
    CHECK(s.skipped.size() == 4);
}

TEST_CASE("snapshot builder: group index arriving after some pages gives the same snapshot") {
    for (bool nested : {true, false}) {
        CAPTURE(nested);
        const Snapshot reference = buildSnapshot(allUsers(), directoryGroups(), false, nested);
        for (std::size_t lateAfter = 0; lateAfter <= 4; ++lateAfter) {
            CAPTURE(lateAfter);  // pages added before the promise is set
            std::promise<IndexedGroups> promise;
            SnapshotBuilder builder(false, promise.get_future());
            auto pages = directoryPages();
            for (std::size_t i = 0; i < pages.size(); ++i) {
                if (i == lateAfter) promise.set_value(indexGroups(directoryGroups(), false));
                builder.addUsers(std::move(pages[i]));
            }
            if (lateAfter == pages.size()) promise.set_value(indexGroups(directoryGroups(), false));
            CHECK(describe(builder.finish(nested)) == describe(reference));
        }
    }
}

TEST_CASE("snapshot builder: group index set before the first page gives the same snapshot") {
    const Snapshot reference = buildSnapshot(allUsers(), directoryGroups(), false, true);
    SnapshotBuilder builder(false, readyGroups(directoryGroups(), false));
    for (auto& page : directoryPages()) builder.addUsers(std::move(page));
    builder.addUsers({});  // an empty page changes nothing
    CHECK(describe(builder.finish(true)) == describe(reference));
}

TEST_CASE("snapshot builder: group index built on another thread while pages arrive") {
    const Snapshot reference = buildSnapshot(allUsers(), directoryGroups(), false, true);
    std::promise<IndexedGroups> promise;
    SnapshotBuilder builder(false, promise.get_future());
    std::thread indexer([&promise] { promise.set_value(indexGroups(directoryGroups(), false)); });
    for (auto& page : directoryPages()) builder.addUsers(std::move(page));
    Snapshot s = builder.finish(true);
    indexer.join();
    CHECK(describe(s) == describe(reference));
}

TEST_CASE("snapshot builder: memberUid groups arriving late match by username") {
    std::vector<DirGroup> groups = {group("g", {"b", "A", "g@example.org", "nobody"})};
    const Snapshot reference = buildSnapshot(allUsers(), groups, true, true);
    CHECK(membersOf(reference, "g") == std::vector<std::string>{"b", "g@example.org"});
    std::promise<IndexedGroups> promise;
    SnapshotBuilder builder(true, promise.get_future());
    auto pages = directoryPages();
    builder.addUsers(std::move(pages[0]));
    builder.addUsers(std::move(pages[1]));
    promise.set_value(indexGroups(groups, true));
    builder.addUsers(std::move(pages[2]));
    builder.addUsers(std::move(pages[3]));
    CHECK(describe(builder.finish(true)) == describe(reference));
}

TEST_CASE("snapshot builder: onKept sees each kept user once, in snapshot order, as it is kept") {
    std::vector<std::string> seen;
    std::promise<IndexedGroups> promise;
    SnapshotBuilder builder(false, promise.get_future(),
                            [&](const DirUser& u) { seen.push_back(u.id + " " + u.email); });
    auto pages = directoryPages();
    builder.addUsers(std::move(pages[0]));
    CHECK(seen == std::vector<std::string>{"id-a a@example.org", "id-b b@example.org"});  // before the groups
    for (std::size_t i = 1; i < pages.size(); ++i) builder.addUsers(std::move(pages[i]));
    promise.set_value(indexGroups(directoryGroups(), false));
    Snapshot s = builder.finish(true);
    std::vector<std::string> kept;
    for (const auto& u : s.users) kept.push_back(u.id + " " + u.email);
    CHECK(seen == kept);
}

TEST_CASE("snapshot builder: a failed group read is thrown by finish, not by addUsers") {
    std::promise<IndexedGroups> promise;
    std::size_t kept = 0;
    SnapshotBuilder builder(false, promise.get_future(), [&](const DirUser&) { ++kept; });
    auto pages = directoryPages();
    std::size_t firstTwoPages = 0;  // users kept from pages 0 and 1
    auto fail = [&] { promise.set_exception(std::make_exception_ptr(std::runtime_error("groups failed"))); };
    // Once the failure is seen, no more users are reported kept (a first sync stops creating).
    SECTION("before the first page") {
        fail();
        for (auto& page : pages) CHECK_NOTHROW(builder.addUsers(std::move(page)));
        CHECK(kept == 0);
    }
    SECTION("between pages") {
        CHECK_NOTHROW(builder.addUsers(std::move(pages[0])));
        CHECK_NOTHROW(builder.addUsers(std::move(pages[1])));
        firstTwoPages = kept;
        CHECK(firstTwoPages > 0);
        fail();
        CHECK_NOTHROW(builder.addUsers(std::move(pages[2])));
        CHECK_NOTHROW(builder.addUsers(std::move(pages[3])));
        CHECK(kept == firstTwoPages);
    }
    SECTION("after the last page") {
        for (auto& page : pages) CHECK_NOTHROW(builder.addUsers(std::move(page)));
        CHECK(kept > 0);
        fail();
    }
    CHECK_THROWS_WITH(builder.finish(true), "groups failed");
}

TEST_CASE("snapshot builder: duplicates and incomplete entries are skipped; members index final positions") {
    DirUser a = user("a"), again = user("again"), b = user("b"), noEmail = user("ne"), noId = user("ni"), c = user("c");
    again.id = "id-a";
    b.email = "A@EXAMPLE.org";
    noEmail.email.clear();
    noId.id.clear();
    noId.email.clear();  // neither: reported for the id
    std::vector<DirGroup> groups = {
        group("g", {userDn("c"), userDn("again"), userDn("b"), userDn("ne"), userDn("ni"), userDn("a")})};
    std::promise<IndexedGroups> promise;
    SnapshotBuilder builder(false, promise.get_future());
    builder.addUsers({a, again, b});
    builder.addUsers({noEmail, noId});
    promise.set_value(indexGroups(groups, false));
    builder.addUsers({c});
    Snapshot s = builder.finish(true);

    REQUIRE(s.users.size() == 2);
    CHECK(s.users[0].id == "id-a");
    CHECK(s.users[0].username == "a");
    CHECK(s.users[0].email == "a@example.org");
    CHECK(s.users[1].id == "id-c");
    CHECK(reasons(s.skipped) ==
          std::vector<std::string>{
              "user id-a " + userDn("again") + ": stable id seen twice",
              "user id-b " + userDn("b") + ": duplicate email a@example.org (kept by " + userDn("a") + ")",
              "user id-ne " + userDn("ne") + ": entry has no email",
              "user  " + userDn("ni") + ": entry has no stable id",
          });
    const DesiredGroup* g = findGroup(s, "g");
    REQUIRE(g);
    CHECK(g->members == std::vector<std::uint32_t>{0, 1});
    CHECK(membersOf(s, "g") == std::vector<std::string>{"a", "c"});
}

// ---------------------------------------------------------------------------------------------
// group index

TEST_CASE("group index: a member listed twice or in two spellings is one key, its group listed once") {
    IndexedGroups ix = indexGroups(
        {group("g", {"UID=a, ou=people,dc=x", userDn("a"), userDn("a")}), group("h", {userDn("a")})}, false);
    REQUIRE(ix.keyOf.size() == 1);
    CHECK(ix.keyOf[0] == userDn("a"));
    CHECK(ix.memberKeys.at(userDn("a")) == 0);
    CHECK(ix.offsets == std::vector<std::uint32_t>{0, 2});
    CHECK(ix.listers == std::vector<std::uint32_t>{0, 1});
    CHECK(ix.byDn.at(groupDn("g")) == 0);
    CHECK(ix.byDn.at(groupDn("h")) == 1);
}

TEST_CASE("group index: a user listed twice, or in two spellings, is a member once") {
    Snapshot s =
        buildSnapshot({user("a"), user("b")},
                      {group("g", {"UID=a, ou=people,dc=x", userDn("a"), userDn("a"), userDn("b")})}, false, true);
    const DesiredGroup* g = findGroup(s, "g");
    REQUIRE(g);
    CHECK(g->members == std::vector<std::uint32_t>{0, 1});
}

TEST_CASE("group index: two groups listing the same user both get it") {
    Snapshot s =
        buildSnapshot({user("a"), user("b")},
                      {group("g", {userDn("b")}), group("h", {"UID=B,OU=People,DC=X", userDn("a")})}, false, false);
    CHECK(membersOf(s, "g") == std::vector<std::string>{"b"});
    CHECK(membersOf(s, "h") == std::vector<std::string>{"a", "b"});
}

TEST_CASE("group index: a member naming no user and no group is ignored") {
    Snapshot s = buildSnapshot(
        {user("a")}, {group("g", {"uid=ghost,ou=people,dc=x", groupDn("nothing"), userDn("a"), ""})}, false, true);
    const DesiredGroup* g = findGroup(s, "g");
    REQUIRE(g);
    CHECK(g->members == std::vector<std::uint32_t>{0});
    CHECK(s.skipped.empty());
}

TEST_CASE("group index: nested groups flatten through a cycle; not when nesting is off") {
    std::vector<DirUser> users = {user("a"), user("b"), user("c"), user("d")};
    std::vector<DirGroup> groups = {
        group("one", {userDn("a"), "CN=two, OU=groups, DC=x"}), group("two", {userDn("b"), groupDn("three")}),
        group("three", {userDn("c"), groupDn("one")}),
        group("outside", {userDn("d"), groupDn("three")}),  // contains the cycle, is not in it
    };
    Snapshot nested = buildSnapshot(users, groups, false, true);
    for (const char* name : {"one", "two", "three"}) {
        CAPTURE(name);
        CHECK(membersOf(nested, name) == std::vector<std::string>{"a", "b", "c"});
    }
    CHECK(membersOf(nested, "outside") == std::vector<std::string>{"a", "b", "c", "d"});
    for (const auto& g : nested.groups) CHECK(std::is_sorted(g.members.begin(), g.members.end()));

    Snapshot flat = buildSnapshot(users, groups, false, false);
    CHECK(membersOf(flat, "one") == std::vector<std::string>{"a"});
    CHECK(membersOf(flat, "two") == std::vector<std::string>{"b"});
    CHECK(membersOf(flat, "three") == std::vector<std::string>{"c"});
    CHECK(membersOf(flat, "outside") == std::vector<std::string>{"d"});
}

TEST_CASE("group index: a group listing its own DN does not contain itself") {
    std::vector<DirGroup> groups = {group("self", {"CN=self,OU=groups,DC=x", userDn("a")}),
                                    group("alone", {groupDn("alone")})};
    Snapshot s = buildSnapshot({user("a"), user("b")}, groups, false, true);
    CHECK(membersOf(s, "self") == std::vector<std::string>{"a"});
    CHECK(membersOf(s, "alone").empty());
}

TEST_CASE("group index: memberUid groups match usernames exactly") {
    DirUser upper = user("b");
    upper.username = "Bob";
    std::vector<DirGroup> groups = {
        group("g", {"a", "a", "bob", "A"}), group("h", {"Bob", "uid=a,ou=people,dc=x"}),
        group("n", {"a", groupDn("g")}),  // no nesting by username
    };
    Snapshot s = buildSnapshot({user("a"), upper}, groups, true, true);
    CHECK(membersOf(s, "g") == std::vector<std::string>{"a"});
    CHECK(membersOf(s, "h") == std::vector<std::string>{"Bob"});
    CHECK(membersOf(s, "n") == std::vector<std::string>{"a"});
}

TEST_CASE("group index: groups without id or name, or repeating one, are skipped with reasons") {
    DirGroup noId = group("noid", {userDn("a")}), noName = group("noname", {userDn("a")});
    DirGroup sameId = group("sameid", {userDn("a")}), sameName = group("other", {userDn("a")});
    noId.id.clear();
    noName.name.clear();
    sameId.id = "gid-first";
    sameName.name = "first";
    std::vector<DirGroup> groups = {
        noId, group("first", {userDn("b")}), noName, sameId, sameName, group("last", {userDn("c"), groupDn("other")})};
    IndexedGroups ix = indexGroups(groups, false);
    std::vector<std::string> kept;
    for (const auto& g : ix.groups) kept.push_back(g.name);
    CHECK(kept == std::vector<std::string>{"first", "last"});
    CHECK(reasons(ix.skipped) == std::vector<std::string>{
                                     "group  " + groupDn("noid") + ": entry has no stable id",
                                     "group gid-noname " + groupDn("noname") + ": entry has no name",
                                     "group gid-first " + groupDn("sameid") + ": stable id seen twice",
                                     "group gid-other " + groupDn("other") + ": duplicate group name first",
                                 });

    // The kept groups keep their own members after the compaction; a skipped group does not nest.
    Snapshot s = buildSnapshot({user("a"), user("b"), user("c")}, groups, false, true);
    REQUIRE(s.groups.size() == 2);
    CHECK(s.groups[0].id == "gid-first");
    CHECK(membersOf(s, "first") == std::vector<std::string>{"b"});
    CHECK(s.groups[1].id == "gid-last");
    CHECK(membersOf(s, "last") == std::vector<std::string>{"c"});
    CHECK(reasons(s.skipped) == reasons(ix.skipped));
}

TEST_CASE("group index: normalised keys stay valid across many key blocks") {
    // Upper-case DNs of ~200 characters: their keys fill several 64 KiB blocks.
    const std::string pad(180, 'P');
    std::vector<DirUser> users;
    std::vector<DirGroup> groups;
    for (int i = 0; i < 1500; ++i) {
        std::string n = std::to_string(i);
        n.insert(n.begin(), 'u');  // not "u" + std::to_string(i): g++ 12 warns falsely on it when optimising
        DirUser u = user(n);
        u.dn = "uid=" + n + ",ou=" + pad + ",dc=x";
        users.push_back(u);
        groups.push_back(
            {"gid-" + n, "CN=G" + n + ", OU=" + pad + ",DC=X", "g" + n, {"UID=" + n + ", OU=" + pad + ",DC=x"}});
    }
    groups.push_back({"gid-top", "cn=top,dc=x", "top", {}});
    for (int i = 0; i < 1500; i += 100)
        groups.back().members.push_back("cn=gu" + std::to_string(i) + ",ou=" + pad + ",dc=x");
    Snapshot s = buildSnapshot(users, groups, false, true);
    REQUIRE(s.groups.size() == 1501);
    bool allRight = true;
    for (std::uint32_t i = 0; i < 1500; ++i)
        allRight = allRight && s.groups[i].members == std::vector<std::uint32_t>{i};
    CHECK(allRight);
    CHECK(s.groups.back().members.size() == 15);
}

// ---------------------------------------------------------------------------------------------
// dn key

TEST_CASE("dn key: a lower-case DN without blanks after commas is its own key") {
    for (std::string dn : {"uid=a,ou=people,dc=x", "", "cn=a b,dc=x", "cn=a ,dc=x", "cn=\xc3\x89va,dc=x", "o=1-2_3"}) {
        CAPTURE(dn);
        CHECK(isDnKey(dn));
        CHECK(dnKey(dn) == dn);
    }
}

TEST_CASE("dn key: upper case or a blank after a comma is not a key") {
    for (std::string dn : {"UID=a,ou=people,dc=x", "uid=a, ou=people,dc=x", "uid=a,ou=people,dc=X", "a,  b", "a, "}) {
        CAPTURE(dn);
        CHECK_FALSE(isDnKey(dn));
        CHECK(dnKey(dn) != dn);
        CHECK(isDnKey(dnKey(dn)));
    }
}

TEST_CASE("dn key: keys drop every blank after a comma and lower-case ASCII only") {
    CHECK(dnKey("UID=A,  OU=People, DC=X") == "uid=a,ou=people,dc=x");
    CHECK(dnKey("CN=Smith John , OU=G") == "cn=smith john ,ou=g");  // blanks elsewhere stay
    CHECK(dnKey("CN=\xc3\x89VA,DC=X") == "cn=\xc3\x89va,dc=x");     // É's bytes untouched
    CHECK(dnKey("a,,  ,b") == "a,,,b");
    CHECK(dnKey(",   ") == ",");

    const std::string dn = "UID=A,   OU=People,  DC=X";
    std::string buffer(dn.size() + 4, '#');
    const std::size_t n = writeDnKey(dn, buffer.data());
    CHECK(n == std::string("uid=a,ou=people,dc=x").size());
    CHECK(buffer.substr(0, n) == "uid=a,ou=people,dc=x");
    CHECK(buffer.substr(dn.size()) == "####");  // nothing written past dn.size()
}

// ---------------------------------------------------------------------------------------------
// plan

TEST_CASE("plan: membership adds and removes are exactly the changes, in (group, user) slot order") {
    DirUser a = user("a"), b = user("b"), c = user("c"), d = user("d");
    CurrentState st;
    st.users = {current(a, "L1"), current(b, "L2"), current(c, "L3")};
    st.groups = {{"G1", "gid-kept", groupDn("kept"), "kept"}, {"G2", "gid-gone", groupDn("gone"), "gone"}};
    st.memberships = {membership(0, 0), membership(0, 1), membership(1, 0), membership(1, 2)};
    // Read order differs from the store's order, so slots differ from snapshot indexes.
    Snapshot s = buildSnapshot(
        {d, c, b, a},
        {group("new", {userDn("d"), userDn("a")}), group("kept", {userDn("d"), userDn("c"), userDn("b")})}, false,
        true);
    Plan p = makePlan(s, st, {}, counterIds());

    REQUIRE(p.userCreates.size() == 1);
    CHECK(p.userCreates[0].id == "new-1");
    REQUIRE(p.groupCreates.size() == 1);
    CHECK(p.groupCreates[0].id == "new-2");
    REQUIRE(p.groupDeactivations.size() == 1);
    CHECK(p.groupDeactivations[0].id == "G2");
    CHECK(p.userIds == std::vector<std::string>{"L1", "L2", "L3", "new-1"});
    CHECK(p.groupIds == std::vector<std::string>{"G1", "G2", "new-2"});
    CHECK(toIds(p, p.memberAdds) == IdPairs{{"G1", "L3"}, {"G1", "new-1"}, {"new-2", "L1"}, {"new-2", "new-1"}});
    CHECK(toIds(p, p.memberRemoves) == IdPairs{{"G1", "L1"}});  // none for G2: its delete takes them
    CHECK(std::is_sorted(p.memberAdds.begin(), p.memberAdds.end()));
    CHECK(std::is_sorted(p.memberRemoves.begin(), p.memberRemoves.end()));
    CHECK(p.skipped.empty());
}

TEST_CASE("plan: with the index and matches worked out beforehand, the plan is the same") {
    DirUser a = user("a"), b = user("b"), c = user("c"), d = user("d");
    CurrentState st;
    st.users = {current(a, "L1"), current(b, "L2"), current(c, "L3")};
    st.users[2].active = false;
    st.groups = {{"G1", "gid-kept", groupDn("kept"), "kept"}, {"G2", "gid-gone", groupDn("gone"), "gone"}};
    st.memberships = {membership(0, 0), membership(0, 1), membership(1, 0), membership(1, 2)};
    b.name = "Renamed";
    st.localEmails = {{"local@example.org", "LOCAL"}};
    a.email = "local@example.org";  // a local account's: refused
    Snapshot s = buildSnapshot(
        {d, c, b, a},
        {group("new", {userDn("d"), userDn("a")}), group("kept", {userDn("d"), userDn("c"), userDn("b")})}, false,
        true);
    const Plan p = makePlan(s, st, {}, counterIds());
    CHECK(p.changeCount() > 0);
    CHECK(p.skipped.size() == 1);

    const CurrentIndex index(st);
    std::vector<UserMatch> matches;
    for (const auto& u : s.users) matches.push_back(matchUser(u, st, index));
    CHECK(describe(makePlan(s, st, index, matches, {}, counterIds())) == describe(p));
    CHECK_THROWS_AS(makePlan(s, st, index, {}, {}, counterIds()), std::logic_error);
}

TEST_CASE("plan: users created while reading come first in the creates, with their ids and memberships") {
    CurrentState st;
    st.localEmails = {{"b@example.org", "LOCAL"}};
    Snapshot s = buildSnapshot({user("a"), user("b"), user("c"), user("d")},
                               {group("g", {userDn("a"), userDn("b"), userDn("c"), userDn("d")})}, false, true);
    const CurrentIndex index(st);
    std::vector<UserMatch> matches;
    for (const auto& u : s.users) matches.push_back(matchUser(u, st, index));
    PlanOptions o;
    o.linkLocalAccounts = true;
    WrittenUsers written{{0, 2}, {"W-a", "W-c"}};  // a and c; d was read before the store was loaded
    const Plan p = makePlan(s, st, index, matches, o, counterIds(), written);
    REQUIRE(p.userCreates.size() == 3);
    CHECK(p.userCreatesWritten == 2);
    CHECK(p.userCreates[0].id == "W-a");
    CHECK(p.userCreates[0].user.username == "a");
    CHECK(p.userCreates[1].id == "W-c");
    CHECK(p.userCreates[2].id == "new-1");
    CHECK(p.userCreates[2].user.username == "d");
    REQUIRE(p.userLinks.size() == 1);
    CHECK(p.userLinks[0].id == "LOCAL");
    std::vector<std::string> added;
    for (const auto& [g, u] : p.memberAdds) added.push_back(p.userIds[u]);
    std::sort(added.begin(), added.end());
    CHECK(added == std::vector<std::string>{"LOCAL", "W-a", "W-c", "new-1"});
    // The same changes as a plan with nothing written beforehand.
    CHECK(p.counts() == makePlan(s, st, o, counterIds()).counts());
    CHECK(makePlan(s, st, o, counterIds()).userCreatesWritten == 0);

    // Only new users can have been written; and each needs its id.
    CurrentState stored;
    stored.users = {current(user("a"), "L1")};
    const CurrentIndex storedIndex(stored);
    std::vector<UserMatch> storedMatches;
    for (const auto& u : s.users) storedMatches.push_back(matchUser(u, stored, storedIndex));
    CHECK_THROWS_AS(makePlan(s, stored, storedIndex, storedMatches, o, counterIds(), WrittenUsers{{0}, {"W-a"}}),
                    std::logic_error);
    CHECK_THROWS_AS(makePlan(s, st, index, matches, o, counterIds(), WrittenUsers{{0, 2}, {"W-a"}}), std::logic_error);
}

TEST_CASE("plan: a skipped newcomer gets no membership; a user gone from the directory loses its") {
    DirUser a = user("a"), b = user("b"), clash = user("clash");
    clash.email = a.email;  // a new entry wanting the email the departed a still holds
    CurrentState st;
    st.users = {current(a, "L1"), current(b, "L2")};
    st.groups = {{"G1", "gid-g", groupDn("g"), "g"}};
    st.memberships = {membership(0, 0)};
    Snapshot s = buildSnapshot({clash, b}, {group("g", {userDn("a"), userDn("b"), userDn("clash")})}, false, true);
    Plan p = makePlan(s, st, {}, counterIds());
    CHECK(p.userCreates.empty());
    REQUIRE(p.skipped.size() == 1);
    CHECK(p.skipped[0].id == "id-clash");
    REQUIRE(p.userDeactivations.size() == 1);
    CHECK(p.userDeactivations[0].id == "L1");
    CHECK(toIds(p, p.memberAdds) == IdPairs{{"G1", "L2"}});
    CHECK(toIds(p, p.memberRemoves) == IdPairs{{"G1", "L1"}});
}

TEST_CASE("plan: an email given up in this run is free for a newcomer") {
    DirUser a = user("a"), b = user("b"), c = user("c");
    a.email = "a@x";
    b.email = "b@x";
    CurrentState st;
    st.users = {current(a, "L1"), current(b, "L2")};
    a.email = "c@x";
    c.email = "a@x";
    for (bool newcomerFirst : {false, true}) {
        CAPTURE(newcomerFirst);
        std::vector<DirUser> read = newcomerFirst ? std::vector<DirUser>{c, a, b} : std::vector<DirUser>{a, b, c};
        Plan p = makePlan(buildSnapshot(read, {}, false, true), st, {}, counterIds());
        CHECK(reasons(p.skipped).empty());
        REQUIRE(p.userUpdates.size() == 1);
        CHECK(p.userUpdates[0].id == "L1");
        CHECK(p.userUpdates[0].changed == std::vector<std::string>{"email"});
        CHECK(p.userUpdates[0].user.email == "c@x");
        REQUIRE(p.userCreates.size() == 1);
        CHECK(p.userCreates[0].user.id == "id-c");
        CHECK(p.userCreates[0].user.email == "a@x");
        CHECK(p.userDeactivations.empty());
    }
}

TEST_CASE("plan: an email another account keeps is refused, the old one kept") {
    DirUser a = user("a"), b = user("b");
    a.email = "a@x";
    b.email = "b@x";
    CurrentState st;
    st.users = {current(a, "L1"), current(b, "L2")};
    a.email = "b@x";

    Plan p = makePlan(buildSnapshot({a, b}, {}, false, true), st, {}, counterIds());
    CHECK(p.userUpdates.empty());  // the email was the only change
    REQUIRE(p.skipped.size() == 1);
    CHECK(p.skipped[0].id == "id-a");
    CHECK_THAT(p.skipped[0].reason, Catch::Contains("used by another account") && Catch::Contains("kept a@x"));

    a.name = "Renamed";  // with another change, the update goes out with the old email
    p = makePlan(buildSnapshot({a, b}, {}, false, true), st, {}, counterIds());
    REQUIRE(p.userUpdates.size() == 1);
    CHECK(p.userUpdates[0].id == "L1");
    CHECK(p.userUpdates[0].changed == std::vector<std::string>{"name"});
    CHECK(p.userUpdates[0].user.email == "a@x");
    CHECK(p.userCreates.empty());
}

namespace {

// A source that records on which thread, and in what order, its two reads run.
class OrderedSource final : public DirectorySource {
public:
    explicit OrderedSource(bool sideBySide) : sideBySide_(sideBySide) {}
    void readUsers(const UserPage& onPage) override {
        note("users begin");
        std::vector<DirUser> page = {user("a"), user("b")};
        onPage(page);
        note("users end");
    }
    void readGroups(const GroupPage& onPage) override {
        note("groups");
        groupThread = std::this_thread::get_id();
        std::vector<DirGroup> page = {{"g", "cn=g,dc=x", "g", {"uid=b,ou=people,dc=x"}}};
        onPage(page);
    }
    bool membersAreUsernames() const override { return false; }
    bool readsSideBySide() const override { return sideBySide_; }

    std::vector<std::string> calls;
    std::thread::id groupThread;

private:
    void note(const std::string& what) {
        std::lock_guard lock(mutex_);
        calls.push_back(what);
    }
    const bool sideBySide_;
    std::mutex mutex_;
};

}  // namespace

TEST_CASE("read snapshot: groups read on another thread, or after the users when the source cannot do both") {
    for (bool sideBySide : {true, false}) {
        CAPTURE(sideBySide);
        OrderedSource source(sideBySide);
        std::vector<std::string> kept;
        Snapshot s = readSnapshot(source, true, [&](const DirUser& u) { kept.push_back(u.username); });
        CHECK(kept == std::vector<std::string>{"a", "b"});
        REQUIRE(s.groups.size() == 1);
        REQUIRE(s.groups[0].members.size() == 1);
        CHECK(s.users[s.groups[0].members[0]].username == "b");
        if (sideBySide) {
            CHECK(source.groupThread != std::this_thread::get_id());
        } else {
            CHECK(source.groupThread == std::this_thread::get_id());
            CHECK(source.calls == std::vector<std::string>{"users begin", "users end", "groups"});
        }
    }
}
