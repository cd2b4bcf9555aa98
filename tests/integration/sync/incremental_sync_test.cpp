// Incremental sync against a real slapd with the syncprov overlay, on both store drivers.
#include <catch2/catch.hpp>

#include "common/encoding.h"
#include "support/slapd_server.h"
#include "support/test_database.h"
#include "support/test_server.h"
#include "sync_env.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

/// Synchronises incrementally; run() expects a successful run and returns its record.
struct IncrementalEnv : SyncEnv {
    IncrementalEnv(db::Driver driver, SlapdOptions options, std::map<std::string, std::string> extra = {})
        : SyncEnv(driver, std::move(options), incremental(std::move(extra))) {}
    static std::map<std::string, std::string> incremental(std::map<std::string, std::string> extra) {
        extra.emplace("sync.mode", "incremental");
        return extra;
    }
    nlohmann::json run() {
        auto r = SyncEnv::run();
        INFO(r.body);
        REQUIRE(r.status == 200);
        REQUIRE(r.json()["status"] == "succeeded");
        return r.json();
    }
};

std::string newPerson(const std::string& uid) {
    return "dn: " + userDn(uid) + "\nchangetype: add\nobjectClass: inetOrgPerson\nuid: " + uid + "\ncn: " + uid +
           "\nsn: " + uid + "\nmail: " + uid + "@corp.example\n";
}

}  // namespace

TEST_CASE("incremental sync: only changes are read, and a run that could move memberships becomes full") {
    auto driver = GENERATE(rosterd::test::allDrivers());
    INFO("driver " << db::driverName(driver));
    IncrementalEnv env(driver, {.ldif = peopleAndGroupsLdif(people(), {{"staff", {"ann", "cid"}}})});

    auto first = env.run();
    CHECK(first["mode"] == "full");  // no cookie yet
    CHECK(first["counts"]["users_created"] == 4);
    CHECK(env.scalar("SELECT count(*) FROM sync_state WHERE name = 'cookie.users'") == 1);

    auto events = env.scalar("SELECT count(*) FROM outbox");
    auto quiet = env.run();
    CHECK(quiet["mode"] == "incremental");
    CHECK(quiet["counts"]["users_updated"] == 0);
    CHECK(quiet["counts"]["users_created"] == 0);
    CHECK(env.scalar("SELECT count(*) FROM outbox") == events);  // a quiet directory makes no noise

    env.ldap.modify("dn: " + userDn("bob") + "\nchangetype: modify\nreplace: cn\ncn: Robert\n");
    auto renamed = env.run();
    CHECK(renamed["mode"] == "incremental");
    CHECK(renamed["counts"]["users_updated"] == 1);
    CHECK(env.text("SELECT name FROM users WHERE email = 'bob@corp.example'") == "Robert");
    CHECK(env.scalar("SELECT count(*) FROM outbox WHERE type = 'user.updated' AND payload LIKE '%Robert%'") == 1);

    // A deleted entry: deactivated, and its directory-group membership goes with it.
    env.ldap.modify("dn: " + userDn("cid") + "\nchangetype: delete\n");
    auto deleted = env.run();
    CHECK(deleted["mode"] == "incremental");
    CHECK(deleted["counts"]["users_deactivated"] == 1);
    CHECK(deleted["counts"]["members_removed"] == 1);
    CHECK(env.scalar("SELECT active FROM users WHERE email = 'cid@corp.example'") == 0);
    CHECK(env.scalar("SELECT count(*) FROM group_members gm JOIN users u ON u.id = gm.user_id "
                     "WHERE u.email = 'cid@corp.example'") == 0);

    // A new entry no group lists: created incrementally.
    env.ldap.modify(newPerson("eve"));
    auto added = env.run();
    CHECK(added["mode"] == "incremental");
    CHECK(added["counts"]["users_created"] == 1);
    CHECK(env.scalar("SELECT count(*) FROM users WHERE email = 'eve@corp.example' AND source = 'ldap'") == 1);

    // A group change may move memberships anywhere: the run reads everything.
    env.ldap.modify("dn: " + groupDn("staff") + "\nchangetype: modify\nadd: member\nmember: " + userDn("eve") + "\n");
    auto groupChanged = env.run();
    CHECK(groupChanged["mode"] == "full");
    CHECK(groupChanged["counts"]["members_added"] == 1);

    // A new entry that a group already lists (added there before it existed): full as well.
    env.ldap.modify("dn: " + groupDn("staff") + "\nchangetype: modify\nadd: member\nmember: " + userDn("fay") + "\n");
    env.run();  // the group changed: full, fay does not exist yet
    env.ldap.modify(newPerson("fay"));
    auto listed = env.run();
    CHECK(listed["mode"] == "full");
    CHECK(listed["counts"]["users_created"] == 1);
    CHECK(listed["counts"]["members_added"] == 1);

    // A renamed entry: its memberships are keyed by DN, so full.
    env.ldap.modify("dn: " + userDn("dee") + "\nchangetype: modrdn\nnewrdn: uid=dee2\ndeleteoldrdn: 0\n");
    auto moved = env.run();
    CHECK(moved["mode"] == "full");
    CHECK(moved["counts"]["users_updated"] == 1);
    CHECK(env.text("SELECT external_dn FROM users WHERE email = 'dee@corp.example'") == userDn("dee2"));

    CHECK(env.run()["mode"] == "incremental");
    CHECK(env.scalar("SELECT count(*) FROM sync_runs WHERE status <> 'succeeded'") == 0);
}

