// Exit codes and messages an operator meets when files belong to the wrong user: each names the
// file, the OS reason and the fix, and the exit code is the one the man page gives.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>

#include "cli_fixture.h"

using namespace rosterd::test;

namespace {

/// A folder owned by `nobody` that `nobody` can reach (the temp folder above it is opened up).
std::string nobodysFolder() {
    std::string top = makeTempDir("rosterd-exit");
    ::chmod(top.c_str(), 0755);
    std::string dir = top + "/state";
    REQUIRE(::mkdir(dir.c_str(), 0750) == 0);
    REQUIRE(::chown(dir.c_str(), kNobody, kNobody) == 0);
    return dir;
}

CommandResult rosterdAs(const std::string& user, const std::string& databaseUrl, std::vector<std::string> args) {
    std::vector<std::string> argv = {"env", "-u", "DATABASE_URL", "DATABASE_URL=" + databaseUrl,
                                     rosterdBinaryAnyUserRuns()};
    argv.insert(argv.end(), args.begin(), args.end());
    return runCommand(argv, user);
}

unsigned ownerOf(const std::string& path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_uid;
}

}  // namespace

TEST_CASE("migrate run as root leaves the SQLite file to the owner of its folder, so the service user can write it") {
    REQUIRE(::geteuid() == 0);
    std::string dir = nobodysFolder();
    std::string url = "sqlite://" + dir + "/rosterd.db";
    auto asRoot = rosterdAs("", url, {"migrate"});
    INFO(asRoot.output);
    REQUIRE(asRoot.exitCode == 0);
    CHECK(asRoot.output.find("gave " + dir + "/rosterd.db") != std::string::npos);
    CHECK(asRoot.output.find("nobody:nogroup, the owner of its folder") != std::string::npos);
    CHECK(ownerOf(dir + "/rosterd.db") == kNobody);
    // The service user then writes to it (an admin row is a write).
    std::string password = dir + "/password";
    writeFile(password, "correct horse battery\n");
    ::chmod(password.c_str(), 0644);
    auto asService = rosterdAs(
        "nobody", url,
        {"users", "create-admin", "--email", "ada@example.com", "--name", "Ada", "--password-file", password});
    INFO(asService.output);
    CHECK(asService.exitCode == 0);
}

TEST_CASE("a SQLite file the service user cannot write: exit 73 naming the file, its owner and the fix") {
    std::string dir = nobodysFolder();
    std::string db = dir + "/rosterd.db";
    writeFile(db, "");  // root's empty file, mode 0644: what `sudo rosterd migrate` used to leave
    ::chmod(db.c_str(), 0644);
    auto r = rosterdAs("nobody", "sqlite://" + db, {"migrate"});
    INFO(r.output);
    CHECK(r.exitCode == 73);
    CHECK(r.output.find("'" + db + "'") != std::string::npos);
    CHECK(r.output.find("readonly") != std::string::npos);
    CHECK(r.output.find("runs as nobody") != std::string::npos);
    CHECK(r.output.find("root:root (mode 0644)") != std::string::npos);
    CHECK(r.output.find("fix: sudo chown nobody: '" + db + "'") != std::string::npos);
    CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);

    // A folder it cannot create files in: the same code, naming the folder.
    std::string top = makeTempDir("rosterd-exit");
    ::chmod(top.c_str(), 0755);
    auto noDir = rosterdAs("nobody", "sqlite://" + top + "/rosterd.db", {"migrate"});
    INFO(noDir.output);
    CHECK(noDir.exitCode == 73);
    CHECK(noDir.output.find(top + "/rosterd.db") != std::string::npos);
    CHECK(noDir.output.find("fix: sudo chown nobody: '" + top + "'") != std::string::npos);
}

TEST_CASE("a config file the service user cannot read: exit 78 with the OS reason and the fix") {
    std::string top = makeTempDir("rosterd-exit");
    ::chmod(top.c_str(), 0755);
    std::string ini = top + "/rosterd.ini";
    writeFile(ini, "[server]\nlisten = 127.0.0.1:0\n");
    ::chmod(ini.c_str(), 0640);  // root:root 0640, as `cmake --install` leaves it
    auto r = runCommand({rosterdBinaryAnyUserRuns(), "--config", ini, "check-config"}, "nobody");
    INFO(r.output);
    CHECK(r.exitCode == 78);
    CHECK(r.output.find("'" + ini + "'") != std::string::npos);
    CHECK(r.output.find("Permission denied") != std::string::npos);
    CHECK(r.output.find("runs as nobody") != std::string::npos);
    CHECK(r.output.find("chgrp nogroup '" + ini + "'") != std::string::npos);

    auto missing = runCommand({ROSTERD_BINARY, "--config", top + "/nope.ini", "check-config"});
    CHECK(missing.exitCode == 78);
    CHECK(missing.output.find("No such file or directory") != std::string::npos);
    CHECK(missing.output.find("rosterd.ini.example") != std::string::npos);
}
