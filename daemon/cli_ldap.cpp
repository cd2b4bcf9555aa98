// `rosterd ldap lookup NAME [--json]`: what rosterd sees for one directory user.
#include <iostream>

#include "common/errors.h"
#include "daemon/app.h"
#include "daemon/cli.h"
#include "daemon/ldap_lookup.h"

namespace rosterd::daemon {

int runLdapLookup(CliContext& ctx) {
    std::string name;
    bool json = false;
    for (const auto& a : ctx.args) {
        if (a == "--json")
            json = true;
        else if (name.empty() && a.rfind("--", 0) != 0)
            name = a;
        else {
            std::cerr << "usage: rosterd ldap lookup NAME [--json]\n";
            return kExitUsage;
        }
    }
    if (name.empty()) {
        std::cerr << "usage: rosterd ldap lookup NAME [--json]\n";
        return kExitUsage;
    }
    Config config = ctx.loadConfig();
    setupLogging("warn");
    if (!config.ldap.enabled) throw ConfigError("ldap.enabled", "is false; there is no directory to look in");
    auto store = db::Store::open(config.database);
    if (!store->pendingMigrations().empty())
        throw ConfigError("", "the database has pending migrations; run `rosterd migrate` first");
    ldap::Directory directory(config.ldap);
    auto report = lookupDirectoryUser(directory, App::syncSettings(config), *store, name);
    if (json)
        std::cout << report.dump(2) << "\n";
    else
        std::cout << lookupText(report);
    return report["can_sign_in"].get<bool>() ? kExitOk : kExitFailure;
}

}  // namespace rosterd::daemon
