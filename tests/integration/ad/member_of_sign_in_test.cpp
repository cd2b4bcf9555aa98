// Sign-in with [ldap] member_of_attribute = memberOf against a real Samba AD, which keeps memberOf
// on every user: the user's groups come from the entry, groups holding them from the level walk,
// and the primary group (never in memberOf) from its own search. Both store drivers.
#include "ad_env.h"

using namespace rosterd;
using namespace rosterd::test;

TEST_CASE("ad sign-in with member_of_attribute: memberOf, groups holding its groups, and the primary group") {
    auto driver = GENERATE(allDrivers());
    // The group names are known before the server starts, which reads them from its settings.
    std::string probe = SambaAdServer::shared().newOu();
    const std::string tag = std::to_string(std::stoi(probe.substr(4, probe.find(',') - 4)) + 1);
    const std::string admins = "moadm" + tag, staff = "mostaff" + tag, primary = "mopri" + tag;
    AdEnv env(driver, {{"ldap.member_of_attribute", "memberOf"},
                       {"ldap.admin_groups", admins},
                       {"ldap.allowed_groups", staff + "," + admins + "," + primary}});
    REQUIRE(env.name("") == tag);
    const std::string lea = env.name("lea"), zoe = env.name("zoe"), cai = env.name("cai"), abe = env.name("abe");
    const std::string leaDn = env.addUser(lea), zoeDn = env.addUser(zoe), caiDn = env.addUser(cai);
    env.addUser(abe);
    const std::string innerDn = env.ad.addGroup(env.ou, env.name("moinner"), {leaDn});
    env.ad.addGroup(env.ou, admins, {innerDn});
    const std::string staffDn = env.ad.addGroup(env.ou, staff, {zoeDn});
    const std::string primaryDn = env.ad.addGroup(env.ou, primary, {caiDn});
    env.makePrimary(caiDn, primaryDn);
    REQUIRE(env.readEntry(leaDn, {"memberOf"}).values("memberOf") == std::vector<std::string>{innerDn});

    auto r = env.login(lea, AdEnv::passwordOf(lea));
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(r.json()["role"] == "admin");  // through moinner, held by the admin group
    r = env.login(zoe, AdEnv::passwordOf(zoe));
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(r.json()["role"] == "user");
    r = env.login(cai, AdEnv::passwordOf(cai));  // allowed only through the primary group
    INFO(r.body);
    CHECK(r.status == 200);
    CHECK(env.login(abe, AdEnv::passwordOf(abe)).status == 403);

    // Out of staff: AD drops the memberOf value and the next sign-in refuses at once.
    env.ad.replace(staffDn, "member", {});
    CHECK(env.login(zoe, AdEnv::passwordOf(zoe)).status == 403);
}
