// `rosterd users list|promote|demote|set-password|deactivate|reactivate|revoke-sessions` against
// a real store: the API's account rules (and their refusals, with the documented exit codes), and
// the events the API's changes record.
#include <catch2/catch.hpp>

#include "db/store.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/test_database.h"
#include "support/test_server.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

/// Runs rosterd on `url` with `input` on stdin and extra environment entries ("KEY=value").
CommandResult runRosterd(const std::string& url, const std::vector<std::string>& args, const std::string& input = "",
                         const std::vector<std::string>& env = {}) {
    std::vector<std::string> argv = {"sh", "-c",           "in=$1; shift; printf '%s' \"$in\" | \"$@\"",
                                     "sh", input,          "env",
                                     "-u", "DATABASE_URL", "DATABASE_URL=" + url};
    argv.insert(argv.end(), env.begin(), env.end());
    argv.push_back(ROSTERD_BINARY);
    argv.insert(argv.end(), args.begin(), args.end());
    return runCommand(argv);
}

bool says(const CommandResult& r, const std::string& text) { return r.output.find(text) != std::string::npos; }

std::string tokenOf(const HttpResult& r) {
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.json().at("token").get<std::string>();
}

HttpResult signin(const HttpClient& c, const std::string& email, const std::string& password = "correct horse") {
    return c.post("/api/v1/auths/signin", {{"email", email}, {"password", password}});
}

std::string addUser(const HttpClient& c, const std::string& admin, const std::string& email, const std::string& role) {
    auto r = c.post(
        "/api/v1/users/create",
        {{"name", email.substr(0, email.find('@'))}, {"email", email}, {"password", "correct horse"}, {"role", role}},
        admin);
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.json().at("id").get<std::string>();
}

void insertDirectoryUser(TestServer& s, const std::string& id, const std::string& username, const std::string& role) {
    s.app().store().transact([&](db::Transaction& tx) {
        tx.exec(
            "INSERT INTO users (id, name, email, role, source, username, external_id, external_dn, created_at, "
            "updated_at, last_active_at) VALUES ($1, $2, $3, $4, 'ldap', $2, $5, $6, 1, 1, 1)",
            {id, username, username + "@example.com", role, "ext-" + id, "uid=" + username + ",ou=people,dc=example"});
    });
}

std::string roleOf(TestServer& s, const std::string& email) {
    return s.app().store().transact([&](db::Transaction& tx) {
        return tx.exec("SELECT role FROM users WHERE email = $1", {email}).front().str(0);
    });
}

/// The payloads of the outbox events of `type` that mention `email`.
std::vector<nlohmann::json> eventsAbout(TestServer& s, const std::string& type, const std::string& email) {
    std::vector<nlohmann::json> out;
    s.app().store().transact([&](db::Transaction& tx) {
        for (auto row : tx.exec("SELECT payload FROM outbox WHERE type = $1 ORDER BY occurred_at", {type})) {
            auto j = nlohmann::json::parse(row.str(0));
            if (row.str(0).find(email) != std::string::npos) out.push_back(j);
        }
    });
    return out;
}

}  // namespace

TEST_CASE("users promote and demote change roles as the API does, refusing the primary admin's demotion") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver);
    auto c = s.client();
    std::string root = tokenOf(c.post(
        "/api/v1/auths/signup", {{"name", "Root"}, {"email", "root@example.com"}, {"password", "correct horse"}}));
    addUser(c, root, "bob@example.com", "user");
    insertDirectoryUser(s, "dora-id", "dora", "user");
    const std::string url = s.databaseUrl();

    auto up = runRosterd(url, {"users", "promote", "BOB@example.com"});
    INFO(up.output);
    REQUIRE(up.exitCode == 0);
    CHECK(says(up, "promoted bob@example.com"));
    CHECK(roleOf(s, "bob@example.com") == "admin");
    auto changes = eventsAbout(s, "user.role_changed", "bob@example.com");
    REQUIRE(changes.size() == 1);
    CHECK(changes[0]["old_role"] == "user");
    CHECK(changes[0]["new_role"] == "admin");
    CHECK(changes[0]["reason"] == "changed by an admin");

    auto down = runRosterd(url, {"users", "demote", "bob@example.com", "--role", "pending"});
    INFO(down.output);
    CHECK(down.exitCode == 0);
    CHECK(roleOf(s, "bob@example.com") == "pending");
    CHECK(eventsAbout(s, "user.role_changed", "bob@example.com").size() == 2);

    // A directory user named by their directory username; no policy manages roles here.
    auto dora = runRosterd(url, {"users", "promote", "dora", "--role", "user"});
    INFO(dora.output);
    CHECK(dora.exitCode == 0);
    CHECK(says(dora, "dora@example.com (dora-id) is user already"));

    auto primary = runRosterd(url, {"users", "demote", "root@example.com"});
    INFO(primary.output);
    CHECK(primary.exitCode == 77);
    CHECK(says(primary, "the primary admin cannot be demoted"));
    CHECK(roleOf(s, "root@example.com") == "admin");

    auto wrongWay = runRosterd(url, {"users", "promote", "bob@example.com", "--role", "pending"});
    CHECK(wrongWay.exitCode == 0);  // pending already: nothing to do
    auto backwards = runRosterd(url, {"users", "demote", "bob@example.com", "--role", "admin"});
    INFO(backwards.output);
    CHECK(backwards.exitCode == 65);
    CHECK(says(backwards, "rosterd users promote"));
    auto badRole = runRosterd(url, {"users", "promote", "bob@example.com", "--role", "root"});
    CHECK(badRole.exitCode == 65);

    auto nobody = runRosterd(url, {"users", "promote", "nobody@example.com"});
    INFO(nobody.output);
    CHECK(nobody.exitCode == 67);
    CHECK(says(nobody, "no user has the id, email or directory username 'nobody@example.com'"));
    CHECK(runRosterd(url, {"users", "promote"}).exitCode == 64);
    CHECK(runRosterd(url, {"users", "demote", "a", "b"}).exitCode == 64);
}

