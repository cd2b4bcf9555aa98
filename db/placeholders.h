#pragma once
// Numbered parameter lists ($1, $2, ...) for statements built for a variable number of values.
#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "db/result.h"

namespace rosterd::db {

/// "$first, $first+1, ..." : `n` numbered parameters.
std::string placeholders(std::size_t first, std::size_t n);
/// "($k+1, ..., $k+cols), (...)" : `rows` rows of `cols` parameters after `offset` parameters.
std::string valueRows(std::size_t rows, std::size_t cols, std::size_t offset = 0);

/// Values per IN list when a statement is run for many ids: far below both drivers' limits.
inline constexpr std::size_t kIdsPerStatement = 500;

/// Calls fn(params, n) for each run of at most kIdsPerStatement of `ids`, in order: one statement
/// per run with an IN list of db::placeholders(1, n).
template <typename Fn>
void forIdChunks(const std::vector<std::string>& ids, Fn&& fn) {
    for (std::size_t b = 0; b < ids.size(); b += kIdsPerStatement) {
        const std::size_t e = std::min(ids.size(), b + kIdsPerStatement);
        Params chunk(ids.begin() + static_cast<std::ptrdiff_t>(b), ids.begin() + static_cast<std::ptrdiff_t>(e));
        fn(chunk, e - b);
    }
}

}  // namespace rosterd::db
