#pragma once
#include <string>

#include "db/connection.h"

namespace rosterd::db {

/// A parsed DATABASE_URL.
struct DatabaseUrl {
    Driver driver = Driver::Sqlite;
    /// SQLite: the file path. PostgreSQL: the URL as libpq takes it.
    std::string target;
};

/// Parses `sqlite:///abs/path`, `sqlite://relative/path` or `postgresql://...` (also `postgres://`).
/// Throws ConfigError naming database.url with the reason.
DatabaseUrl parseDatabaseUrl(const std::string& url);

/// The URL with any password replaced by "***", for logs.
std::string redactDatabaseUrl(const std::string& url);

}  // namespace rosterd::db
