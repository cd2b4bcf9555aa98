// Active Directory account state against a real Samba AD: userAccountControl's ACCOUNTDISABLE and
// a past accountExpires deactivate the user at sync (the reason in user.deactivated) and refuse
// the login; enabling the account again brings the same user back. Both store drivers.
#include "ad_env.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

// 2020-01-01T00:00:00Z as FILETIME ticks (100 ns since 1601-01-01).
constexpr const char* kPast = "132223104000000000";

std::string reasonOfDeactivation(AdEnv& env, const std::string& sam) {
    for (const auto& e : env.events("user.deactivated"))
        if (e.value("email", "") == AdEnv::mailOf(sam)) return e.value("reason", "");
    return "(no user.deactivated event for " + sam + ")";
}

void requireRefusal(const HttpResult& r, const std::string& detail) {
    INFO(r.body);
    CHECK(r.status >= 400);
    CHECK(r.status < 500);
    CHECK(detailOf(r) == detail);
}

}  // namespace

TEST_CASE("ad account state: disabled (514) is deactivated with the reason, refused at login, then reactivated") {
    AdEnv env(GENERATE(allDrivers()));
    const std::string dora = env.name("dora"), eli = env.name("eli");
    std::string dn = env.addUser(dora);
    env.addUser(eli);
    env.sync();
    REQUIRE(env.active(dora));
    const std::string id = env.idOf(dora);

    env.ad.replace(dn, "userAccountControl", {"514"});
    auto run = env.sync();
    CHECK(run["counts"]["users_deactivated"] == 1);
    CHECK_FALSE(env.active(dora));
    CHECK(env.active(eli));
    CHECK(reasonOfDeactivation(env, dora) == "disabled in the directory (userAccountControl)");
    requireRefusal(env.login(dora, AdEnv::passwordOf(dora)),
                   "This directory account is disabled; ask an administrator.");

    env.ad.replace(dn, "userAccountControl", {"512"});
    env.sync();
    CHECK(env.active(dora));
    CHECK(env.idOf(dora) == id);
    auto back = env.login(dora, AdEnv::passwordOf(dora));
    INFO(back.body);
    CHECK(back.status == 200);
    CHECK(back.json()["id"] == id);
}

TEST_CASE("ad account state: accountExpires in the past deactivates with the date, never expiring brings it back") {
    AdEnv env(GENERATE(allDrivers()));
    const std::string fay = env.name("fay");
    std::string dn = env.addUser(fay);
    env.sync();
    REQUIRE(env.active(fay));

    env.ad.replace(dn, "accountExpires", {kPast});
    env.sync();
    CHECK_FALSE(env.active(fay));
    CHECK(reasonOfDeactivation(env, fay) == "expired in the directory on 2020-01-01T00:00:00Z (accountExpires)");
    requireRefusal(env.login(fay, AdEnv::passwordOf(fay)), "This directory account has expired; ask an administrator.");

    env.ad.replace(dn, "accountExpires", {"0"});  // 0: never
    env.sync();
    CHECK(env.active(fay));
}

TEST_CASE("ad account state: a user disabled from the start is never created") {
    AdEnv env(GENERATE(allDrivers()));
    env.addUser(env.name("gus"), {.userAccountControl = 514});
    env.addUser(env.name("hal"));
    auto run = env.sync();
    CHECK(run["counts"]["users_created"] == 1);
    CHECK(env.scalar("SELECT count(*) FROM users WHERE username = $1", {env.name("gus")}) == 0);
    CHECK(env.active(env.name("hal")));
}
