#pragma once
// Numbered parameter lists ($1, $2, ...) for statements built for a variable number of values.
#include <cstddef>
#include <string>

namespace rosterd::db {

/// "$first, $first+1, ..." : `n` numbered parameters.
std::string placeholders(std::size_t first, std::size_t n);
/// "($k+1, ..., $k+cols), (...)" : `rows` rows of `cols` parameters after `offset` parameters.
std::string valueRows(std::size_t rows, std::size_t cols, std::size_t offset = 0);

}  // namespace rosterd::db
