#include "service_daemon.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

namespace rosterd::test {

ServiceDaemon::ServiceDaemon(DaemonOptions options) : options_(std::move(options)) {
    dir_ = makeTempDir("rosterd-svc");
    configPath_ = dir_ + "/rosterd.ini";
    logPath_ = dir_ + "/rosterd.log";
    databaseUrl_ = options_.databaseUrl.empty() ? "sqlite://" + dir_ + "/rosterd.db" : options_.databaseUrl;
    port_ = freePort();
    notify_ = std::make_unique<NotifyListener>(dir_ + "/notify.sock");
    writeConfig(configText(options_.logLevel, options_.extraConfig));
    writeFile(logPath_, "");
}

void ServiceDaemon::start() {
    // DATABASE_URL would override the file; an empty value is ignored by rosterd.
    std::vector<std::string> env = {"DATABASE_URL="};
    if (options_.notify) env.push_back("NOTIFY_SOCKET=" + notify_->path());
    if (!options_.watchdogUsec.empty()) env.push_back("WATCHDOG_USEC=" + options_.watchdogUsec);
    env.insert(env.end(), options_.extraEnv.begin(), options_.extraEnv.end());
    process_ = ChildProcess({ROSTERD_BINARY, "--config", configPath_, "serve"}, env, logPath_);
}

std::string ServiceDaemon::startReady() {
    start();
    return notify_->waitFor("READY=1");
}

std::string ServiceDaemon::configText(const std::string& logLevel, const std::string& extra) const {
    return "[server]\nlisten = 127.0.0.1:" + std::to_string(port_) +
           "\nshutdown_timeout = " + options_.shutdownTimeout + "\n[log]\nlevel = " + logLevel +
           "\n[database]\nurl = " + databaseUrl_ + "\n[auth]\njwt_secret_file = " + dir_ +
           "/jwt_secret\nbcrypt_cost = 4\n" + extra;
}

void ServiceDaemon::writeConfig(const std::string& text) const { writeFile(configPath_, text); }

std::string ServiceDaemon::log() const { return readFile(logPath_); }

bool ServiceDaemon::waitForLog(const std::string& text, int timeoutMs) const {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (std::chrono::steady_clock::now() < deadline) {
        if (log().find(text) != std::string::npos) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

std::string signupAda(const HttpClient& c) {
    auto r =
        c.post("/api/v1/auths/signup", {{"name", "Ada"}, {"email", "ada@example.com"}, {"password", "correct horse"}});
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.json()["token"];
}

}  // namespace rosterd::test
