#include <iostream>

#include "daemon/cli.h"
#include "daemon/directory_policy_check.h"

namespace rosterd::daemon {

int runCheckConfig(CliContext& ctx) {
    Config config = ctx.loadConfig();
    std::cout << "configuration is valid" << (config.sourcePath.empty() ? " (defaults and environment only)" : " (" + config.sourcePath + ")")
              << "\n";
    for (const auto& w : policyGroupWarnings(config)) std::cout << "warning: " << w << "\n";
    return kExitOk;
}

}  // namespace rosterd::daemon
