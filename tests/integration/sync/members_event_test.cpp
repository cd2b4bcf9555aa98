// group.members_changed has one shape, whether sync or an admin changed the members.
#include <catch2/catch.hpp>
#include <set>

#include "../accounts/accounts_fixture.h"
#include "support/ldap_settings.h"
#include "support/slapd_server.h"
#include "support/test_database.h"
#include "support/test_server.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

std::set<std::string> keysOf(const nlohmann::json& j) {
    std::set<std::string> keys;
    for (const auto& [k, v] : j.items()) keys.insert(k);
    return keys;
}

}  // namespace

TEST_CASE("sync: group.members_changed has the shape an admin's change sends") {
    auto driver = GENERATE(allDrivers());
    INFO(db::driverName(driver));
    SlapdServer ldap({.ldif = peopleAndGroupsLdif({{"ann", "Ann", "ann@corp.example", "pw"}}, {{"staff", {"ann"}}})});
    TestServer server(driver, slapdSettings(ldap, {{"sync.interval", "0"}}));
    auto client = server.client();
    std::string admin = tokenOf(signup(client, "Admin", "admin@local.example"));
    auto run = client.post("/api/v1/sync/run", nlohmann::json::object(), admin);
    INFO(run.body);
    REQUIRE(run.status == 200);

    // An admin's change of a local group's members.
    auto created = client.post("/api/v1/groups/create", {{"name", "local"}, {"description", ""}}, admin);
    INFO(created.body);
    REQUIRE(created.status == 200);
    std::string localId = created.json()["id"];
    std::string adminId = client.get("/api/v1/auths/", admin).json()["id"];
    auto added = client.post("/api/v1/groups/id/" + localId + "/users/add", {{"user_ids", {adminId}}}, admin);
    INFO(added.body);
    REQUIRE(added.status == 200);

    std::vector<nlohmann::json> fromSync, fromAdmin;
    server.app().store().transact([&](db::Transaction& tx) {
        for (auto row : tx.exec("SELECT payload FROM outbox WHERE type = 'group.members_changed' ORDER BY seq")) {
            auto e = nlohmann::json::parse(row.str(0));
            REQUIRE(e.contains("group"));
            (e["group"]["id"] == localId ? fromAdmin : fromSync).push_back(e);
        }
    });
    REQUIRE(fromSync.size() == 1);
    REQUIRE(fromAdmin.size() == 1);
    CHECK(keysOf(fromSync[0]) == keysOf(fromAdmin[0]));
    CHECK(keysOf(fromSync[0]["group"]) == keysOf(fromAdmin[0]["group"]));
    CHECK(fromSync[0]["group"]["name"] == "staff");
    CHECK(fromSync[0]["group"]["user_ids"].size() == 1);
    CHECK(fromSync[0]["added"] == fromSync[0]["group"]["user_ids"]);
    CHECK(fromSync[0]["removed"].empty());
}
