#pragma once
// What a driver provides: one session with the database. Only db/*.cpp implement it.
#include <string>
#include <string_view>
#include <vector>

#include "db/result.h"

namespace rosterd::db {

enum class Driver { Sqlite, Postgres };
enum class TxMode { Write, Read };

/// Name of a driver as used in URLs and test output ("sqlite", "postgresql").
const char* driverName(Driver d);

class Connection {
public:
    virtual ~Connection() = default;
    /// Runs one statement with `$1..$n` placeholders; prepared statements are cached per connection.
    virtual ResultSet exec(std::string_view sql, const Params& params) = 0;
    /// Runs several `;`-separated statements without parameters (migrations).
    virtual void execScript(std::string_view sql) = 0;
    /// Inserts rows given as `values`, `columns.size()` per row, the fastest way the driver has
    /// (PostgreSQL: COPY; SQLite: one prepared statement stepped per row). Part of the open
    /// transaction; a constraint violation fails the whole call.
    virtual void insertRows(std::string_view table, const std::vector<std::string>& columns, const Params& values) = 0;
    virtual void begin(TxMode mode) = 0;
    virtual void commit() = 0;
    virtual void rollback() = 0;
    /// True once the session is unusable (lost connection); the pool then drops it.
    virtual bool broken() const = 0;
};

}  // namespace rosterd::db
