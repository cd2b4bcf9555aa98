// Backup and restore as docs/operations.md describes them: the database copied while rosterd runs
// (SQLite's online .backup, pg_dump) plus the secret files; a new rosterd on the restored store
// serves the same users, and the tokens issued before the backup still work.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>

#include "common/csv_reader.h"
#include "service_daemon.h"
#include "support/postgres_server.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

std::string tokenOf(const HttpResult& r) {
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.json().at("token").get<std::string>();
}

/// Every user as exported, without Last Active At (using a token on the new daemon may move it).
std::vector<std::vector<std::string>> usersOf(const HttpClient& c, const std::string& admin) {
    auto r = c.get("/api/v1/users/export", admin);
    INFO(r.body);
    REQUIRE(r.status == 200);
    std::istringstream in(r.body);
    csv::CsvReader reader(in);
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> f;
    while (reader.next(f)) {
        f.erase(f.begin() + 7);
        rows.push_back(f);
    }
    return rows;
}

}  // namespace

TEST_CASE("a backup restored into a new rosterd serves the same users and accepts the same tokens") {
    const bool postgres = GENERATE(false, true);
    INFO((postgres ? "postgresql" : "sqlite"));
    DaemonOptions first;
    if (postgres) first.databaseUrl = PostgresServer::instance().freshDatabaseUrl();
    ServiceDaemon original(first);
    original.startReady();
    auto c = original.client();
    const std::string admin = tokenOf(c.post(
        "/api/v1/auths/signup", {{"name", "Admin"}, {"email", "admin@example.com"}, {"password", "correct horse"}}));
    for (const std::string name : {"ada", "bob"}) {
        auto r = c.post(
            "/api/v1/users/create",
            {{"name", name}, {"email", name + "@example.com"}, {"password", "correct horse"}, {"role", "user"}}, admin);
        INFO(r.body);
        REQUIRE(r.status == 200);
    }
    const std::string ada =
        tokenOf(c.post("/api/v1/auths/signin", {{"email", "ada@example.com"}, {"password", "correct horse"}}));
    const auto users = usersOf(c, admin);
    REQUIRE(users.size() == 4);

    // The backup, taken while the daemon runs: the database, then the secret files.
    const std::string backup = makeTempDir("rosterd-backup");
    DaemonOptions restored;
    if (postgres) {
        runChecked({"pg_dump", "--format=custom", "--file=" + backup + "/rosterd.dump", first.databaseUrl});
        restored.databaseUrl = PostgresServer::instance().freshDatabaseUrl();
        runChecked({"pg_restore", "--no-owner", "--exit-on-error", "--dbname=" + restored.databaseUrl,
                    backup + "/rosterd.dump"});
    } else {
        runChecked({"sqlite3", original.dir() + "/rosterd.db", ".backup '" + backup + "/rosterd.db'"});
        restored.databaseUrl = "sqlite://" + backup + "/rosterd.db";
    }
    ServiceDaemon copy(restored);
    std::filesystem::copy_file(original.dir() + "/jwt_secret", copy.dir() + "/jwt_secret");
    ::chmod((copy.dir() + "/jwt_secret").c_str(), 0600);
    original.process().stop();  // the machine it ran on is gone

    copy.startReady();
    auto t = copy.client();
    CHECK(usersOf(t, admin) == users);
    auto me = t.get("/api/v1/auths/", ada);
    INFO(me.body);
    CHECK(me.status == 200);
    CHECK(me.json()["email"] == "ada@example.com");
    CHECK(t.post("/api/v1/auths/signin", {{"email", "bob@example.com"}, {"password", "correct horse"}}).status == 200);
    std::filesystem::remove_all(backup);
}