TEST_CASE("users demote and deactivate never leave the store without an active admin") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver);
    // An admin that is not the primary admin (an import made it): the only one.
    s.app().store().transact([](db::Transaction& tx) {
        tx.exec(
            "INSERT INTO users (id, name, email, role, source, created_at, updated_at, last_active_at) "
            "VALUES ('solo', 'Solo', 'solo@example.com', 'admin', 'local', 1, 1, 1)");
    });
    const std::string url = s.databaseUrl();
    auto demote = runRosterd(url, {"users", "demote", "solo"});
    INFO(demote.output);
    CHECK(demote.exitCode == 77);
    CHECK(says(demote, "cannot demote the last active admin"));
    auto deactivate = runRosterd(url, {"users", "deactivate", "solo@example.com"});
    INFO(deactivate.output);
    CHECK(deactivate.exitCode == 77);
    CHECK(says(deactivate, "cannot deactivate the last active admin"));
    CHECK(roleOf(s, "solo@example.com") == "admin");
    CHECK(eventsAbout(s, "user.role_changed", "solo@example.com").empty());
    CHECK(eventsAbout(s, "user.deactivated", "solo@example.com").empty());
}

TEST_CASE("a role the directory policy manages is refused by users promote as by the API") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver, {{"ldap.admin_groups", "Admins"}});
    auto c = s.client();
    std::string root = tokenOf(c.post(
        "/api/v1/auths/signup", {{"name", "Root"}, {"email", "root@example.com"}, {"password", "correct horse"}}));
    insertDirectoryUser(s, "dora-id", "dora", "user");
    auto api = c.post("/api/v1/users/dora-id/update", {{"role", "admin"}}, root);
    REQUIRE(api.status == 409);
    const std::string detail = api.json()["detail"];
    CHECK(detail.find("[ldap] admin_groups = Admins") != std::string::npos);

    auto cli = runRosterd(s.databaseUrl(), {"users", "promote", "dora"}, "", {"ROSTERD_LDAP_ADMIN_GROUPS=Admins"});
    INFO(cli.output);
    CHECK(cli.exitCode == 77);
    CHECK(says(cli, detail));
    CHECK(roleOf(s, "dora@example.com") == "user");
}

TEST_CASE("users deactivate, reactivate and revoke-sessions end sessions and record their events") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver);
    auto c = s.client();
    std::string root = tokenOf(c.post(
        "/api/v1/auths/signup", {{"name", "Root"}, {"email", "root@example.com"}, {"password", "correct horse"}}));
    std::string bobId = addUser(c, root, "bob@example.com", "user");
    insertDirectoryUser(s, "dora-id", "dora", "user");
    const std::string url = s.databaseUrl();

    std::string bob = tokenOf(signin(c, "bob@example.com"));
    auto off = runRosterd(url, {"users", "deactivate", bobId});
    INFO(off.output);
    REQUIRE(off.exitCode == 0);
    CHECK(c.get("/api/v1/auths/", bob).status == 401);
    CHECK(signin(c, "bob@example.com").status != 200);
    auto deactivated = eventsAbout(s, "user.deactivated", "bob@example.com");
    REQUIRE(deactivated.size() == 1);
    CHECK(deactivated[0]["active"] == false);
    CHECK(deactivated[0]["reason"] == "deactivated by an admin");
    CHECK(runRosterd(url, {"users", "deactivate", "bob@example.com"}).exitCode == 0);  // already: no second event
    CHECK(eventsAbout(s, "user.deactivated", "bob@example.com").size() == 1);

    auto listed = runRosterd(url, {"users", "list", "--inactive"});
    INFO(listed.output);
    CHECK(says(listed, "bob@example.com"));
    CHECK(!says(listed, "root@example.com"));

    auto on = runRosterd(url, {"users", "reactivate", "bob@example.com"});
    INFO(on.output);
    REQUIRE(on.exitCode == 0);
    CHECK(c.get("/api/v1/auths/", bob).status == 401);  // the old session stays ended
    std::string again = tokenOf(signin(c, "bob@example.com"));
    auto updated = eventsAbout(s, "user.updated", "bob@example.com");
    REQUIRE(updated.size() == 1);
    CHECK(updated[0]["changed"] == nlohmann::json::array({"active"}));

    auto revoked = runRosterd(url, {"users", "revoke-sessions", "bob@example.com"});
    INFO(revoked.output);
    CHECK(revoked.exitCode == 0);
    CHECK(c.get("/api/v1/auths/", again).status == 401);

    auto primary = runRosterd(url, {"users", "deactivate", "root@example.com"});
    INFO(primary.output);
    CHECK(primary.exitCode == 77);
    CHECK(says(primary, "the primary admin cannot be deactivated"));
    CHECK(c.get("/api/v1/auths/", root).status == 200);

    auto directory = runRosterd(url, {"users", "deactivate", "dora"});
    INFO(directory.output);
    CHECK(directory.exitCode == 77);
    CHECK(says(directory, "managed by the directory"));
    CHECK(eventsAbout(s, "user.deactivated", "dora@example.com").empty());
}

