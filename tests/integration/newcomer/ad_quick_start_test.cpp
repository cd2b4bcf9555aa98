// docs/ldap.md's Active Directory quick start, followed against a Samba AD domain controller: its
// rosterd.ini from the document (the domain controller's address, CA, password file, the test's
// OU and the store substituted), then check-config --connect, migrate, a dry run that neither creates users
// nor promotes initial_admin_email's account, the first sync, the first admin's directory login
// through the HTTP API, and a lookup from the console and, with the admin's token, the API.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "quick_start.h"
#include "support/samba_ad_server.h"

using namespace rosterd::test;

TEST_CASE("the Active Directory quick start of docs/ldap.md works as written on a fresh store") {
    const std::string doc = readFile(std::string(ROSTERD_SOURCE_DIR) + "/docs/ldap.md");
    std::string ini = iniBlockAfter(doc, "## Quick start: Active Directory in ten minutes");
    INFO("the quick start's rosterd.ini:\n" << ini);
    // The document's domain is the fixture's: the service account's UPN is kept as written.
    CHECK(valueOf(ini, "ldap", "bind_dn") == std::string(SambaAdServer::kServiceSam) + "@" + SambaAdServer::kRealm);
    const std::string firstAdmin = valueOf(ini, "auth", "initial_admin_email");
    REQUIRE(firstAdmin == std::string("ada@") + SambaAdServer::kRealm);

    SambaAdServer& ad = SambaAdServer::shared();
    const std::string ou = ad.newOu();
    const std::string ada = ad.addUser(ou, {.sam = "ada", .password = "Ada-Pass-1", .displayName = "Ada Lovelace"});
    const std::string bob = ad.addUser(ou, {.sam = "bob", .password = "Bob-Pass-1"});
    ad.addGroup(ou, "staff", {ada, bob});

    std::string inOu = withValue(withValue(ini, "ldap", "user_base", ou), "ldap", "group_base", ou);
    const auto local =
        placeQuickStart(inOu, "rosterd-ad-quick-start", ad.ldapsUrl(), ad.caFile(), SambaAdServer::kServicePassword);
    const std::string& dir = local.dir;
    const std::string& iniFile = local.iniFile;
    const int port = local.port;

    // 2. check-config --connect: every step ok.
    checkConnects(iniFile, "2 users");

    // 3. The database; the dry run creates no one and promotes no one; then the sync creates both users.
    auto migrate = runRosterd(iniFile, {"migrate"});
    INFO(migrate.output);
    REQUIRE(migrate.exitCode == 0);
    auto dry = runRosterd(iniFile, {"sync", "--dry-run"});
    INFO(dry.output);
    REQUIRE(dry.exitCode == 0);
    CHECK(contains(dry.output, firstAdmin));
    CHECK(contains(dry.output, "dry run: nothing was changed"));
    CHECK_FALSE(contains(runRosterd(iniFile, {"users", "list"}).output, firstAdmin));
    CHECK_FALSE(std::filesystem::exists(dir + "/jwt_secret"));
    auto sync = runRosterd(iniFile, {"sync"});
    INFO(sync.output);
    REQUIRE(sync.exitCode == 0);
    CHECK(contains(sync.output, "sync succeeded"));

    // 4. The daemon; the first admin signs in with the sAMAccountName and is the admin.
    ChildProcess daemon({"env", "-u", "DATABASE_URL", ROSTERD_BINARY, "--config", iniFile}, {}, dir + "/daemon.log");
    HttpClient client(port);
    if (!waitUntilReady(client, daemon)) FAIL("the daemon did not become ready:\n" << readFile(dir + "/daemon.log"));
    auto login = client.post("/api/v1/auths/ldap", {{"user", "ada"}, {"password", "Ada-Pass-1"}});
    INFO(login.body);
    REQUIRE(login.status == 200);
    CHECK(login.json()["email"] == firstAdmin);
    CHECK(login.json()["role"] == "admin");
    const std::string token = login.json()["token"];

    // 5. The lookup of another user, from the console and with the admin's token.
    auto lookup = runRosterd(iniFile, {"ldap", "lookup", "bob"});
    INFO(lookup.output);
    CHECK(lookup.exitCode == 0);
    CHECK(contains(lookup.output, "dn: " + bob));
    CHECK(contains(lookup.output, "groups (direct): staff"));
    CHECK(contains(lookup.output, "can sign in: yes"));
    auto viaApi = client.get("/api/v1/ldap/lookup/bob", token);
    INFO(viaApi.body);
    REQUIRE(viaApi.status == 200);
    CHECK(viaApi.json()["dn"] == bob);
    CHECK(viaApi.json()["account"]["role"] == "user");
    CHECK(viaApi.json()["can_sign_in"] == true);
    daemon.stop();
}
