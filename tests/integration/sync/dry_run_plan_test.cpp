// The whole plan of a dry run (and of a refused run): every change named by email, username, DN
// and group name with its reason, paged on the API and whole from `rosterd sync --dry-run --json`;
// a dry run on a store that needs migrating changes nothing. A real slapd, both store drivers.
#include <catch2/catch.hpp>
#include <fstream>

#include "support/process.h"
#include "support/slapd_server.h"
#include "support/test_database.h"
#include "support/test_server.h"
#include "sync_env.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

/// ann and bob in staff, cid and dee in no group; a run may delete every membership.
struct PlanEnv : SyncEnv {
    explicit PlanEnv(db::Driver driver)
        : SyncEnv(driver, {.ldif = peopleAndGroupsLdif(people(), {{"staff", {"ann", "bob"}}})},
                  {{"sync.max_group_deletions", "100"}}) {}  // ann leaving staff is half its memberships
};

/// The changes of `kind` in `changes`.
std::vector<nlohmann::json> ofKind(const nlohmann::json& changes, const std::string& kind) {
    std::vector<nlohmann::json> out;
    for (const auto& c : changes)
        if (c["kind"] == kind) out.push_back(c);
    return out;
}

/// ann leaves staff, cid joins it, bob is renamed Robert, dee leaves the directory, eve arrives.
void changeTheDirectory(SlapdServer& ldap) {
    ldap.replace(groupDn("staff"), "member", {userDn("bob"), userDn("cid")});
    ldap.replace(userDn("bob"), "cn", {"Robert"});
    ldap.remove(userDn("dee"));
    ldap.add(peopleAndGroupsLdif({{"eve", "Eve", "eve@corp.example", "pw"}}, {}));
}

/// Checks the plan changeTheDirectory() leads to.
void checkPlan(const nlohmann::json& changes) {
    auto created = ofKind(changes, "users_created");
    REQUIRE(created.size() == 1);
    CHECK(created[0]["user"]["email"] == "eve@corp.example");
    CHECK(created[0]["user"]["username"] == "eve");
    CHECK(created[0]["user"]["dn"] == userDn("eve"));
    CHECK(!created[0]["user"].contains("id"));  // made when it applies
    CHECK(created[0]["reason"].get<std::string>().find("new in the directory") != std::string::npos);

    auto updated = ofKind(changes, "users_updated");
    REQUIRE(updated.size() == 1);
    CHECK(updated[0]["user"]["email"] == "bob@corp.example");
    CHECK(updated[0]["changed"]["name"]["from"] == "Bob");
    CHECK(updated[0]["changed"]["name"]["to"] == "Robert");
    CHECK(updated[0]["reason"] == "the directory entry changed: name");

    auto gone = ofKind(changes, "users_deactivated");
    REQUIRE(gone.size() == 1);
    CHECK(gone[0]["user"]["email"] == "dee@corp.example");
    CHECK(gone[0]["user"]["username"] == "dee");
    CHECK(gone[0]["user"]["dn"] == userDn("dee"));
    CHECK(gone[0]["reason"].get<std::string>().find("no longer in the directory") != std::string::npos);

    auto added = ofKind(changes, "members_added");
    REQUIRE(added.size() == 1);
    CHECK(added[0]["group"]["name"] == "staff");
    CHECK(added[0]["group"]["dn"] == groupDn("staff"));
    CHECK(added[0]["user"]["email"] == "cid@corp.example");
    CHECK(added[0]["user"]["username"] == "cid");
    auto removed = ofKind(changes, "members_removed");
    REQUIRE(removed.size() == 1);
    CHECK(removed[0]["group"]["name"] == "staff");
    CHECK(removed[0]["user"]["email"] == "ann@corp.example");
    CHECK(changes.size() == 5);
}

}  // namespace

