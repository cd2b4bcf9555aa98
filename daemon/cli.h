#pragma once
// The command line: `rosterd [--config FILE] [COMMAND] [ARGS]`, --config allowed anywhere.
#include <string>
#include <vector>

#include "daemon/config.h"

namespace rosterd::daemon {

/// Exit codes (sysexits.h where one fits).
enum ExitCode : int {
    kExitOk = 0,
    kExitFailure = 1,
    kExitPartial = 2,  ///< the command ran but some items failed (e.g. import rows)
    kExitUsage = 64,
    kExitDataError = 65,  ///< a value given was refused (a weak password, a role that goes the wrong way)
    kExitNoUser = 67,     ///< no user has the id, email or directory username given
    kExitUnavailable = 69,
    kExitCantCreate = 73,      ///< the SQLite database file cannot be created, opened or written
    kExitNeedsMigration = 75,  ///< `sync --dry-run`: the store needs migrating first (nothing was changed)
    kExitRefused = 77,         ///< the account rules refuse the change (primary admin, last admin, directory)
    kExitConfig = 78,
};

struct CliContext {
    std::string configPath;         ///< from --config, or the default
    std::vector<std::string> args;  ///< what follows the command name, --config removed
    /// Loads the configuration (throws ConfigError).
    Config loadConfig() const { return loadConfigFile(configPath); }
};

struct Command {
    std::string name;     ///< e.g. "serve" or "users import"
    std::string usage;    ///< argument synopsis
    std::string summary;  ///< one line for --help
    int (*run)(CliContext&);
};

/// Every command; each lives in its own cli_*.cpp.
const std::vector<Command>& commands();
/// Parses argv and runs the command; returns the process exit code.
int runCli(int argc, char** argv);
/// Splits on spaces.
std::vector<std::string> splitWords(const std::string& s);
/// Sets up spdlog on stderr at `level`.
void setupLogging(const std::string& level);

int runServe(CliContext&);
int runMigrate(CliContext&);
int runCheckConfig(CliContext&);
int runSync(CliContext&);
int runUsersImport(CliContext&);
int runUsersExport(CliContext&);
int runUsersCreateAdmin(CliContext&);
int runUsersList(CliContext&);
int runUsersPromote(CliContext&);
int runUsersDemote(CliContext&);
int runUsersSetPassword(CliContext&);
int runUsersDeactivate(CliContext&);
int runUsersReactivate(CliContext&);
int runUsersRevokeSessions(CliContext&);
int runLdapLookup(CliContext&);
int runKeysRotate(CliContext&);

}  // namespace rosterd::daemon
