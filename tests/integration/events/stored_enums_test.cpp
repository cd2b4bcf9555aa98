// The C++ enums whose text form is stored (Role, Source, RunStatus) and the database's CHECK
// constraints accept exactly the same values, on both drivers: every enum value is stored, a
// value outside the enum is refused by the store.
#include <catch2/catch.hpp>
#include <string>

#include "accounts/role.h"
#include "common/errors.h"
#include "support/test_database.h"
#include "sync/run_status.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

int counter = 0;

void insertUser(db::Store& store, const std::string& role, const std::string& source) {
    const std::string n = std::to_string(++counter);
    store.transact([&](db::Transaction& tx) {
        tx.exec(
            "INSERT INTO users (id, name, email, role, source, created_at, updated_at, last_active_at) "
            "VALUES ($1, $2, $3, $4, $5, 1, 1, 1)",
            {"u" + n, "User " + n, "user" + n + "@example.com", role, source});
    });
}

void insertGroup(db::Store& store, const std::string& source) {
    const std::string n = std::to_string(++counter);
    store.transact([&](db::Transaction& tx) {
        tx.exec("INSERT INTO groups (id, name, source, created_at, updated_at) VALUES ($1, $2, $3, 1, 1)",
                {"g" + n, "group " + n, source});
    });
}

void insertRun(db::Store& store, const std::string& status) {
    const std::string n = std::to_string(++counter);
    store.transact([&](db::Transaction& tx) {
        tx.exec("INSERT INTO sync_runs (id, triggered_by, mode, status, started_at) VALUES ($1, 'api', 'full', $2, 1)",
                {"r" + n, status});
    });
}

}  // namespace

TEST_CASE("stored enums: every Role and Source is stored, anything else is refused") {
    auto driver = GENERATE(allDrivers());
    INFO(db::driverName(driver));
    TestDatabase db(driver);
    for (auto role : accounts::kAllRoles) {
        INFO(accounts::roleName(role));
        CHECK_NOTHROW(insertUser(db.store(), std::string(accounts::roleName(role)), "local"));
    }
    for (auto source : accounts::kAllSources) {
        INFO(accounts::sourceName(source));
        CHECK_NOTHROW(insertUser(db.store(), "user", std::string(accounts::sourceName(source))));
        CHECK_NOTHROW(insertGroup(db.store(), std::string(accounts::sourceName(source))));
    }
    for (const std::string bad : {"superuser", "Admin", ""}) {
        INFO(bad);
        CHECK_FALSE(accounts::parseRole(bad));
        CHECK_THROWS_AS(insertUser(db.store(), bad, "local"), ConstraintViolation);
    }
    for (const std::string bad : {"ad", "LDAP", ""}) {
        INFO(bad);
        CHECK_FALSE(accounts::parseSource(bad));
        CHECK_THROWS_AS(insertUser(db.store(), "user", bad), ConstraintViolation);
        CHECK_THROWS_AS(insertGroup(db.store(), bad), ConstraintViolation);
    }
}

TEST_CASE("stored enums: every stored RunStatus is stored; busy and anything else are refused") {
    auto driver = GENERATE(allDrivers());
    INFO(db::driverName(driver));
    TestDatabase db(driver);
    for (auto status : sync::kStoredRunStatuses) {
        INFO(sync::runStatusName(status));
        CHECK_NOTHROW(insertRun(db.store(), std::string(sync::runStatusName(status))));
    }
    // Busy is an outcome only (another run held the lease), never a row.
    CHECK_THROWS_AS(insertRun(db.store(), std::string(sync::runStatusName(sync::RunStatus::Busy))),
                    ConstraintViolation);
    for (const std::string bad : {"done", "Succeeded", ""}) {
        INFO(bad);
        CHECK_FALSE(sync::parseRunStatus(bad));
        CHECK_THROWS_AS(insertRun(db.store(), bad), ConstraintViolation);
    }
}
