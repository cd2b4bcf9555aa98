// `rosterd serve` under a service manager when it cannot start: one line saying why, a non-zero
// exit systemd's Restart=on-failure acts on, and never READY=1.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>

#include "service_daemon.h"
#include "support/postgres_server.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

struct Failed {
    int code;
    std::string output;
};

/// Starts the daemon, waits for it to exit, and checks it never reported readiness.
Failed runToFailure(ServiceDaemon& d) {
    d.start();
    int code = d.process().wait(30000);
    d.notify().skipPending();
    for (const auto& m : d.notify().received()) CHECK_FALSE(hasLine(m, "READY=1"));
    return {code, d.log()};
}

std::size_t lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

}  // namespace

TEST_CASE("serve refuses to start with one line and a non-zero exit, and never sends READY=1") {
    SECTION("an unknown key: exit 78 naming it") {
        DaemonOptions o;
        o.extraConfig = "[server]\nthreds = 4\n";
        ServiceDaemon d(o);
        auto f = runToFailure(d);
        CHECK(f.code == 78);
        CHECK(f.output == "rosterd: configuration error: server.threds: unknown key\n");
    }
    SECTION("a malformed DATABASE_URL: exit 78 naming database.url") {
        ServiceDaemon d;
        d.addEnv("DATABASE_URL=postgres:/nohost");
        auto f = runToFailure(d);
        INFO(f.output);
        CHECK(f.code == 78);
        CHECK(f.output.find("database.url") != std::string::npos);
        CHECK(lines(f.output) == 1);
    }
    SECTION("an SQLite path that cannot be written") {
        DaemonOptions o;
        o.databaseUrl = "sqlite:///proc/rosterd/rosterd.db";
        ServiceDaemon d(o);
        auto f = runToFailure(d);
        INFO(f.output);
        CHECK(f.code != 0);
        CHECK(f.output.find("/proc/rosterd") != std::string::npos);
        CHECK(lines(f.output) == 1);
    }
    SECTION("PostgreSQL that went away: exit 69") {
        auto& pg = PostgresServer::instance();
        DaemonOptions o;
        o.databaseUrl = pg.freshDatabaseUrl() + "?connect_timeout=3";
        ServiceDaemon d(o);
        pg.stop();
        auto f = runToFailure(d);
        pg.start();
        INFO(f.output);
        CHECK(f.code == 69);
        CHECK(f.output.find("cannot connect to PostgreSQL") != std::string::npos);
        CHECK(f.output.find("port " + std::to_string(pg.port()) +
                            " failed: Connection refused Is the server running") != std::string::npos);
        CHECK(lines(f.output) == 1);
    }
    SECTION("the port is taken") {
        ServiceDaemon d;
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = htons(static_cast<std::uint16_t>(d.port()));
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        REQUIRE(listen(fd, 1) == 0);
        auto f = runToFailure(d);
        close(fd);
        INFO(f.output);
        CHECK(f.code != 0);
        // Migrations ran (logged), then the one error line.
        CHECK(f.output.find("rosterd: cannot listen on 127.0.0.1:" + std::to_string(d.port())) != std::string::npos);
    }
}

TEST_CASE("migrate with --config after the command; a second run applies nothing") {
    ServiceDaemon d;  // for its config file and database
    std::string config = d.dir() + "/rosterd.ini";
    auto first = runCommand({"env", "DATABASE_URL=", ROSTERD_BINARY, "migrate", "--config", config});
    INFO(first.output);
    CHECK(first.exitCode == 0);
    CHECK(first.output.find("applied 0001_core") != std::string::npos);
    auto second = runCommand({"env", "DATABASE_URL=", ROSTERD_BINARY, "--config", config, "migrate"});
    CHECK(second.exitCode == 0);
    CHECK(second.output == "database is up to date; nothing applied\n");
    // The daemon on the migrated database applies nothing either and comes up.
    d.startReady();
    CHECK(d.log().find("applied migration") == std::string::npos);
}
