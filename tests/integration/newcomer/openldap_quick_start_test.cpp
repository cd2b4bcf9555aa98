// docs/ldap.md's OpenLDAP quick start, followed as a newcomer follows it: its rosterd.ini taken
// from the document (only the addresses and file paths of this machine substituted), then the real
// binary on a fresh store against slapd: check-config --connect, the first admin created
// deliberately, a dry run that creates no one, the first sync, a directory user's login through
// the HTTP API, and the lookup from the console and through the API.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "quick_start.h"
#include "support/slapd_server.h"

using namespace rosterd::test;

TEST_CASE("the OpenLDAP quick start of docs/ldap.md works as written on a fresh store") {
    SlapdServer ldap({.ldif = peopleAndGroupsLdif({{"alice", "Alice Liddell", "alice@example.com", "alice-pw"},
                                                   {"bob", "Bob Baker", "bob@example.com", "bob-pw"}},
                                                  {{"staff", {"alice", "bob"}}}),
                      .tls = true});
    const std::string doc = readFile(std::string(ROSTERD_SOURCE_DIR) + "/docs/ldap.md");
    std::string ini = iniBlockAfter(doc, "## Quick start: OpenLDAP in ten minutes");
    INFO("the quick start's rosterd.ini:\n" << ini);

    // The document's example directory is the fixture's: only addresses and paths change.
    CHECK(valueOf(ini, "ldap", "bind_dn") == SlapdServer::kServiceDn);
    CHECK(valueOf(ini, "ldap", "user_base") == SlapdServer::kPeople);
    CHECK(valueOf(ini, "ldap", "group_base") == SlapdServer::kGroups);
    const auto local =
        placeQuickStart(ini, "rosterd-quick-start", ldap.ldapsUrl(), ldap.caFile(), SlapdServer::kServicePassword);
    const std::string& dir = local.dir;
    const std::string& iniFile = local.iniFile;
    const int port = local.port;

    // 2. check-config --connect: every step ok.
    checkConnects(iniFile, "2 users");

    // 3. The first admin, deliberately; the password from stdin.
    const std::string adminPassword = "a long admin password";
    writeFile(dir + "/admin-password", adminPassword + "\n");
    auto admin = runRosterd(iniFile, {"users", "create-admin", "--email", "admin@example.com", "--name", "Ada Admin"},
                            dir + "/admin-password");
    INFO(admin.output);
    REQUIRE(admin.exitCode == 0);

    // 4. The dry run shows the users it would create and creates none; then the sync does.
    auto dry = runRosterd(iniFile, {"sync", "--dry-run"});
    INFO(dry.output);
    REQUIRE(dry.exitCode == 0);
    CHECK(contains(dry.output, "alice@example.com"));
    CHECK(contains(dry.output, "dry run: nothing was changed"));
    CHECK_FALSE(contains(runRosterd(iniFile, {"users", "list"}).output, "alice@example.com"));
    CHECK_FALSE(std::filesystem::exists(dir + "/jwt_secret"));
    auto sync = runRosterd(iniFile, {"sync"});
    INFO(sync.output);
    REQUIRE(sync.exitCode == 0);
    CHECK(contains(sync.output, "sync succeeded"));
    CHECK(contains(runRosterd(iniFile, {"users", "list"}).output, "alice@example.com"));

    // 5. The daemon; a directory user signs in through the HTTP API.
    ChildProcess daemon({"env", "-u", "DATABASE_URL", ROSTERD_BINARY, "--config", iniFile}, {}, dir + "/daemon.log");
    HttpClient client(port);
    if (!waitUntilReady(client, daemon)) FAIL("the daemon did not become ready:\n" << readFile(dir + "/daemon.log"));
    auto login = client.post("/api/v1/auths/ldap", {{"user", "alice"}, {"password", "alice-pw"}});
    INFO(login.body);
    REQUIRE(login.status == 200);
    CHECK(login.json()["email"] == "alice@example.com");
    CHECK(login.json()["role"] == "user");
    CHECK(client.get("/api/v1/auths/", login.json()["token"]).status == 200);

    // 6. The lookup, from the console and as the admin through the API.
    auto lookup = runRosterd(iniFile, {"ldap", "lookup", "alice"});
    INFO(lookup.output);
    CHECK(lookup.exitCode == 0);
    CHECK(contains(lookup.output, "dn: " + userDn("alice")));
    CHECK(contains(lookup.output, "groups (direct): staff"));
    CHECK(contains(lookup.output, "can sign in: yes"));
    auto signin = client.post("/api/v1/auths/signin", {{"email", "admin@example.com"}, {"password", adminPassword}});
    REQUIRE(signin.status == 200);
    CHECK(signin.json()["role"] == "admin");
    auto viaApi = client.get("/api/v1/ldap/lookup/alice", signin.json()["token"]);
    INFO(viaApi.body);
    REQUIRE(viaApi.status == 200);
    CHECK(viaApi.json()["dn"] == userDn("alice"));
    CHECK(viaApi.json()["account"]["email"] == "alice@example.com");
    CHECK(viaApi.json()["can_sign_in"] == true);
    daemon.stop();
}
