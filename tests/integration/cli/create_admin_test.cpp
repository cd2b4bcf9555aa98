// `rosterd users create-admin` (the first admin's way in after a first sync) and check-config's
// refusal of a loose JWT secret file.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "db/store.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/test_database.h"
#include "support/test_server.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

/// Runs rosterd with `input` on its stdin and DATABASE_URL set.
CommandResult rosterdWithInput(const std::string& input, const std::vector<std::string>& args,
                               const std::string& databaseUrl) {
    std::vector<std::string> argv = {"sh",
                                     "-c",
                                     "in=$1; url=$2; bin=$3; shift 3; printf '%s' \"$in\" | env -u DATABASE_URL "
                                     "DATABASE_URL=\"$url\" \"$bin\" \"$@\"",
                                     "sh",
                                     input,
                                     databaseUrl,
                                     ROSTERD_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    return runCommand(argv);
}

}  // namespace

TEST_CASE("users create-admin creates the primary admin once, even after a first sync") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    std::string url;
    {
        // A first sync ran before anyone signed up: directory users, no primary admin.
        TestServer s(driver);
        url = s.databaseUrl();
        s.app().store().transact([](db::Transaction& tx) {
            tx.exec(
                "INSERT INTO users (id, name, email, role, source, external_id, created_at, updated_at, "
                "last_active_at) VALUES ('synced', 'Synced', 'synced@example.com', 'user', 'ldap', 'u-1', 1, 1, 1)");
        });
    }
    auto usage = rosterdWithInput("", {"users", "create-admin", "--email", "root@example.com"}, url);
    CHECK(usage.exitCode == 64);
    auto weak =
        rosterdWithInput("short\n", {"users", "create-admin", "--email", "root@example.com", "--name", "Root"}, url);
    CHECK(weak.exitCode == 1);
    CHECK(weak.output.find("at least") != std::string::npos);

    auto made = rosterdWithInput("a long admin password\n",
                                 {"users", "create-admin", "--email", "Root@Example.com", "--name", "Root"}, url);
    INFO(made.output);
    REQUIRE(made.exitCode == 0);
    CHECK(made.output.find("root@example.com") != std::string::npos);

    std::string dir = makeTempDir("rosterd-admin");
    writeFile(dir + "/pw", "another long password\n");
    auto second = rosterdWithInput(
        "", {"users", "create-admin", "--email", "two@example.com", "--name", "Two", "--password-file", dir + "/pw"},
        url);
    CHECK(second.exitCode == 1);
    CHECK(second.output.find("primary admin exists already") != std::string::npos);

    TestServer s(driver, {}, url);
    auto c = s.client();
    auto in = c.post("/api/v1/auths/signin", {{"email", "root@example.com"}, {"password", "a long admin password"}});
    INFO(in.body);
    REQUIRE(in.status == 200);
    CHECK(in.json()["role"] == "admin");
    auto primaries = s.app().store().transact(
        [](db::Transaction& tx) { return tx.exec("SELECT email FROM users WHERE is_primary = 1"); });
    REQUIRE(primaries.size() == 1);
    CHECK(primaries[0].str(0) == "root@example.com");
}

TEST_CASE("check-config refuses a group-writable JWT secret file, naming it and the fix (exit 78)") {
    std::string dir = makeTempDir("rosterd-cli-secret");
    std::string secret = dir + "/jwt_secret";
    writeFile(secret, "0123456789abcdefghijklmnopqrstuvwxyzABCDEF\n");
    ::chmod(secret.c_str(), 0660);
    std::string ini = dir + "/rosterd.ini";
    writeFile(ini, "[database]\nurl = sqlite://" + dir + "/r.db\n[auth]\njwt_secret_file = " + secret + "\n");
    auto r = runCommand({"env", "-u", "DATABASE_URL", ROSTERD_BINARY, "check-config", "--config", ini});
    INFO(r.output);
    CHECK(r.exitCode == 78);
    CHECK(r.output.find(secret) != std::string::npos);
    CHECK(r.output.find("chmod 600") != std::string::npos);
    ::chmod(secret.c_str(), 0600);
    CHECK(runCommand({"env", "-u", "DATABASE_URL", ROSTERD_BINARY, "check-config", "--config", ini}).exitCode == 0);
}
