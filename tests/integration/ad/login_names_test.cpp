// Signing in against a real Samba AD by sAMAccountName, userPrincipalName or email ([ldap]
// login_attributes), one user whichever is used; objectGUID is the stable id, so a user renamed
// in AD (new CN, new sAMAccountName) stays the same rosterd user. Both store drivers.
#include "ad_env.h"

using namespace rosterd;
using namespace rosterd::test;

TEST_CASE("ad login: sAMAccountName, userPrincipalName and mail sign in the same user") {
    AdEnv env(GENERATE(allDrivers()));
    const std::string kim = env.name("kim");
    env.addUser(kim, {.mail = "Kim.Mail." + kim + "@mail.example"});
    const std::string pw = AdEnv::passwordOf(kim);

    auto bySam = env.login(kim, pw);
    INFO(bySam.body);
    REQUIRE(bySam.status == 200);
    const auto id = bySam.json()["id"];
    CHECK(bySam.json()["email"] == "kim.mail." + kim + "@mail.example");
    CHECK(bySam.json()["name"] == kim);  // displayName
    for (const auto& name : {AdEnv::mailOf(kim), "Kim.Mail." + kim + "@mail.example"}) {
        INFO(name);
        auto r = env.login(name, pw);
        INFO(r.body);
        CHECK(r.status == 200);
        CHECK(r.json()["id"] == id);
    }
    CHECK(env.scalar("SELECT count(*) FROM users WHERE source = 'ldap'") == 1);
}

TEST_CASE("ad login: login_attributes limits the names that sign in") {
    AdEnv env(GENERATE(allDrivers()), {{"ldap.login_attributes", "userPrincipalName"}});
    const std::string lea = env.name("lea");
    env.addUser(lea);
    CHECK(env.login(lea, AdEnv::passwordOf(lea)).status == 400);
    auto r = env.login(AdEnv::mailOf(lea), AdEnv::passwordOf(lea));
    INFO(r.body);
    CHECK(r.status == 200);
}

TEST_CASE("ad objectGUID: a user renamed in AD is the same rosterd user, by sync and by login") {
    AdEnv env(GENERATE(allDrivers()));
    const std::string max = env.name("max"), mia = env.name("mia");
    std::string dn = env.addUser(max);
    env.sync();
    const std::string id = env.idOf(max);
    const std::string guid = env.text("SELECT external_id FROM users WHERE id = $1", {id});
    CHECK(guid.size() == 36);  // objectGUID in its canonical string form

    env.ad.modify("dn: " + dn + "\nchangetype: modrdn\nnewrdn: CN=" + mia + "\ndeleteoldrdn: 1\n");
    env.ad.replace("CN=" + mia + "," + env.ou, "sAMAccountName", {mia});
    auto run = env.sync();
    CHECK(run["counts"]["users_created"] == 0);
    CHECK(env.idOf(mia) == id);
    CHECK(env.text("SELECT external_id FROM users WHERE id = $1", {id}) == guid);
    CHECK(env.scalar("SELECT count(*) FROM users WHERE source = 'ldap'") == 1);

    auto r = env.login(mia, AdEnv::passwordOf(max));
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(r.json()["id"] == id);
}
