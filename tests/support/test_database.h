#pragma once
// Every store test runs once per driver:
//   auto driver = GENERATE(rosterd::test::allDrivers());
//   rosterd::test::TestDatabase db(driver);
#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "db/store.h"

namespace rosterd::test {

/// Both drivers, for GENERATE.
inline Catch::Generators::GeneratorWrapper<db::Driver> allDrivers() {
    return Catch::Generators::values({db::Driver::Sqlite, db::Driver::Postgres});
}

/// An empty database of the given driver (a new SQLite file, or a new PostgreSQL database).
class TestDatabase {
public:
    explicit TestDatabase(db::Driver driver, bool migrate = true);
    ~TestDatabase();
    const std::string& url() const { return url_; }
    db::Store& store() { return *store_; }
    db::Driver driver() const { return driver_; }

private:
    db::Driver driver_;
    std::string dir_;
    std::string url_;
    std::unique_ptr<db::Store> store_;
};

/// A fresh database URL of the given driver without opening it.
std::string freshDatabaseUrl(db::Driver driver);
/// A fresh database of the given driver with every migration applied, copied from one migrated
/// once per test process (the cost of a start is a copy, not the whole migration history).
std::string migratedDatabaseUrl(db::Driver driver);

}  // namespace rosterd::test
