// scripts/run, the demo: a sample slapd, rosterd on SQLite and a first sync; the commands it
// prints work, and stopping it leaves no process and no file behind.
#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <regex>
#include <thread>

#include "support/process.h"

using namespace rosterd::test;

namespace {

struct Demo {
    explicit Demo(const std::vector<std::string>& flags) {
        // TMPDIR points the demo's work folder into ours, so leftovers are easy to see.
        dir = makeTempDir("rosterd-demo-test");
        log = dir + "/out.log";
        std::vector<std::string> argv = {std::string(ROSTERD_SOURCE_DIR) + "/scripts/run", "--no-install",
                                         "--no-build"};
        argv.insert(argv.end(), flags.begin(), flags.end());
        process =
            ChildProcess(argv,
                         {std::string("ROSTERD=") + ROSTERD_BINARY, "LISTEN=127.0.0.1:" + std::to_string(freePort()),
                          "LDAP_PORT=" + std::to_string(freePort()), "TMPDIR=" + dir},
                         log);
    }
    ~Demo() {
        process.stop();
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
    std::string output() const { return readFile(log); }
    /// The pid printed after `label` ("slapd pid 123").
    pid_t pidOf(const std::string& label) const {
        std::smatch m;
        std::string out = output();
        if (!std::regex_search(out, m, std::regex(label + " pid ([0-9]+)"))) return -1;
        return static_cast<pid_t>(std::stol(m[1]));
    }
    /// What is left in our folder besides the output file.
    std::vector<std::string> leftovers() const {
        std::vector<std::string> names;
        for (const auto& e : std::filesystem::directory_iterator(dir))
            if (e.path().filename() != "out.log") names.push_back(e.path().filename().string());
        return names;
    }
    std::string dir;
    std::string log;
    ChildProcess process;
};

bool alive(pid_t pid) { return pid > 0 && ::kill(pid, 0) == 0; }

}  // namespace

TEST_CASE("scripts/run --check: the first sync brings the sample directory; login and listing work") {
    Demo demo({"--check"});
    int code = demo.process.wait(60000);
    std::string out = demo.output();
    INFO(out);
    CHECK(code == 0);
    CHECK(out.find("== first sync") != std::string::npos);
    CHECK(out.find("users_created: 36") != std::string::npos);
    CHECK(out.find("groups_created: 7") != std::string::npos);
    CHECK(out.find("sync succeeded") != std::string::npos);
    CHECK(out.find("rosterd holds 37 users and syncs every 5 minutes") != std::string::npos);
    CHECK(out.find("curl -s -X POST http://127.0.0.1:") != std::string::npos);
    CHECK(out.find("ldap login of grace.hopper: ok") != std::string::npos);
    CHECK(out.find("user listing: ok") != std::string::npos);
    CHECK(out.find("stopped rosterd and slapd; removed") != std::string::npos);
    CHECK_FALSE(alive(demo.pidOf("slapd")));
    CHECK_FALSE(alive(demo.pidOf("rosterd")));
    CHECK(demo.leftovers().empty());
}

TEST_CASE("scripts/run: stopping it while it serves stops slapd and rosterd and removes its files") {
    Demo demo({});
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (demo.output().find("Ctrl-C stops rosterd and slapd.") == std::string::npos &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    INFO(demo.output());
    REQUIRE(demo.output().find("Ctrl-C stops rosterd and slapd.") != std::string::npos);
    pid_t slapd = demo.pidOf("slapd");
    pid_t rosterd = demo.pidOf("rosterd");
    REQUIRE(alive(slapd));
    REQUIRE(alive(rosterd));
    CHECK(demo.leftovers().size() == 1);  // the demo's work folder
    // SIGTERM takes the same path as Ctrl-C (SIGINT may be ignored when tests run in the background).
    demo.process.signal(SIGTERM);
    CHECK(demo.process.wait(30000) == 143);
    INFO(demo.output());
    CHECK(demo.output().find("stopped rosterd and slapd; removed") != std::string::npos);
    CHECK_FALSE(alive(slapd));
    CHECK_FALSE(alive(rosterd));
    CHECK(demo.leftovers().empty());
}
