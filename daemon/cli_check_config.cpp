#include <iostream>

#include "daemon/cli.h"

namespace rosterd::daemon {

int runCheckConfig(CliContext& ctx) {
    Config config = ctx.loadConfig();
    std::cout << "configuration is valid" << (config.sourcePath.empty() ? " (defaults and environment only)" : " (" + config.sourcePath + ")")
              << "\n";
    return kExitOk;
}

}  // namespace rosterd::daemon
