// AD primary groups against a real Samba AD: a user's primary group lists the user only through
// the user's primaryGroupID (the RID of the group's objectSid), never in `member`. Sync and login
// count the user as its member, and a changed primaryGroupID moves the membership. Both stores.
#include "ad_env.h"

using namespace rosterd;
using namespace rosterd::test;

TEST_CASE("ad primary group: a user is a member of its primary group after sync; a change moves it") {
    // Moving one of three memberships is more than the default share a run may remove.
    AdEnv env(GENERATE(allDrivers()), {{"sync.max_group_deletions", "100"}});
    const std::string ann = env.name("ann"), ben = env.name("ben");
    const std::string first = env.name("first"), second = env.name("second");
    std::string annDn = env.addUser(ann), benDn = env.addUser(ben);
    std::string firstDn = env.ad.addGroup(env.ou, first, {annDn, benDn});
    std::string secondDn = env.ad.addGroup(env.ou, second, {annDn});
    env.makePrimary(annDn, firstDn);
    // AD takes the user out of the group's member values once it is the primary group.
    CHECK(env.readEntry(firstDn, {"member"}).values("member") == std::vector<std::string>{benDn});

    env.sync();
    CHECK(env.membersOf(first) == 2);
    CHECK(env.membersOf(second) == 1);

    env.makePrimary(annDn, secondDn);
    env.ad.replace(firstDn, "member", {benDn});  // AD gave the old primary group a member value
    CHECK(env.readEntry(secondDn, {"member"}).values("member").empty());
    env.sync();
    CHECK(env.membersOf(first) == 1);
    CHECK(env.membersOf(second) == 1);
    CHECK(env.scalar("SELECT count(*) FROM group_members m JOIN groups g ON g.id = m.group_id JOIN users u ON u.id = "
                     "m.user_id WHERE g.name = $1 AND u.username = $2",
                     {second, ann}) == 1);
}

TEST_CASE("ad primary group: login counts the primary group (allowed_groups)") {
    auto driver = GENERATE(allDrivers());
    SambaAdServer& ad = SambaAdServer::shared();
    // The group name is known before the server starts, which reads it from its settings.
    std::string probe = ad.newOu();
    const std::string tag = std::to_string(std::stoi(probe.substr(4, probe.find(',') - 4)) + 1);
    const std::string staff = "pstaff" + tag;
    AdEnv env(driver, {{"ldap.allowed_groups", staff}});
    REQUIRE(env.name("") == tag);
    const std::string cai = env.name("cai");
    std::string caiDn = env.addUser(cai);
    std::string staffDn = env.ad.addGroup(env.ou, staff, {caiDn});
    env.makePrimary(caiDn, staffDn);
    REQUIRE(env.readEntry(staffDn, {"member"}).values("member").empty());

    auto r = env.login(cai, AdEnv::passwordOf(cai));
    INFO(r.body);
    CHECK(r.status == 200);
}
