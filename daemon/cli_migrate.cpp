#include <iostream>

#include "daemon/cli.h"
#include "db/store.h"

namespace rosterd::daemon {

int runMigrate(CliContext& ctx) {
    Config config = ctx.loadConfig();
    auto store = db::Store::open(config.database);
    auto applied = store->migrate();
    if (applied.empty()) std::cout << "database is up to date; nothing applied\n";
    for (const auto& m : applied) std::cout << "applied " << m << "\n";
    return kExitOk;
}

}  // namespace rosterd::daemon