TEST_CASE("users set-password sets a local account's password and ends its sessions") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver);
    auto c = s.client();
    std::string root = tokenOf(c.post(
        "/api/v1/auths/signup", {{"name", "Root"}, {"email", "root@example.com"}, {"password", "correct horse"}}));
    addUser(c, root, "bob@example.com", "user");
    insertDirectoryUser(s, "dora-id", "dora", "user");
    const std::string url = s.databaseUrl();
    std::string bob = tokenOf(signin(c, "bob@example.com"));

    auto weak = runRosterd(url, {"users", "set-password", "bob@example.com"}, "short\n");
    INFO(weak.output);
    CHECK(weak.exitCode == 65);
    CHECK(c.get("/api/v1/auths/", bob).status == 200);

    auto set = runRosterd(url, {"users", "set-password", "bob@example.com"}, "a brand new password\n");
    INFO(set.output);
    REQUIRE(set.exitCode == 0);
    CHECK(c.get("/api/v1/auths/", bob).status == 401);
    CHECK(signin(c, "bob@example.com").status != 200);
    CHECK(signin(c, "bob@example.com", "a brand new password").status == 200);

    // The console may reset the primary admin's password (the way back in when it is lost).
    std::string dir = makeTempDir("rosterd-set-password");
    writeFile(dir + "/pw", "the root's new password\n");
    auto rootReset = runRosterd(url, {"users", "set-password", "root@example.com", "--password-file", dir + "/pw"});
    INFO(rootReset.output);
    CHECK(rootReset.exitCode == 0);
    CHECK(signin(c, "root@example.com", "the root's new password").status == 200);

    auto directory = runRosterd(url, {"users", "set-password", "dora"}, "a brand new password\n");
    INFO(directory.output);
    CHECK(directory.exitCode == 77);
    CHECK(says(directory, "managed by the directory"));
}

TEST_CASE("users list filters by role, source and state, and prints JSON") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver);
    auto c = s.client();
    std::string root = tokenOf(c.post(
        "/api/v1/auths/signup", {{"name", "Root"}, {"email", "root@example.com"}, {"password", "correct horse"}}));
    addUser(c, root, "bob@example.com", "user");
    insertDirectoryUser(s, "dora-id", "dora", "user");
    const std::string url = s.databaseUrl();

    auto all = runRosterd(url, {"users", "list", "--json"});
    INFO(all.output);
    REQUIRE(all.exitCode == 0);
    auto users = nlohmann::json::parse(
        all.output.substr(all.output.find('['), all.output.rfind(']') + 1 - all.output.find('[')));
    REQUIRE(users.size() == 3);
    CHECK(users[0]["email"] == "bob@example.com");
    CHECK(users[1]["username"] == "dora");
    CHECK(users[1]["source"] == "ldap");
    CHECK(users[2]["is_primary_admin"] == true);

    auto ldap = runRosterd(url, {"users", "list", "--source", "ldap"});
    INFO(ldap.output);
    CHECK(says(ldap, "dora@example.com"));
    CHECK(!says(ldap, "bob@example.com"));
    auto admins = runRosterd(url, {"users", "list", "--role", "admin"});
    CHECK(says(admins, "root@example.com"));
    CHECK(!says(admins, "bob@example.com"));
    CHECK(runRosterd(url, {"users", "list", "--role", "root"}).exitCode == 64);
    CHECK(runRosterd(url, {"users", "list", "--source", "ad"}).exitCode == 64);
}
