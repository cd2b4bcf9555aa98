// [ldap] admin_groups and allowed_groups naming AD security groups, applied by a sync against a
// real Samba AD: roles from membership, users outside the allowed groups deactivated with the
// reason and let in again when added. Both store drivers.
#include "ad_env.h"

using namespace rosterd;
using namespace rosterd::test;

TEST_CASE("ad directory policy: admin_groups and allowed_groups from AD groups") {
    auto driver = GENERATE(allDrivers());
    SambaAdServer& ad = SambaAdServer::shared();
    // The group names are known before the server starts, which reads them from its settings.
    std::string probe = ad.newOu();
    const std::string tag = std::to_string(std::stoi(probe.substr(4, probe.find(',') - 4)) + 1);
    const std::string admins = "admins" + tag, staff = "staff" + tag;
    AdEnv env(driver, {{"ldap.admin_groups", admins}, {"ldap.allowed_groups", staff + "," + admins}});
    REQUIRE(env.name("") == tag);
    const std::string yan = env.name("yan"), zoe = env.name("zoe"), abe = env.name("abe");
    std::string yanDn = env.addUser(yan), zoeDn = env.addUser(zoe);
    env.addUser(abe);
    env.ad.addGroup(env.ou, admins, {yanDn});
    std::string staffDn = env.ad.addGroup(env.ou, staff, {zoeDn});

    env.sync();
    CHECK(env.text("SELECT role FROM users WHERE username = $1", {yan}) == "admin");
    CHECK(env.text("SELECT role FROM users WHERE username = $1", {zoe}) == "user");
    CHECK(env.active(yan));
    CHECK(env.active(zoe));
    const std::string abeId = env.text("SELECT id FROM users WHERE username = $1", {abe});
    CHECK_FALSE(env.active(abe));
    CHECK(env.text("SELECT reason FROM directory_access_refusals WHERE user_id = $1", {abeId}) ==
          "not a member of " + staff + ", " + admins + " (ldap.allowed_groups)");

    env.ad.replace(staffDn, "member", {zoeDn, "CN=" + abe + "," + env.ou});
    env.sync();
    CHECK(env.active(abe));
    auto r = env.login(abe, AdEnv::passwordOf(abe));
    INFO(r.body);
    CHECK(r.status == 200);
}
