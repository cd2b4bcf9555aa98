// Sign-in with [sync] nested_groups = server against a real Samba AD: the user's groups at any
// depth come from one LDAP_MATCHING_RULE_IN_CHAIN search, so a group in an admin group grants
// admin, a chain deeper than the level-by-level walk follows does too, and a removal counts at the
// next sign-in. Both store drivers for the first case.
#include "ad_env.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

/// The number AdEnv's next OU gets (OU=t<n>), so group names known to the settings match it.
std::string tagOfNextChainOu() {
    std::string probe = SambaAdServer::shared().newOu();
    return std::to_string(std::stoi(probe.substr(4, probe.find(',') - 4)) + 1);
}

std::string roleOfChainUser(AdEnv& env, const std::string& sam) {
    return env.text("SELECT role FROM users WHERE username = $1", {sam});
}

}  // namespace

TEST_CASE("ad nested sign-in: nested_groups = server grants admin through a group in an admin group") {
    auto driver = GENERATE(allDrivers());
    const std::string tag = tagOfNextChainOu();
    const std::string admins = "chainadm" + tag;
    AdEnv env(driver, {{"sync.nested_groups", "server"}, {"ldap.admin_groups", admins}});
    REQUIRE(env.name("") == tag);
    const std::string lea = env.name("lea");
    std::string leaDn = env.addUser(lea);
    std::string innerDn = env.ad.addGroup(env.ou, env.name("chainc"), {leaDn});  // C
    env.ad.addGroup(env.ou, admins, {innerDn});                                  // B, holding C

    auto r = env.login(lea, AdEnv::passwordOf(lea));
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(roleOfChainUser(env, lea) == "admin");

    // Out of C: the next sign-in reads the groups afresh and takes admin back.
    env.ad.replace(innerDn, "member", {});
    r = env.login(lea, AdEnv::passwordOf(lea));
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(roleOfChainUser(env, lea) == "user");
}

TEST_CASE("ad nested sign-in: nested_groups = server follows a chain deeper than the walk level by level") {
    // The walk for nested_groups = true stops after 16 levels (ldap_verifier.cpp); the directory
    // resolves any depth, so admin at depth 19 proves sign-in asked it.
    constexpr int kChain = 18;
    const std::string tag = tagOfNextChainOu();
    const std::string admins = "deepadm" + tag;
    AdEnv env(db::Driver::Sqlite, {{"sync.nested_groups", "server"}, {"ldap.admin_groups", admins}});
    REQUIRE(env.name("") == tag);
    const std::string max = env.name("max");
    std::string below = env.addUser(max);
    for (int i = 0; i < kChain; ++i) below = env.ad.addGroup(env.ou, env.name("deep" + std::to_string(i)), {below});
    env.ad.addGroup(env.ou, admins, {below});

    auto r = env.login(max, AdEnv::passwordOf(max));
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(roleOfChainUser(env, max) == "admin");

    // A lookup asks the directory the same way, so it shows the same groups as the sign-in.
    const auto lookup = env.client.get("/api/v1/ldap/lookup/" + max, env.admin);
    INFO(lookup.body);
    REQUIRE(lookup.status == 200);
    std::set<std::string> nested;
    const auto report = lookup.json();
    for (const auto& g : report["groups"]["nested"]) {
        nested.insert(g["name"].get<std::string>());
        CHECK_FALSE(g.contains("via"));
    }
    CHECK(nested.count(admins) == 1);
    CHECK(nested.size() == kChain);  // deep1 .. deep17 and the admins group; deep0 is direct
}
