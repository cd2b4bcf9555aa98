#pragma once
// Every user as CSV (ID,Name,Email,Role,Source,Active,Created At,Last Active At,Username,DN; times
// in ISO 8601 UTC; Username and DN empty for local users), written row by row while the store is read in pages, so the
// size of the user base never becomes the size of one string. Formula-like cells are neutralised.
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>

#include "db/store.h"

namespace rosterd::accounts {

/// The export's header, in order.
extern const char* const kExportColumns[10];

/// Writes the header and every user, ordered by creation, reading `pageSize` users per read
/// transaction. Returns the number of users written.
std::size_t exportUsers(db::Store& store, std::ostream& out, std::size_t pageSize = 1000);

/// "2026-11-29T02:20:46Z".
std::string isoUtc(std::int64_t epochSeconds);
/// "users-20261129T022046Z.csv".
std::string exportFileName(std::int64_t epochSeconds);

}  // namespace rosterd::accounts
