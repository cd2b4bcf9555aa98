// The rosterd binary as an operator meets it: commands, exit codes and one-line errors.
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "support/http_client.h"
#include "support/postgres_server.h"
#include "support/process.h"
#include "support/project_version.h"
#include "support/test_database.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {
struct Run {
    int code;
    std::string out;
};

Run rosterdCmd(std::vector<std::string> args, const std::string& databaseUrl = "") {
    std::vector<std::string> argv = {"env", "-u", "DATABASE_URL"};
    if (!databaseUrl.empty()) argv.push_back("DATABASE_URL=" + databaseUrl);
    argv.push_back(ROSTERD_BINARY);
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = runCommand(argv);
    return {r.exitCode, r.output};
}

std::string writeConfig(const std::string& dir, const std::string& body) {
    static int n = 0;
    std::string path = dir + "/rosterd-" + std::to_string(++n) + ".ini";
    writeFile(path, body);
    return path;
}

bool waitForHttp(int port, const std::string& path, int status, int timeoutMs = 20000) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (std::chrono::steady_clock::now() < deadline) {
        try {
            if (HttpClient(port).get(path).status == status) return true;
        } catch (const std::exception&) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}
}  // namespace

TEST_CASE("--version and --help") {
    auto v = rosterdCmd({"--version"});
    CHECK(v.code == 0);
    CHECK(v.out.rfind("rosterd ", 0) == 0);
    // The version is the one project(VERSION ...) in CMakeLists.txt declares.
    REQUIRE_FALSE(projectVersion().empty());
    CHECK(v.out == "rosterd " + projectVersion() + "\n");
    auto h = rosterdCmd({"--help"});
    CHECK(h.code == 0);
    CHECK(h.out.find("check-config") != std::string::npos);
    CHECK(h.out.find("migrate") != std::string::npos);
    auto bad = rosterdCmd({"frobnicate"});
    CHECK(bad.code == 64);
    CHECK(bad.out.find("unknown command") != std::string::npos);
}

TEST_CASE("check-config accepts a valid file and names the key of an invalid one (exit 78)") {
    std::string dir = makeTempDir("rosterd-cli");
    std::string db = "sqlite://" + dir + "/r.db";
    std::string good = writeConfig(
        dir, "[server]\nlisten = 127.0.0.1:0\n[database]\nurl = " + db + "\n[auth]\njwt_secret_file = " + dir + "/s\n");
    auto ok = rosterdCmd({"check-config", "--config", good});
    CHECK(ok.code == 0);
    CHECK(ok.out.find("valid") != std::string::npos);
    CHECK(rosterdCmd({"--config", good, "check-config"}).code == 0);  // --config before the command too

    std::string unknown = writeConfig(dir, "[server]\nlisten = 127.0.0.1:0\nlisen = 1\n");
    auto u = rosterdCmd({"check-config", "--config", unknown});
    CHECK(u.code == 78);
    CHECK(u.out.find("server.lisen") != std::string::npos);
    CHECK(u.out.find("unknown key") != std::string::npos);
    CHECK(std::count(u.out.begin(), u.out.end(), '\n') == 1);  // one line

    std::string badPort = writeConfig(dir, "[server]\nlisten = 127.0.0.1:99999\n");
    auto p = rosterdCmd({"check-config", "--config", badPort});
    CHECK(p.code == 78);
    CHECK(p.out.find("server.listen") != std::string::npos);

    auto url = rosterdCmd({"check-config"}, "mysql://nope");
    CHECK(url.code == 78);
    CHECK(url.out.find("database.url") != std::string::npos);

    auto env = runCommand({"env", "ROSTERD_AUTH_BCRYPT_COST=99", ROSTERD_BINARY, "check-config", "--config", good});
    INFO(env.output);
    CHECK(env.exitCode == 78);
    CHECK(env.output.find("auth.bcrypt_cost") != std::string::npos);
    CHECK(rosterdCmd({"check-config", "--config", dir + "/missing.ini"}).code == 78);
}

TEST_CASE("migrate applies pending migrations once; a second run applies nothing") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    std::string url = freshDatabaseUrl(driver);
    auto first = rosterdCmd({"migrate"}, url);
    CHECK(first.code == 0);
    CHECK(first.out.find("applied 0001_core") != std::string::npos);
    auto second = rosterdCmd({"migrate"}, url);
    CHECK(second.code == 0);
    CHECK(second.out.find("nothing applied") != std::string::npos);
}

TEST_CASE("start-up failures are one-line errors with a non-zero exit") {
    std::string dir = makeTempDir("rosterd-cli");
    SECTION("unwritable SQLite path") {
        auto r = rosterdCmd({"migrate"}, "sqlite:///proc/rosterd/none.db");
        CHECK(r.code != 0);
        CHECK(r.out.find("/proc/rosterd") != std::string::npos);
        CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);
    }
    SECTION("unreachable PostgreSQL") {
        auto r = rosterdCmd({"migrate"},
                            "postgresql://postgres@127.0.0.1:" + std::to_string(freePort()) + "/x?connect_timeout=3");
        CHECK(r.code == 69);
        CHECK(r.out.find("cannot connect to PostgreSQL") != std::string::npos);
    }
    SECTION("port in use") {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        REQUIRE(listen(fd, 1) == 0);
        socklen_t len = sizeof addr;
        getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
        int port = ntohs(addr.sin_port);
        auto r = runCommand({"env", "DATABASE_URL=sqlite://" + dir + "/r.db",
                             "ROSTERD_SERVER_LISTEN=127.0.0.1:" + std::to_string(port),
                             "ROSTERD_AUTH_JWT_SECRET_FILE=" + dir + "/s", ROSTERD_BINARY, "serve"});
        close(fd);
        CHECK(r.exitCode != 0);
        CHECK(r.output.find("cannot listen on 127.0.0.1:" + std::to_string(port)) != std::string::npos);
    }
}

TEST_CASE("serve answers health checks and stops cleanly on SIGTERM") {
    std::string dir = makeTempDir("rosterd-cli");
    int port = freePort();
    ChildProcess p({ROSTERD_BINARY, "serve"},
                   {"DATABASE_URL=sqlite://" + dir + "/r.db", "ROSTERD_SERVER_LISTEN=127.0.0.1:" + std::to_string(port),
                    "ROSTERD_AUTH_JWT_SECRET_FILE=" + dir + "/s"},
                   dir + "/log");
    REQUIRE(waitForHttp(port, "/healthz", 200));
    HttpClient c(port);
    CHECK(c.get("/readyz").status == 200);
    auto missing = c.get("/nope");
    CHECK(missing.status == 404);
    CHECK(missing.json()["detail"].get<std::string>().find("/nope") != std::string::npos);
    CHECK(c.request("PUT", "/healthz").status == 405);
    p.signal(SIGTERM);
    CHECK(p.wait(15000) == 0);
}