TEST_CASE("incremental sync: a refused cookie, a due full_every and a changed scope each give a full run") {
    auto driver = GENERATE(rosterd::test::allDrivers());
    INFO("driver " << db::driverName(driver));
    IncrementalEnv env(driver, {.ldif = peopleAndGroupsLdif(people(), {{"staff", {"ann"}}})},
                       {{"sync.full_every", "1h"}});
    CHECK(env.run()["mode"] == "full");
    CHECK(env.run()["mode"] == "incremental");

    // A cookie from the future: the server answers e-syncRefreshRequired.
    env.server.app().store().transact([](db::Transaction& tx) {
        tx.exec("UPDATE sync_state SET value = $1 WHERE name = 'cookie.users'",
                {base64Encode("rid=000,csn=29991231235959.999999Z#000000#000#000000")});
    });
    env.ldap.modify("dn: " + userDn("ann") + "\nchangetype: modify\nreplace: cn\ncn: Annie\n");
    auto refused = env.run();
    CHECK(refused["mode"] == "full");
    CHECK(refused["counts"]["users_updated"] == 1);
    CHECK(env.run()["mode"] == "incremental");  // the full run stored a fresh cookie

    env.server.clock().advance(std::chrono::minutes(61));
    CHECK(env.run()["mode"] == "full");
    CHECK(env.run()["mode"] == "incremental");

    env.server.app().store().transact([](db::Transaction& tx) {
        tx.exec("UPDATE sync_state SET value = 'another scope' WHERE name = 'cookie.scope'");
    });
    CHECK(env.run()["mode"] == "full");
}

TEST_CASE("incremental sync without a session log confirms absences with a full read") {
    auto driver = GENERATE(rosterd::test::allDrivers());
    INFO("driver " << db::driverName(driver));
    IncrementalEnv env(driver, {.ldif = peopleAndGroupsLdif(people(), {}), .sessionLog = 0});
    CHECK(env.run()["counts"]["users_created"] == 4);
    // Changes only: the present phase lists everyone, nothing is missing, no full read needed.
    env.ldap.modify("dn: " + userDn("ann") + "\nchangetype: modify\nreplace: cn\ncn: Annie\n");
    auto changed = env.run();
    CHECK(changed["mode"] == "incremental");
    CHECK(changed["counts"]["users_updated"] == 1);
    // An entry missing from the present list is never deactivated on that list alone.
    env.ldap.modify("dn: " + userDn("dee") + "\nchangetype: delete\n");
    auto r = env.run();
    CHECK(r["mode"] == "full");
    CHECK(r["counts"]["users_deactivated"] == 1);
    CHECK(env.scalar("SELECT count(*) FROM users WHERE source = 'ldap' AND active = 1") == 3);
    auto again = env.run();
    CHECK(again["mode"] == "incremental");
    CHECK(again["counts"]["users_deactivated"] == 0);
}

TEST_CASE("incremental sync: an entry skipped for a conflict is read and reported again by the next run") {
    auto driver = GENERATE(rosterd::test::allDrivers());
    INFO("driver " << db::driverName(driver));
    IncrementalEnv env(driver, {.ldif = peopleAndGroupsLdif(people(), {})}, {{"ldap.link_local_accounts", "none"}});
    env.run();
    // A local account holds the address a directory entry moves to.
    REQUIRE(
        env.client
            .post("/api/v1/users/create",
                  {{"name", "Local"}, {"email", "taken@corp.example"}, {"password", "correct horse"}, {"role", "user"}},
                  env.admin)
            .status == 200);
    env.ldap.modify("dn: " + userDn("bob") + "\nchangetype: modify\nreplace: mail\nmail: taken@corp.example\n");
    auto first = env.run();
    CHECK(first["mode"] == "incremental");
    CHECK(first["counts"]["skipped"] == 1);
    auto second = env.run();
    CHECK(second["mode"] == "incremental");
    CHECK(second["counts"]["skipped"] == 1);  // the cookie did not move past it
    CHECK(env.text("SELECT email FROM users WHERE external_dn = $1", {userDn("bob")}) == "bob@corp.example");
}

TEST_CASE("incremental sync: the safety gate holds deactivations, and the cookie does not advance") {
    auto driver = GENERATE(rosterd::test::allDrivers());
    INFO("driver " << db::driverName(driver));
    IncrementalEnv env(driver, {.ldif = peopleAndGroupsLdif(people(), {})}, {{"sync.max_deactivations", "1"}});
    env.run();
    env.ldap.modify("dn: " + userDn("ann") + "\nchangetype: delete\n\ndn: " + userDn("bob") + "\nchangetype: delete\n");
    auto r = env.client.post("/api/v1/sync/run", nlohmann::json::object(), env.admin);
    INFO(r.body);
    CHECK(r.json()["status"] == "refused");
    CHECK(env.scalar("SELECT count(*) FROM users WHERE source = 'ldap' AND active = 1") == 4);
    // Refused again: the changes were not consumed by the refused run.
    CHECK(env.client.post("/api/v1/sync/run", nlohmann::json::object(), env.admin).json()["status"] == "refused");
    auto forced = env.client.post("/api/v1/sync/run", {{"force", true}}, env.admin);
    CHECK(forced.json()["status"] == "succeeded");
    CHECK(forced.json()["mode"] == "incremental");
    CHECK(env.scalar("SELECT count(*) FROM users WHERE source = 'ldap' AND active = 1") == 2);
}
