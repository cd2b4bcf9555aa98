#include "daemon/cli.h"

#include <iostream>

#include "common/errors.h"
#include "daemon/logging.h"
#include "daemon/store_file_diagnosis.h"
#include "db/database_url.h"
#include "db/storage_file_error.h"
#include "rosterd_version.h"

namespace rosterd::daemon {

const std::vector<Command>& commands() {
    static const std::vector<Command> all = {
        {"serve", "", "run the daemon (the default)", runServe},
        {"migrate", "", "apply pending database migrations and exit", runMigrate},
        {"check-config", "[--user NAME] [--connect]",
         "validate the configuration and its files' owners/modes (--connect: bind, read the bases, count users and "
         "groups); "
         "exit 0, or 78 naming the key or file",
         runCheckConfig},
        {"sync", "[--dry-run] [--force] [--full] [--json]",
         "reconcile users and groups with the directory once and exit (--dry-run: show the whole plan, change "
         "nothing; exit 75 when the store needs migrating)",
         runSync},
        {"users import", "FILE.csv | --template", "create users from CSV; exit 2 when some rows failed",
         runUsersImport},
        {"users export", "[--output FILE]", "write every user as CSV (stdout by default)", runUsersExport},
        {"users create-admin", "--email E --name N [--password-file F]",
         "create the primary admin while none exists (password on stdin unless --password-file)", runUsersCreateAdmin},
        {"keys rotate", "[--key-file FILE]",
         "make a new JWT key the current one, keeping the old one as previous so no one is logged out; apply with "
         "`systemctl reload rosterd`",
         runKeysRotate},
        {"users list", "[--json] [--role R] [--source local|ldap] [--inactive]",
         "list users, all by default (--inactive: only the deactivated ones)", runUsersList},
        {"users promote", "USER [--role R]",
         "raise a user's role (to admin unless --role); USER: email, id or username", runUsersPromote},
        {"users demote", "USER [--role R]", "lower a user's role (to user unless --role)", runUsersDemote},
        {"users set-password", "USER [--password-file F]",
         "set a local account's password (stdin unless --password-file) and revoke its sessions", runUsersSetPassword},
        {"users deactivate", "USER", "deactivate a local account and revoke its sessions", runUsersDeactivate},
        {"users reactivate", "USER", "reactivate a deactivated local account", runUsersReactivate},
        {"users revoke-sessions", "USER", "end every session of the user (API keys stay)", runUsersRevokeSessions},
        {"ldap lookup", "NAME [--json]",
         "show what rosterd sees for one directory user: DN, fields, groups, role, why they cannot sign in (exit 1)",
         runLdapLookup},
    };
    return all;
}

void setupLogging(const std::string& level) { configureLogging(level); }

namespace {

/// Library messages may span lines (libpq adds a tab-indented hint); an operator gets one line.
std::string oneLine(const std::string& message) {
    std::string out;
    for (char c : message) {
        if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
            if (!out.empty() && out.back() != ' ') out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
    if (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

void printHelp() {
    std::cout << "rosterd " ROSTERD_VERSION
                 " - keeps users and groups reconciled with an LDAP directory\n\n"
                 "usage: rosterd [--config FILE] [COMMAND] [ARGS]\n\n"
                 "commands:\n";
    for (const auto& c : commands()) {
        std::string head = c.name + (c.usage.empty() ? "" : " " + c.usage);
        std::cout << "  " << head << std::string(head.size() < 28 ? 28 - head.size() : 1, ' ') << c.summary << "\n";
    }
    std::cout << "\noptions:\n"
                 "  --config FILE               INI file (default /etc/rosterd/rosterd.ini if present)\n"
                 "  --help                      this text\n"
                 "  --version                   print the version\n\n"
                 "Every key can be overridden as ROSTERD_<SECTION>_<KEY>; DATABASE_URL sets [database] url.\n";
}

}  // namespace

int runCli(int argc, char** argv) {
    CliContext ctx;
    std::vector<std::string> words;
    bool configGiven = false;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--config" || a == "-c") {
            if (i + 1 >= argc) {
                std::cerr << "rosterd: --config needs a file name\n";
                return kExitUsage;
            }
            ctx.configPath = argv[++i];
            configGiven = true;
        } else if (a.rfind("--config=", 0) == 0) {
            ctx.configPath = a.substr(9);
            configGiven = true;
        } else if (a == "--version" || a == "-V") {
            std::cout << "rosterd " ROSTERD_VERSION "\n";
            return kExitOk;
        } else if (a == "--help" || a == "-h") {
            printHelp();
            return kExitOk;
        } else {
            words.push_back(a);
        }
    }
    if (!configGiven) ctx.configPath = defaultConfigPath();

    // The longest command name that prefixes the words wins ("users import" before "users").
    const Command* chosen = nullptr;
    std::size_t used = 0;
    for (const auto& c : commands()) {
        auto parts = splitWords(c.name);
        if (parts.size() > words.size() || parts.size() <= used) continue;
        if (std::equal(parts.begin(), parts.end(), words.begin())) {
            chosen = &c;
            used = parts.size();
        }
    }
    if (!chosen && words.empty()) chosen = &commands().front();
    if (!chosen) {
        std::cerr << "rosterd: unknown command '" << words.front() << "' (see rosterd --help)\n";
        return kExitUsage;
    }
    ctx.args.assign(words.begin() + static_cast<long>(used), words.end());
    try {
        return chosen->run(ctx);
    } catch (const ConfigError& e) {
        std::cerr << "rosterd: configuration error: " << oneLine(e.what()) << "\n";
        return kExitConfig;
    } catch (const StorageFileError& e) {
        std::string configured;
        try {
            db::DatabaseUrl url = db::parseDatabaseUrl(ctx.loadConfig().database.url);
            if (url.driver == db::Driver::Sqlite) configured = url.target;
        } catch (const std::exception&) {
        }
        std::cerr << "rosterd: " << oneLine(explainStorageFileError(e, configured)) << "\n";
        return kExitCantCreate;
    } catch (const ConnectionError& e) {
        std::cerr << "rosterd: " << oneLine(e.what()) << "\n";
        return kExitUnavailable;
    } catch (const std::exception& e) {
        std::cerr << "rosterd: " << oneLine(e.what()) << "\n";
        return kExitFailure;
    }
}

std::vector<std::string> splitWords(const std::string& s) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s + " ") {
        if (c == ' ') {
            if (!cur.empty()) out.push_back(cur);
            cur.clear();
        } else {
            cur.push_back(c);
        }
    }
    return out;
}

}  // namespace rosterd::daemon
