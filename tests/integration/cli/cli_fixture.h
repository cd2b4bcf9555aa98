#pragma once
// Running the rosterd binary the way an admin does, for the command-line tests.
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

}  // namespace rosterd::test
