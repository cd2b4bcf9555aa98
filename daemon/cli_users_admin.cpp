// `rosterd users list|promote|demote|set-password|deactivate|reactivate|revoke-sessions`: user
// administration from the server's console, through the same account rules as the API (the
// primary admin and last-admin protections, the directory's ownership) and with the same events.
#include <iostream>
#include <optional>

#include "accounts/events.h"
#include "accounts/user_lookup.h"
#include "accounts/validation.h"
#include "common/errors.h"
#include "daemon/cli.h"
#include "daemon/console_accounts.h"
#include "daemon/password_input.h"
#include "daemon/sqlite_ownership.h"

namespace rosterd::daemon {
namespace {

// Pending < user < admin: which way a role change goes.
int rank(accounts::Role r) {
    switch (r) {
        case accounts::Role::Pending:
            return 0;
        case accounts::Role::User:
            return 1;
        case accounts::Role::Admin:
            return 2;
    }
    return 0;
}

/// Runs `body` with the console's account services, mapping the account rules' refusals to the
/// documented exit codes, each with a one-line message on stderr.
template <typename Fn>
int withAccounts(CliContext& ctx, Fn&& body) {
    Config config = ctx.loadConfig();
    setupLogging("warn");
    SqliteOwnership ownership(config.database);  // run as root: the files stay the service user's
    int code = kExitOk;
    try {
        ConsoleAccounts console(config);
        code = body(console);
    } catch (const NotFound& e) {
        std::cerr << "rosterd: " << e.what() << "\n";
        code = kExitNoUser;
    } catch (const PermissionDenied& e) {
        std::cerr << "rosterd: refused: " << e.what() << "\n";
        code = kExitRefused;
    } catch (const Conflict& e) {
        std::cerr << "rosterd: refused: " << e.what() << "\n";
        code = kExitRefused;
    } catch (const InvalidInput& e) {
        std::cerr << "rosterd: " << e.what() << "\n";
        code = kExitDataError;
    }
    if (auto note = ownership.restore()) std::cerr << *note << "\n";
    return code;
}

accounts::User named(ConsoleAccounts& console, const std::string& name) {
    return console.store().transact([&](db::Transaction& tx) { return accounts::findUserNamed(tx, name); },
                                    db::TxMode::Read);
}

std::string describe(const accounts::User& u) { return u.email + " (" + u.id + ")"; }

/// The one user argument, with the command's usage printed when there is not exactly one.
std::optional<std::string> oneUser(const CliContext& ctx, const char* usage) {
    if (ctx.args.size() == 1 && !ctx.args[0].empty() && ctx.args[0][0] != '-') return ctx.args[0];
    std::cerr << "usage: rosterd " << usage << "\n";
    return std::nullopt;
}

/// promote (`raise`) or demote to `--role`, else to admin or user.
int changeRole(CliContext& ctx, bool raise) {
    const char* usage = raise ? "users promote USER [--role pending|user|admin]  (USER: email, id or username)"
                              : "users demote USER [--role pending|user|admin]  (USER: email, id or username)";
    std::string who, roleText = raise ? "admin" : "user";
    for (std::size_t i = 0; i < ctx.args.size(); ++i) {
        const std::string& a = ctx.args[i];
        if (a == "--role" && i + 1 < ctx.args.size()) {
            roleText = ctx.args[++i];
        } else if (a.rfind("--role=", 0) == 0) {
            roleText = a.substr(7);
        } else if (who.empty() && !a.empty() && a[0] != '-') {
            who = a;
        } else {
            std::cerr << "usage: rosterd " << usage << "\n";
            return kExitUsage;
        }
    }
    if (who.empty()) {
        std::cerr << "usage: rosterd " << usage << "\n";
        return kExitUsage;
    }
    return withAccounts(ctx, [&](ConsoleAccounts& console) {
        const accounts::Role target = accounts::validateRole(roleText);
        accounts::User u = named(console, who);
        if (u.role == target) {
            std::cout << describe(u) << " is " << accounts::roleName(target) << " already\n";
            return kExitOk;
        }
        if (raise != (rank(target) > rank(u.role)))
            throw InvalidInput(std::string(raise ? "promote" : "demote") + " would make " + u.email + " " +
                               std::string(accounts::roleName(target)) + " from " +
                               std::string(accounts::roleName(u.role)) + "; use `rosterd users " +
                               (raise ? "demote" : "promote") + "`");
        accounts::UserChanges changes;
        changes.role = std::string(accounts::roleName(target));
        accounts::User after = console.accounts().updateUser(accounts::consoleCaller(), u.id, changes);
        std::cout << (raise ? "promoted " : "demoted ") << describe(after) << " from " << accounts::roleName(u.role)
                  << " to " << accounts::roleName(after.role) << "\n";
        return kExitOk;
    });
}

int setActive(CliContext& ctx, bool active) {
    auto who = oneUser(ctx, active ? "users reactivate USER  (email, id or username)"
                                   : "users deactivate USER  (email, id or username)");
    if (!who) return kExitUsage;
    return withAccounts(ctx, [&](ConsoleAccounts& console) {
        accounts::User u = named(console, *who);
        if (u.active == active) {
            std::cout << describe(u) << " is " << (active ? "active" : "deactivated") << " already\n";
            return kExitOk;
        }
        accounts::User after = console.accounts().setUserActive(accounts::consoleCaller(), u.id, active);
        std::cout << (active ? "reactivated " : "deactivated ") << describe(after)
                  << (active ? "\n" : "; their sessions are revoked\n");
        return kExitOk;
    });
}

}  // namespace

int runUsersList(CliContext& ctx) {
    accounts::UserQuery q;
    q.limit = 0;
    q.orderBy = "email";
    bool json = false;
    auto usage = [] {
        std::cerr << "usage: rosterd users list [--json] [--role pending|user|admin] [--source local|ldap] "
                     "[--inactive]\n";
        return kExitUsage;
    };
    for (std::size_t i = 0; i < ctx.args.size(); ++i) {
        const std::string& a = ctx.args[i];
        const bool hasValue = i + 1 < ctx.args.size();
        if (a == "--json") {
            json = true;
        } else if (a == "--inactive") {
            q.active = false;
        } else if (a == "--role" && hasValue) {
            q.role = accounts::parseRole(ctx.args[++i]);
            if (!q.role) {
                std::cerr << "rosterd: --role must be pending, user or admin\n";
                return kExitUsage;
            }
        } else if (a == "--source" && hasValue) {
            q.source = accounts::parseSource(ctx.args[++i]);
            if (!q.source) {
                std::cerr << "rosterd: --source must be local or ldap\n";
                return kExitUsage;
            }
        } else {
            return usage();
        }
    }
    return withAccounts(ctx, [&](ConsoleAccounts& console) {
        accounts::UserPage page = console.accounts().listUsers(q);
        if (json) {
            nlohmann::json out = nlohmann::json::array();
            for (const auto& u : page.users) out.push_back(accounts::events::userData(u));
            std::cout << out.dump(2) << "\n";
            return kExitOk;
        }
        for (const auto& u : page.users)
            std::cout << u.email << "  " << accounts::roleName(u.role) << "  " << accounts::sourceName(u.source)
                      << (u.active ? "" : "  deactivated") << (u.isPrimary ? "  primary-admin" : "")
                      << (u.username ? "  username=" + *u.username : "") << "  " << u.name << "  " << u.id << "\n";
        std::cerr << page.users.size() << " users\n";
        return kExitOk;
    });
}

int runUsersPromote(CliContext& ctx) { return changeRole(ctx, true); }
int runUsersDemote(CliContext& ctx) { return changeRole(ctx, false); }
int runUsersDeactivate(CliContext& ctx) { return setActive(ctx, false); }
int runUsersReactivate(CliContext& ctx) { return setActive(ctx, true); }

int runUsersSetPassword(CliContext& ctx) {
    std::string who, passwordFile;
    for (std::size_t i = 0; i < ctx.args.size(); ++i) {
        const std::string& a = ctx.args[i];
        if (a == "--password-file" && i + 1 < ctx.args.size()) {
            passwordFile = ctx.args[++i];
        } else if (who.empty() && !a.empty() && a[0] != '-') {
            who = a;
        } else {
            who.clear();
            break;
        }
    }
    if (who.empty()) {
        std::cerr << "usage: rosterd users set-password USER [--password-file F]  (password on stdin otherwise)\n";
        return kExitUsage;
    }
    return withAccounts(ctx, [&](ConsoleAccounts& console) {
        accounts::User u = named(console, who);
        accounts::UserChanges changes;
        changes.password = readPassword(passwordFile);
        console.accounts().updateUser(accounts::consoleCaller(), u.id, changes);
        std::cout << "set the password of " << describe(u) << "; their sessions are revoked\n";
        return kExitOk;
    });
}

int runUsersRevokeSessions(CliContext& ctx) {
    auto who = oneUser(ctx, "users revoke-sessions USER  (email, id or username)");
    if (!who) return kExitUsage;
    return withAccounts(ctx, [&](ConsoleAccounts& console) {
        accounts::User u = named(console, *who);
        console.accounts().revokeSessions(accounts::consoleCaller(), u.id);
        std::cout << "revoked every session of " << describe(u) << "\n";
        return kExitOk;
    });
}

}  // namespace rosterd::daemon
