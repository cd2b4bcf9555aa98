#include <pwd.h>
#include <unistd.h>

#include <iostream>

#include "daemon/cli.h"
#include "daemon/connection_check.h"
#include "daemon/directory_policy_check.h"
#include "daemon/secret_files.h"

namespace rosterd::daemon {
namespace {

/// Whose view to check: --user NAME, else the packaged service user when root runs it, else ourselves.
Account readerFor(const std::vector<std::string>& args) {
    for (std::size_t i = 0; i + 1 < args.size(); ++i)
        if (args[i] == "--user") return accountNamed(args[i + 1]);
    if (::geteuid() == 0 && getpwnam("rosterd")) return accountNamed("rosterd");
    return currentAccount();
}

/// Prints each directory step; 0 when all pass, 69 when no server answered, else 78.
int reportConnection(const Config& config) {
    std::cout << "directory:\n" << std::flush;
    int code = kExitOk;
    for (const auto& step : checkDirectoryConnection(config.ldap)) {
        std::ostream& out = step.ok ? std::cout : std::cerr;
        out << "  " << (step.ok ? "ok  " : "FAIL") << " " << step.name << ": " << step.detail << std::endl;
        if (!step.ok && code == kExitOk) code = step.unreachable ? kExitUnavailable : kExitConfig;
    }
    return code;
}

}  // namespace

int runCheckConfig(CliContext& ctx) {
    bool connect = false;
    for (std::size_t i = 0; i < ctx.args.size(); ++i) {
        if (ctx.args[i] == "--user" && i + 1 < ctx.args.size()) {
            ++i;
            continue;
        }
        if (ctx.args[i] == "--connect") {
            connect = true;
            continue;
        }
        std::cerr << "rosterd check-config: unexpected argument '" << ctx.args[i] << "'\n";
        return kExitUsage;
    }
    Config config = ctx.loadConfig();
    Account reader = readerFor(ctx.args);
    auto files = checkConfigFiles(config, reader);
    std::size_t problems = 0;
    for (const auto& f : files) problems += f.problems.size();
    std::ostream& out = problems ? std::cerr : std::cout;
    if (problems == 0)
        out << "configuration is valid"
            << (config.sourcePath.empty() ? " (defaults and environment only)" : " (" + config.sourcePath + ")")
            << "\n";
    for (const auto& w : policyGroupWarnings(config)) std::cout << "warning: " << w << "\n";
    for (const auto& w : memberOfWarnings(config)) std::cout << "warning: " << w << "\n";
    if (!files.empty()) {
        out << "files, as " << reader.name << " reads them"
            << (reader.uid == 0 ? " (pass --user NAME to check them as the service user)" : "") << ":\n";
        for (const auto& f : files) {
            out << "  " << (f.problems.empty() ? "ok     " : "PROBLEM") << " " << f.key << " " << f.path << " "
                << f.ownership << "\n";
            for (const auto& p : f.problems) out << "          " << p << "\n";
        }
    }
    if (problems) {
        std::cerr << "rosterd: configuration error: " << problems << " file problem(s) above\n";
        return kExitConfig;
    }
    return connect ? reportConnection(config) : kExitOk;
}

}  // namespace rosterd::daemon