TEST_CASE("sync dry run: the whole plan, named and paged, and nothing changed") {
    auto driver = GENERATE(rosterd::test::allDrivers());
    INFO("driver " << db::driverName(driver));
    PlanEnv env(driver);
    REQUIRE(env.run().status == 200);
    changeTheDirectory(env.ldap);
    const std::int64_t events = env.scalar("SELECT count(*) FROM outbox");

    auto first = env.run({{"dry_run", true}}, "?limit=2");
    INFO(first.body);
    REQUIRE(first.status == 200);
    auto plan = first.json()["plan"];
    CHECK(plan["total"] == 5);
    CHECK(plan["offset"] == 0);
    CHECK(plan["limit"] == 2);
    REQUIRE(plan["changes"].size() == 2);
    const std::string runId = first.json()["id"];
    CHECK(plan["url"] == "/api/v1/sync/runs/" + runId + "/plan");

    auto rest = env.client.get("/api/v1/sync/runs/" + runId + "/plan?offset=2&limit=1000", env.admin);
    INFO(rest.body);
    REQUIRE(rest.status == 200);
    const auto restPage = rest.json();
    CHECK(restPage["total"] == 5);
    nlohmann::json all = plan["changes"];
    for (const auto& c : restPage["changes"]) all.push_back(c);
    checkPlan(all);
    auto whole = env.client.get("/api/v1/sync/runs/" + runId + "/plan", env.admin).json();
    CHECK(whole["changes"] == all);  // the default page holds it all

    // Nothing changed: no user, membership or event.
    CHECK(env.text("SELECT name FROM users WHERE username = 'bob'") == "Bob");
    CHECK(env.scalar("SELECT active FROM users WHERE username = 'dee'") == 1);
    CHECK(env.scalar("SELECT count(*) FROM users WHERE username = 'eve'") == 0);
    CHECK(env.scalar("SELECT count(*) FROM outbox") == events);

    CHECK(env.client.get("/api/v1/sync/runs/" + runId + "/plan?limit=0", env.admin).status == 400);
    CHECK(env.client.get("/api/v1/sync/runs/" + runId + "/plan?limit=1001", env.admin).status == 400);
    CHECK(env.client.get("/api/v1/sync/runs/" + runId + "/plan?offset=-1", env.admin).status == 400);
    CHECK(env.run({{"dry_run", true}}, "?limit=x").status == 400);
    CHECK(env.client.get("/api/v1/sync/runs/no-such-run/plan", env.admin).status == 404);
    auto applied = env.run();
    REQUIRE(applied.status == 200);
    CHECK(!applied.json().contains("plan"));  // an applied run keeps no plan
    const std::string appliedId = applied.json()["id"];
    CHECK(env.client.get("/api/v1/sync/runs/" + appliedId + "/plan", env.admin).status == 404);
}

namespace {

/// An INI for the command line pointing at `ldap` (the database comes from DATABASE_URL).
std::string writeIni(const SlapdServer& ldap, const std::string& dir) {
    std::ofstream ini(dir + "/rosterd.ini");
    ini << "[auth]\njwt_secret_file = " << dir << "/jwt\n" << ldapIniSection(ldap);
    ini << "[sync]\ninterval = 0\nmax_deactivation_percent = 100\nmax_group_deletions = 100\n";
    return dir + "/rosterd.ini";
}

/// Runs rosterd with DATABASE_URL set; stdout only unless `withStderr`.
CommandResult rosterdOn(const std::string& url, const std::vector<std::string>& args, bool withStderr = false) {
    std::vector<std::string> argv = {"sh",
                                     "-c",
                                     withStderr ? "url=$1; shift; env -u DATABASE_URL DATABASE_URL=\"$url\" \"$@\""
                                                : "url=$1; shift; env -u DATABASE_URL DATABASE_URL=\"$url\" \"$@\" "
                                                  "2>/dev/null",
                                     "sh",
                                     url,
                                     ROSTERD_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    return runCommand(argv);
}

}  // namespace

TEST_CASE("rosterd sync --dry-run --json prints the whole plan; on a store that needs migrating it changes nothing") {
    auto driver = GENERATE(rosterd::test::allDrivers());
    INFO("driver " << db::driverName(driver));
    SlapdServer ldap({.ldif = peopleAndGroupsLdif(people(), {{"staff", {"ann", "bob"}}})});
    std::string dir = makeTempDir("rosterd-dry-run");
    const std::string ini = writeIni(ldap, dir);
    const std::string url = freshDatabaseUrl(driver);

    auto unmigrated = rosterdOn(url, {"--config", ini, "sync", "--dry-run"}, true);
    INFO(unmigrated.output);
    CHECK(unmigrated.exitCode == 75);
    CHECK(unmigrated.output.find("needs migrating") != std::string::npos);
    CHECK(unmigrated.output.find("rosterd migrate") != std::string::npos);
    // Nothing was migrated: the second try says the same.
    CHECK(rosterdOn(url, {"--config", ini, "sync", "--dry-run"}).exitCode == 75);

    REQUIRE(rosterdOn(url, {"--config", ini, "migrate"}).exitCode == 0);
    REQUIRE(rosterdOn(url, {"--config", ini, "sync"}).exitCode == 0);
    changeTheDirectory(ldap);
    auto dry = rosterdOn(url, {"--config", ini, "sync", "--dry-run", "--json"});
    INFO(dry.output);
    REQUIRE(dry.exitCode == 0);
    auto doc = nlohmann::json::parse(dry.output);
    CHECK(doc["status"] == "succeeded");
    CHECK(doc["run"]["dry_run"] == true);
    CHECK(doc["plan"]["total"] == 5);
    checkPlan(doc["plan"]["changes"]);

    // The text form names memberships by group and user too.
    auto text = rosterdOn(url, {"--config", ini, "sync", "--dry-run"});
    INFO(text.output);
    CHECK(text.output.find("group staff + cid@corp.example (cid)") != std::string::npos);
    CHECK(text.output.find("group staff - ann@corp.example (ann)") != std::string::npos);
}
