// AD security groups synced from a real Samba AD: members by DN, a group inside a group followed
// by [sync] nested_groups (or not), and the same read through the Global Catalog (ldaps://:3269). Both
// store drivers.
#include "ad_env.h"

using namespace rosterd;
using namespace rosterd::test;

TEST_CASE("ad groups: members by DN, a group in a group followed (nested_groups, the default)") {
    AdEnv env(GENERATE(allDrivers()));
    const std::string tia = env.name("tia"), uma = env.name("uma");
    const std::string eng = env.name("eng"), all = env.name("all");
    std::string tiaDn = env.addUser(tia), umaDn = env.addUser(uma);
    std::string engDn = env.ad.addGroup(env.ou, eng, {tiaDn});
    env.ad.addGroup(env.ou, all, {engDn, umaDn});

    auto run = env.sync();
    CHECK(run["counts"]["users_created"] == 2);
    CHECK(env.scalar("SELECT count(*) FROM groups WHERE source = 'ldap'") == 2);
    CHECK(env.membersOf(eng) == 1);
    CHECK(env.membersOf(all) == 2);  // uma directly, tia through eng
    CHECK(env.text("SELECT external_id FROM groups WHERE name = $1", {eng}).size() == 36);  // objectGUID
}

TEST_CASE("ad groups: nested_groups = false gives a group in a group only its direct members") {
    AdEnv env(GENERATE(allDrivers()), {{"sync.nested_groups", "false"}});
    const std::string vic = env.name("vic"), wes = env.name("wes");
    const std::string ops = env.name("ops"), top = env.name("top");
    std::string opsDn = env.ad.addGroup(env.ou, ops, {env.addUser(vic)});
    env.ad.addGroup(env.ou, top, {opsDn, env.addUser(wes)});
    env.sync();
    CHECK(env.membersOf(ops) == 1);
    CHECK(env.membersOf(top) == 1);
}

TEST_CASE("ad groups: the Global Catalog URL reads users and groups") {
    AdEnv env(GENERATE(allDrivers()), {{"ldap.url", SambaAdServer::shared().gcUrl()}});
    const std::string xia = env.name("xia"), gc = env.name("gc");
    env.ad.addGroup(env.ou, gc, {env.addUser(xia)});
    auto run = env.sync();
    CHECK(run["counts"]["users_created"] == 1);
    CHECK(env.active(xia));
    CHECK(env.membersOf(gc) == 1);
    auto r = env.login(xia, AdEnv::passwordOf(xia));
    INFO(r.body);
    CHECK(r.status == 200);
}

TEST_CASE("ad groups: nested_groups = server reads each group's users through LDAP_MATCHING_RULE_IN_CHAIN") {
    AdEnv env(GENERATE(allDrivers()), {{"sync.nested_groups", "server"}});
    const std::string ida = env.name("ida"), jon = env.name("jon"), kit = env.name("kit");
    const std::string inner = env.name("inner"), middle = env.name("middle"), outer = env.name("outer");
    std::string innerDn = env.ad.addGroup(env.ou, inner, {env.addUser(ida)});
    std::string middleDn = env.ad.addGroup(env.ou, middle, {innerDn, env.addUser(jon)});
    env.ad.addGroup(env.ou, outer, {middleDn, env.addUser(kit)});
    env.sync();
    CHECK(env.membersOf(inner) == 1);
    CHECK(env.membersOf(middle) == 2);  // jon directly, ida through inner
    CHECK(env.membersOf(outer) == 3);   // kit directly, jon and ida two levels down
}
