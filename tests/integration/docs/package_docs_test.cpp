// The package ships every document: `cmake --install` of the build puts each file of docs/ (the
// man page compressed into man8, the rest under share/doc/rosterd), so a site that installed
// rosterd has the same docs the README links to.
#include <catch2/catch.hpp>
#include <filesystem>

#include "support/process.h"

using namespace rosterd::test;
namespace fs = std::filesystem;

TEST_CASE("cmake --install ships every file of docs/") {
    fs::path build = fs::path(ROSTERD_BINARY).parent_path();
    fs::path prefix = fs::temp_directory_path() / ("rosterd-install-" + std::to_string(::getpid()));
    fs::remove_all(prefix);
    auto install = runCommand({"cmake", "--install", build.string(), "--prefix", prefix.string()});
    INFO(install.output);
    REQUIRE(install.exitCode == 0);
    for (const auto& entry : fs::directory_iterator(fs::path(ROSTERD_SOURCE_DIR) / "docs")) {
        if (!entry.is_regular_file()) continue;
        std::string name = entry.path().filename().string();
        fs::path installed =
            name == "rosterd.8" ? prefix / "share/man/man8/rosterd.8.gz" : prefix / "share/doc/rosterd" / name;
        INFO("docs/" << name << " should be installed as " << installed);
        CHECK(fs::exists(installed));
    }
    fs::remove_all(prefix);
}
