// `rosterd serve`: the daemon's main loop. Signals are taken synchronously with sigwait so that
// reload and shutdown run on this thread, never inside a signal handler.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <iostream>
#include <optional>

#include "common/clock.h"
#include "common/errors.h"
#include "daemon/app.h"
#include "daemon/cli.h"
#include "daemon/logging.h"
#include "daemon/notify.h"

namespace rosterd::daemon {
namespace {

/// Where this process can reach its own listener: wildcard addresses mean loopback.
std::string selfHost(const std::string& host) {
    if (host == "0.0.0.0" || host.empty()) return "127.0.0.1";
    if (host == "::") return "::1";
    return host;
}

/// The watchdog's question: does the HTTP server answer /healthz, and does the store respond?
std::optional<std::string> selfCheck(App& app, const std::string& host, std::uint16_t port) {
    try {
        Poco::Net::HTTPClientSession session(host, port);
        session.setTimeout(Poco::Timespan(5, 0));
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/healthz", Poco::Net::HTTPMessage::HTTP_1_1);
        session.sendRequest(request);
        Poco::Net::HTTPResponse response;
        session.receiveResponse(response).ignore(1 << 16);
        if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK)
            return "HTTP server answered /healthz with " + std::to_string(response.getStatus());
    } catch (const std::exception& e) {
        return std::string("HTTP server does not answer: ") + e.what();
    }
    try {
        app.store().ping();
    } catch (const std::exception& e) {
        return std::string("store does not respond: ") + e.what();
    }
    return std::nullopt;
}

void reloadConfig(App& app, Notifier& notifier, const std::string& path) {
    spdlog::info("SIGHUP received, re-reading {}", path.empty() ? "the environment" : path);
    notifier.reloading();
    try {
        app.reload(loadConfigFile(path));
    } catch (const ConfigError& e) {
        app.reloadRejected(e.what());
    }
    notifier.ready();
}

}  // namespace

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
    App app(std::move(config), clock);  // migrations run here
    Notifier& notifier = app.notifier();
    app.start();
    std::string host = app.config()->server.host;
    std::uint16_t port = app.port();
    notifier.setStatus("server", "serving on " + host + ":" + std::to_string(port));
    notifier.ready();
    std::cout << "rosterd is serving on http://" << host << ":" << port << std::endl;

    std::optional<WatchdogLoop> watchdog;
    if (auto interval = notifier.watchdogInterval()) {
        spdlog::info("watchdog enabled: keep-alive every {} ms", interval->count() / 2000);
        watchdog.emplace(notifier, *interval, [&app, h = selfHost(host), port] { return selfCheck(app, h, port); });
    }

    for (;;) {
        int sig = 0;
        if (sigwait(&signals, &sig) != 0) continue;
        if (sig == SIGHUP) {
            reloadConfig(app, notifier, ctx.configPath);
            continue;
        }
        spdlog::info("{} received, shutting down", sig == SIGTERM ? "SIGTERM" : "SIGINT");
        break;
    }
    notifier.stopping();
    watchdog.reset();
    app.stop();  // stops accepting, lets in-flight requests and workers finish
    spdlog::info("stopped");
    flushLogs();
    spdlog::shutdown();
    return kExitOk;
}

}  // namespace rosterd::daemon
