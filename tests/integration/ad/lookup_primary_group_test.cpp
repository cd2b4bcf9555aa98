// `GET /api/v1/ldap/lookup/{name}` against a real Samba AD lists the user's primary group (named
// only by primaryGroupID, never in `member`) among its direct groups, as sync counts it.
#include "ad_env.h"

using namespace rosterd;
using namespace rosterd::test;

TEST_CASE("ad ldap lookup: the primary group (Domain Users) is among the user's direct groups") {
    // Domain Users lives in CN=Users: the group base is the whole domain so that it is in scope.
    AdEnv env(db::Driver::Sqlite, {{"ldap.group_base", SambaAdServer::kBase}});
    const std::string ned = env.name("ned"), crew = env.name("crew");
    env.ad.addGroup(env.ou, crew, {env.addUser(ned)});

    auto r = env.client.get("/api/v1/ldap/lookup/" + ned, env.admin);
    INFO(r.body);
    REQUIRE(r.status == 200);
    const auto direct = r.json()["groups"]["direct"];
    std::map<std::string, bool> primaryOf;
    for (const auto& g : direct) primaryOf[g["name"].get<std::string>()] = g.value("primary", false);
    REQUIRE(primaryOf.count("Domain Users") == 1);
    CHECK(primaryOf["Domain Users"]);
    REQUIRE(primaryOf.count(crew) == 1);
    CHECK_FALSE(primaryOf[crew]);
    CHECK(direct.size() == 2);
}
