#include <iostream>

#include "daemon/cli.h"
#include "daemon/sqlite_ownership.h"
#include "db/store.h"

namespace rosterd::daemon {

int runMigrate(CliContext& ctx) {
    Config config = ctx.loadConfig();
    SqliteOwnership ownership(config.database);
    std::vector<std::string> applied;
    {
        auto store = db::Store::open(config.database);
        applied = store->migrate();
    }
    if (applied.empty()) std::cout << "database is up to date; nothing applied\n";
    for (const auto& m : applied) std::cout << "applied " << m << "\n";
    if (auto note = ownership.restore()) std::cout << *note << "\n";
    return kExitOk;
}

}  // namespace rosterd::daemon
