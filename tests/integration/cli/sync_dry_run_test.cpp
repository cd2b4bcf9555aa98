// `rosterd sync --dry-run` writes nothing but its run record, on both store drivers: on a store
// and configuration where starting the daemon would prune an expired token revocation, promote
// [auth] initial_admin_email's account, create the JWT key file and record the previous key's
// retirement, every other table keeps its rows and no key file appears. A real sync on the same
// setup then does each of those writes, so the dry run had each of them to skip.
#include <sys/stat.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>

#include "accounts/user_store.h"
#include "cli_fixture.h"
#include "support/process.h"
#include "support/slapd_server.h"
#include "support/test_database.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

/// The tables a dry run may write: its own run record and the plan kept with it.
bool isRunRecord(const std::string& table) { return table == "sync_runs" || table == "sync_run_changes"; }

std::vector<std::string> tableNames(db::Transaction& tx, db::Driver driver) {
    const char* sql = driver == db::Driver::Sqlite
                          ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                          : "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()";
    std::vector<std::string> out;
    for (const auto& row : tx.exec(sql)) out.push_back(row.str("name"));
    std::sort(out.begin(), out.end());
    return out;
}

/// Every row of every table but the run record's, as text, in a stable order.
std::map<std::string, std::vector<std::string>> rowsOutsideRunRecord(db::Store& store, db::Driver driver) {
    return store.transact(
        [&](db::Transaction& tx) {
            std::map<std::string, std::vector<std::string>> out;
            for (const auto& table : tableNames(tx, driver)) {
                if (isRunRecord(table)) continue;
                auto rs = tx.exec("SELECT * FROM " + table);
                auto& rows = out[table];
                for (const auto& row : rs) {
                    std::string line;
                    for (std::size_t c = 0; c < rs.columns().size(); ++c)
                        line += rs.columns()[c] + "=" + (row.isNull(c) ? "NULL" : row.str(c)) + ";";
                    rows.push_back(line);
                }
                std::sort(rows.begin(), rows.end());
            }
            return out;
        },
        db::TxMode::Read);
}

std::int64_t count(db::Store& store, const std::string& sql) {
    return store.transact([&](db::Transaction& tx) { return tx.exec(sql).front().i64(0); }, db::TxMode::Read);
}

void writeSecret(const std::string& path, const std::string& secret) {
    writeFile(path, secret + "\n");
    ::chmod(path.c_str(), 0600);
}

}  // namespace

TEST_CASE("sync --dry-run writes nothing but its run record: no prune, no initial admin, no key file") {
    auto driver = GENERATE(allDrivers());
    SlapdServer ldap(
        {.ldif = peopleAndGroupsLdif({{"alice", "Alice", "alice@example.com", "pw"}}, {{"staff", {"alice"}}})});
    TestDatabase db(driver);
    // What starting would write: a revocation long expired, and the initial admin's account not yet admin.
    db.store().transact([](db::Transaction& tx) {
        tx.exec("INSERT INTO revoked_tokens (jti, expires_at) VALUES ('expired-jti', 1)");
        accounts::User root;
        root.id = "00000000-0000-4000-8000-000000000001";
        root.name = "Root";
        root.email = "root@example.com";
        root.role = accounts::Role::User;
        root.createdAt = root.updatedAt = root.lastActiveAt = 1700000000;
        accounts::user_store::insert(tx, root);
    });

    std::string dir = makeTempDir("rosterd-dry-run");
    std::string pw = dir + "/ldap.pw";
    writeSecret(pw, SlapdServer::kServicePassword);
    // The current key file does not exist yet (it would be created, with its folder); the previous
    // one does (its retirement would be recorded).
    std::string keyDir = dir + "/keys";
    std::string keyFile = keyDir + "/jwt.key";
    writeSecret(dir + "/jwt.previous", "previous-signing-secret-0123456789abcdefghijklmnop");
    std::string ini = dir + "/rosterd.ini";
    writeFile(ini, "[database]\nurl = " + db.url() + "\n[auth]\ninitial_admin_email = root@example.com\n" +
                       "jwt_secret_file = " + keyFile + "\njwt_previous_secret_file = " + dir + "/jwt.previous\n" +
                       "[ldap]\nenabled = true\nurl = " + ldap.url() + "\nbind_dn = " + SlapdServer::kServiceDn +
                       "\nbind_password_file = " + pw + "\nuser_base = " + SlapdServer::kPeople +
                       "\ngroup_base = " + SlapdServer::kGroups + "\n");

    const auto before = rowsOutsideRunRecord(db.store(), driver);
    REQUIRE(before.at("revoked_tokens").size() == 1);
    auto dry = rosterdWithConfig(ini, {"sync", "--dry-run"});
    INFO(dry.output);
    REQUIRE(dry.exitCode == 0);
    CHECK(dry.output.find("users_created: 1 planned") != std::string::npos);
    CHECK(dry.output.find("dry run: nothing was changed") != std::string::npos);

    const auto after = rowsOutsideRunRecord(db.store(), driver);
    CHECK(after.size() == before.size());
    for (const auto& [table, rows] : before) {
        INFO("table " << table);
        CHECK(after.at(table) == rows);
    }
    CHECK_FALSE(std::filesystem::exists(keyFile));
    CHECK_FALSE(std::filesystem::exists(keyDir));
    CHECK(count(db.store(), "SELECT COUNT(*) FROM sync_runs WHERE dry_run = 1") == 1);

    // The same setup, applied: each write the dry run skipped happens.
    auto real = rosterdWithConfig(ini, {"sync"});
    INFO(real.output);
    REQUIRE(real.exitCode == 0);
    CHECK(std::filesystem::exists(keyFile));
    CHECK(count(db.store(), "SELECT COUNT(*) FROM revoked_tokens") == 0);
    CHECK(count(db.store(), "SELECT COUNT(*) FROM users WHERE email = 'root@example.com' AND role = 'admin'") == 1);
    CHECK(count(db.store(), "SELECT COUNT(*) FROM retired_signing_keys") == 1);
    CHECK(count(db.store(), "SELECT COUNT(*) FROM users WHERE email = 'alice@example.com'") == 1);
}
