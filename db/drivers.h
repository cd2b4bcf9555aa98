#pragma once
// Factories for the two drivers (internal to db/).
#include <chrono>
#include <memory>
#include <string>

#include "db/connection.h"

namespace rosterd::db {

std::unique_ptr<Connection> openSqlite(const std::string& path, std::chrono::milliseconds busyTimeout);
std::unique_ptr<Connection> openPostgres(const std::string& url);

}  // namespace rosterd::db
