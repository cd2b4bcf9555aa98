#pragma once
// Running the rosterd binary the way an admin does, for the command-line tests.
#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <vector>

#include "support/process.h"

namespace rosterd::test {

/// `rosterd --config INI ARGS...`, with DATABASE_URL unset so that the INI names the store.
inline CommandResult rosterdWithConfig(const std::string& ini, const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"env", "-u", "DATABASE_URL", ROSTERD_BINARY, "--config", ini};
    argv.insert(argv.end(), args.begin(), args.end());
    return runCommand(argv);
}

/// The binary, copied once into a world-readable folder: the build tree may sit under a folder
/// only root may enter (a clone inside `mktemp -d`), and tests run it as `nobody`.
inline const std::string& rosterdBinaryAnyUserRuns() {
    static const std::string path = [] {
        std::string top = makeTempDir("rosterd-bin");
        ::chmod(top.c_str(), 0755);
        std::string copy = top + "/rosterd";
        std::filesystem::copy_file(ROSTERD_BINARY, copy);
        ::chmod(copy.c_str(), 0755);
        return copy;
    }();
    return path;
}

}  // namespace rosterd::test
