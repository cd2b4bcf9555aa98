#include "daemon/directory_policy_check.h"

#include <filesystem>

#include "accounts/group_store.h"
#include "db/database_url.h"
#include "db/store.h"

namespace rosterd::daemon {

std::vector<std::string> policyGroupWarnings(const Config& config) {
    const auto& p = config.sync.directoryPolicy;
    std::vector<std::string> out;
    if (!p.any()) return out;
    // Never creates a database: a missing SQLite file means no sync has run.
    const auto url = db::parseDatabaseUrl(config.database.url);
    if (url.driver == db::Driver::Sqlite && !std::filesystem::exists(url.target)) {
        out.push_back("the [ldap] mapping groups cannot be checked: the database " + url.target +
                      " does not exist yet (no sync has run)");
        return out;
    }
    std::vector<std::string> known;
    try {
        auto store = db::Store::open(config.database);
        known = store->transact([](db::Transaction& tx) { return accounts::group_store::directoryGroupNames(tx); },
                                db::TxMode::Read);
    } catch (const std::exception& e) {
        out.push_back(std::string("the [ldap] mapping groups cannot be checked against the store: ") + e.what());
        return out;
    }
    const std::pair<const char*, const std::vector<std::string>*> keys[] = {{"admin_groups", &p.adminGroups},
                                                                            {"user_groups", &p.userGroups},
                                                                            {"allowed_groups", &p.allowedGroups},
                                                                            {"denied_groups", &p.deniedGroups}};
    for (const auto& [key, names] : keys)
        for (const auto& name : *names)
            if (!accounts::groupNameIn(name, known))
                out.push_back(std::string("ldap.") + key + " names '" + name +
                              "', a group no sync has seen (no directory group of that name is stored; check the "
                              "spelling and ldap.group_name_attribute, or run a sync first)");
    return out;
}

std::vector<std::string> memberOfWarnings(const Config& config) {
    const auto& c = config.ldap;
    std::vector<std::string> out;
    if (c.memberOfAttribute.empty()) return out;
    const std::string key = "ldap.member_of_attribute = " + c.memberOfAttribute;
    if (ldap::membersByName(c))
        out.push_back(key + " is not used: memberUid groups list names, and directories keep no memberOf for them");
    else if (c.groupSyncOnLogin)
        out.push_back(key +
                      " is not used: ldap.group_sync_on_login needs each group's stable id, so sign-in "
                      "searches the group base");
    else if (config.sync.directoryPolicy.nestedGroupsByServer)
        out.push_back(key +
                      " is not used: sync.nested_groups = server asks the directory for every depth in one "
                      "search, which memberOf (direct groups only) cannot answer");
    return out;
}

}  // namespace rosterd::daemon
