// The install tree and the Debian package, checked the way an operator meets them: file layout,
// systemd's own offline checks of the unit, sysusers/tmpfiles applied to a scratch root.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>

#include "support/process.h"

using namespace rosterd::test;
namespace fs = std::filesystem;

namespace {

/// The build tree the rosterd binary was built in (it sits at its top).
std::string buildDir() { return fs::path(ROSTERD_BINARY).parent_path().string(); }

unsigned modeOf(const fs::path& p) {
    struct stat st {};
    REQUIRE(stat(p.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

/// What every installed tree must hold, rooted at `root`.
void checkLayout(const fs::path& root) {
    INFO("root " << root);
    CHECK(fs::is_regular_file(root / "usr/bin/rosterd"));
    CHECK((modeOf(root / "usr/bin/rosterd") & 0111) == 0111);
    CHECK(fs::is_regular_file(root / "lib/systemd/system/rosterd.service"));
    CHECK(fs::is_regular_file(root / "usr/lib/sysusers.d/rosterd.conf"));
    CHECK(fs::is_regular_file(root / "usr/lib/tmpfiles.d/rosterd.conf"));
    CHECK(fs::is_regular_file(root / "etc/rosterd/rosterd.ini"));
    CHECK(modeOf(root / "etc/rosterd/rosterd.ini") == 0640);
    CHECK(fs::is_regular_file(root / "usr/share/man/man8/rosterd.8.gz"));
    CHECK(fs::is_regular_file(root / "usr/share/doc/rosterd/openapi.yaml"));

    std::string unit = readFile((root / "lib/systemd/system/rosterd.service").string());
    CHECK(unit.find("ExecStart=/usr/bin/rosterd --config /etc/rosterd/rosterd.ini serve") != std::string::npos);

    // The installed binary runs and accepts the installed example configuration.
    std::string bin = (root / "usr/bin/rosterd").string();
    auto version = runCommand({bin, "--version"});
    CHECK(version.exitCode == 0);
    CHECK(version.output.rfind("rosterd ", 0) == 0);
    auto check = runCommand(
        {"env", "-u", "DATABASE_URL", bin, "--config", (root / "etc/rosterd/rosterd.ini").string(), "check-config"});
    INFO(check.output);
    CHECK(check.exitCode == 0);

    // The man page renders without a single groff warning.
    auto man = runCommand(
        {"sh", "-c",
         "zcat '" + (root / "usr/share/man/man8/rosterd.8.gz").string() + "' | groff -man -Tutf8 -ww -z 2>&1"});
    CHECK(man.exitCode == 0);
    CHECK(man.output.empty());
    auto text = runCommand(
        {"sh", "-c", "zcat '" + (root / "usr/share/man/man8/rosterd.8.gz").string() + "' | groff -man -Tutf8 -P-cbou"});
    CHECK(text.output.find("SIGHUP") != std::string::npos);
    CHECK(text.output.find("check-config") != std::string::npos);
}

/// Makes `root` a place systemd-analyze can resolve the unit in: the host's own units (targets the
/// unit is ordered after) and the host's kill, as on any system the package lands on.
void addHostSystemd(const fs::path& root) {
    fs::create_directories(root / "usr/lib/systemd/system");
    for (const auto& e : fs::directory_iterator("/lib/systemd/system")) {
        fs::path target = root / "usr/lib/systemd/system" / e.path().filename();
        if (!fs::exists(fs::symlink_status(target))) fs::copy(e.path(), target, fs::copy_options::copy_symlinks);
    }
    fs::create_directories(root / "bin");
    fs::copy_file("/bin/kill", root / "bin/kill", fs::copy_options::overwrite_existing);
}

double exposure(const std::string& output) {
    std::smatch m;
    static const std::regex re("Overall exposure level for rosterd\\.service: ([0-9.]+)");
    REQUIRE(std::regex_search(output, m, re));
    return std::stod(m[1]);
}

}  // namespace

TEST_CASE("cmake --install lays out the tree; systemd verifies the unit and rates it 2.0 or better") {
    fs::path root = makeTempDir("rosterd-install");
    runChecked({"env", "DESTDIR=" + root.string(), "cmake", "--install", buildDir(), "--prefix", "/usr"});
    checkLayout(root);

    addHostSystemd(root);
    auto verify = runCommand({"systemd-analyze", "verify", "--man=no", "--root=" + root.string(), "rosterd.service"});
    INFO(verify.output);
    CHECK(verify.exitCode == 0);
    CHECK(verify.output.empty());

    auto security = runCommand({"systemd-analyze", "security", "--offline=true", "--no-pager",
                                (root / "lib/systemd/system/rosterd.service").string()});
    INFO(security.output);
    CHECK(security.exitCode == 0);
    CHECK(exposure(security.output) <= 2.0);
    // The source unit itself (what a site would copy by hand) rates the same.
    auto source = runCommand({"systemd-analyze", "security", "--offline=true", "--no-pager",
                              std::string(ROSTERD_SOURCE_DIR) + "/systemd/rosterd.service"});
    CHECK(exposure(source.output) <= 2.0);

    // sysusers.d and tmpfiles.d entries applied offline to the scratch root.
    runChecked({"systemd-sysusers", "--root=" + root.string(), (root / "usr/lib/sysusers.d/rosterd.conf").string()});
    std::string passwd = readFile((root / "etc/passwd").string());
    CHECK(passwd.find("rosterd:x:") != std::string::npos);
    CHECK(passwd.find(":/var/lib/rosterd:/usr/sbin/nologin") != std::string::npos);
    runChecked({"systemd-tmpfiles", "--create", "--root=" + root.string(),
                (root / "usr/lib/tmpfiles.d/rosterd.conf").string()});
    CHECK(fs::is_directory(root / "var/lib/rosterd"));
    CHECK(modeOf(root / "var/lib/rosterd") == 0750);
}

TEST_CASE("a unit that breaks the rules fails the same checks") {
    // Guards the test above: systemd-analyze must really be judging the file.
    fs::path dir = makeTempDir("rosterd-unit");
    std::string bad = readFile(std::string(ROSTERD_SOURCE_DIR) + "/systemd/rosterd.service");
    bad = std::regex_replace(bad, std::regex("\nCapabilityBoundingSet=\n"), "\n");
    bad = std::regex_replace(bad, std::regex("\nPrivateUsers=yes\n"), "\n");
    bad = std::regex_replace(bad, std::regex("\nSystemCallFilter=[^\n]*"), "");
    writeFile((dir / "rosterd.service").string(), bad);
    auto security =
        runCommand({"systemd-analyze", "security", "--offline=true", "--no-pager", (dir / "rosterd.service").string()});
    CHECK(exposure(security.output) > 2.0);
    writeFile((dir / "rosterd.service").string(), bad + "\n[Service]\nTypo=yes\n");
    auto verify = runCommand({"systemd-analyze", "verify", "--man=no", (dir / "rosterd.service").string()});
    CHECK(verify.output.find("Unknown key 'Typo' in section [Service]") != std::string::npos);
}

TEST_CASE("cpack builds a .deb with library depends and maintainer scripts; dpkg -x gives the same layout") {
    fs::path out = makeTempDir("rosterd-deb");
    runChecked({"cpack", "--config", buildDir() + "/CPackConfig.cmake", "-B", out.string()});
    fs::path deb;
    for (const auto& e : fs::directory_iterator(out))
        if (e.path().extension() == ".deb") deb = e.path();
    REQUIRE(!deb.empty());

    std::string depends = runChecked({"dpkg-deb", "-f", deb.string(), "Depends"});
    INFO(depends);
    for (const char* lib : {"libc6", "libpq5", "libsqlite3-0", "libsystemd0", "libpocofoundation", "libssl3"})
        CHECK(depends.find(lib) != std::string::npos);
    CHECK(runChecked({"dpkg-deb", "-f", deb.string(), "Package"}) == "rosterd\n");

    fs::path control = out / "control";
    runChecked({"dpkg-deb", "-e", deb.string(), control.string()});
    CHECK(readFile((control / "conffiles").string()) == "/etc/rosterd/rosterd.ini\n");
    for (const char* script : {"postinst", "prerm", "postrm"}) {
        INFO(script);
        REQUIRE(fs::exists(control / script));
        CHECK((modeOf(control / script) & 0111) == 0111);
        CHECK(runCommand({"sh", "-n", (control / script).string()}).exitCode == 0);
    }
    CHECK(readFile((control / "postinst").string()).find("systemd-sysusers rosterd.conf") != std::string::npos);

    fs::path root = out / "root";
    runChecked({"dpkg", "-x", deb.string(), root.string()});
    checkLayout(root);
    // Stripped: no debug sections in the packaged binary.
    CHECK(runChecked(
              {"sh", "-c", "readelf -S '" + (root / "usr/bin/rosterd").string() + "' | grep -c debug_info || true"}) ==
          "0\n");
}
