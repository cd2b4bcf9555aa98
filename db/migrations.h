#pragma once
#include <string>
#include <vector>

namespace rosterd::db {

/// One migration file compiled into the binary. `driver` is empty when it serves both drivers.
struct MigrationSource {
    std::string name;
    std::string driver;
    std::string sql;
};

/// All of db/migrations/*.sql, sorted by name.
const std::vector<MigrationSource>& embeddedMigrations();

}  // namespace rosterd::db
