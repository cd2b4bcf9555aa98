#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <iostream>

#include "common/clock.h"
#include "daemon/app.h"
#include "daemon/cli.h"

namespace rosterd::daemon {

int runServe(CliContext& ctx) {
    if (!ctx.args.empty()) {
        std::cerr << "rosterd serve: unexpected argument '" << ctx.args.front() << "'\n";
        return kExitUsage;
    }
    // Block the signals before any thread starts so only sigwait below receives them.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    Config config = ctx.loadConfig();
    setupLogging(config.log.level);
    SystemClock clock;
    App app(std::move(config), clock);
    app.start();
    std::cout << "rosterd is serving on http://" << app.config().server.host << ":" << app.port() << std::endl;
    for (;;) {
        int sig = 0;
        sigwait(&signals, &sig);
        if (sig == SIGHUP) {
            spdlog::info("SIGHUP received; configuration reload is not available in this build, ignoring");
            continue;
        }
        spdlog::info("{} received, shutting down", sig == SIGTERM ? "SIGTERM" : "SIGINT");
        break;
    }
    app.stop();
    spdlog::info("stopped");
    spdlog::shutdown();
    return kExitOk;
}

}  // namespace rosterd::daemon
