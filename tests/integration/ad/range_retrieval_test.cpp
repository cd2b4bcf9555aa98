// Range retrieval against a server that answers as Active Directory does (member;range=0-1499 and
// on, tests/support/ad_range_server): a 4,000-member group syncs with every member, a small group
// as usual, and [ldap] max_attribute_values stops a group larger than it with an error naming it.
#include "../accounts/accounts_fixture.h"
#include "support/ad_range_server.h"
#include "support/test_database.h"
#include "support/test_server.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

struct RangeEnv {
    RangeEnv(db::Driver driver, AdRangeOptions options, std::map<std::string, std::string> extra = {})
        : ranged(options),
          server(driver, ranged.settings(withSyncDefaults(std::move(extra)))),
          client(server.client()) {
        admin = tokenOf(signup(client, "Admin", "admin@local.example"));
    }
    static std::map<std::string, std::string> withSyncDefaults(std::map<std::string, std::string> extra) {
        extra.emplace("sync.interval", "0");
        return extra;
    }
    HttpResult sync() { return client.post("/api/v1/sync/run", nlohmann::json::object(), admin); }
    std::int64_t membersOf(const std::string& group) {
        return server.app().store().transact([&](db::Transaction& tx) {
            return tx
                .exec("SELECT count(*) FROM group_members m JOIN groups g ON g.id = m.group_id WHERE g.name = $1",
                      {group})
                .front()
                .i64(0);
        });
    }
    AdRangeServer ranged;
    TestServer server;
    HttpClient client;
    std::string admin;
};

}  // namespace

TEST_CASE("ad range retrieval: a 4,000-member group syncs with 4,000 members, a 3-member group with 3") {
    RangeEnv env(GENERATE(allDrivers()), {.users = 4000});
    auto r = env.sync();
    INFO(r.body.substr(0, 2000));
    REQUIRE(r.status == 200);
    REQUIRE(r.json()["status"] == "succeeded");
    CHECK(r.json()["counts"]["users_created"] == 4000);
    CHECK(env.membersOf("big") == 4000);
    CHECK(env.membersOf("small") == 3);
}

TEST_CASE("ad range retrieval: a group over max_attribute_values fails the sync with an error naming it") {
    RangeEnv env(db::Driver::Sqlite, {.users = 400, .maxValRange = 100}, {{"ldap.max_attribute_values", "250"}});
    auto r = env.sync();
    INFO(r.body.substr(0, 2000));
    CHECK(r.json()["status"] == "failed");
    const std::string body = r.body;
    CHECK(body.find("'member' of 'CN=big,OU=groups,DC=range,DC=example' has more than 250 values") !=
          std::string::npos);
    CHECK(body.find("max_attribute_values") != std::string::npos);
    CHECK(env.membersOf("big") == 0);  // nothing applied from a read that stopped

    RangeEnv roomy(db::Driver::Sqlite, {.users = 400, .maxValRange = 100}, {{"ldap.max_attribute_values", "400"}});
    auto ok = roomy.sync();
    INFO(ok.body.substr(0, 2000));
    CHECK(ok.json()["status"] == "succeeded");
    CHECK(roomy.membersOf("big") == 400);
}
