#include "daemon/config.h"

namespace rosterd::daemon {

void readImport(ConfigReader& r, accounts::ImportConfig& c) {
    c.maxBytes =
        static_cast<std::size_t>(r.integer("import", "max_bytes", static_cast<long long>(c.maxBytes), 64, 1LL << 32));
    c.threads = static_cast<std::size_t>(r.integer("import", "threads", static_cast<long long>(c.threads), 0, 1024));
    c.batchSize =
        static_cast<std::size_t>(r.integer("import", "batch_size", static_cast<long long>(c.batchSize), 1, 10'000));
}

}  // namespace rosterd::daemon
