#pragma once
#include <cstddef>

namespace rosterd::accounts {

/// The [import] section.
struct ImportConfig {
    std::size_t maxBytes = std::size_t{10} * 1024 * 1024;  ///< larger files are refused whole (413)
    std::size_t threads = 0;                               ///< hashing threads; 0 = one per core
    std::size_t batchSize = 50;                            ///< most users inserted per transaction
};

}  // namespace rosterd::accounts
