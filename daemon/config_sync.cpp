#include "common/errors.h"
#include "daemon/config.h"

namespace rosterd::daemon {

void readSync(ConfigReader& r, sync::SyncConfig& s) {
    s.interval = r.duration("sync", "interval", s.interval);
    s.mode = r.choice("sync", "mode", "full", {"full", "incremental"}) == "full" ? sync::SyncMode::Full
                                                                                 : sync::SyncMode::Incremental;
    s.fullEvery = r.duration("sync", "full_every", s.fullEvery);
    if (r.raw("sync", "nested_groups") == "server") {
        s.nestedGroups = s.nestedGroupsByServer = true;
    } else {
        try {
            s.nestedGroups = r.boolean("sync", "nested_groups", s.nestedGroups);
        } catch (const ConfigError&) {
            // The boolean's own message would hide that server is accepted too.
            throw ConfigError("sync.nested_groups", "'" + r.raw("sync", "nested_groups").value_or("") +
                                                        "' is not one of: true, false, server");
        }
        s.nestedGroupsByServer = false;
    }
    s.deleteAfter = r.duration("sync", "delete_after", s.deleteAfter);
    s.maxDeactivations = r.integer("sync", "max_deactivations", s.maxDeactivations, 0, 1'000'000'000);
    s.maxDeactivationPercent = static_cast<double>(
        r.integer("sync", "max_deactivation_percent", static_cast<long long>(s.maxDeactivationPercent), 0, 100));
    s.maxGroupDeletions = static_cast<double>(
        r.integer("sync", "max_group_deletions", static_cast<long long>(s.maxGroupDeletions), 0, 100));
    s.batchSize =
        static_cast<std::size_t>(r.integer("sync", "batch_size", static_cast<long long>(s.batchSize), 1, 10'000));
    s.userRole = r.choice("sync", "user_role", s.userRole, {"pending", "user", "admin"});
    s.historyKept =
        static_cast<std::size_t>(r.integer("sync", "history_kept", static_cast<long long>(s.historyKept), 1, 100'000));
    validateSync(s);
}

void validateSync(const sync::SyncConfig& s) {
    // The reader already bounds what it parses; a configuration built in code (reload) is checked
    // against the same limits here.
    if (s.interval.count() < 0)
        throw ConfigError("sync.interval", "must be a duration, or 0 to turn scheduled runs off");
    if (s.fullEvery.count() <= 0) throw ConfigError("sync.full_every", "must be a positive duration");
    if (s.deleteAfter.count() < 0) throw ConfigError("sync.delete_after", "must be a duration, or 0 to never delete");
    if (s.maxDeactivations < 0 || s.maxDeactivations > 1'000'000'000)
        throw ConfigError("sync.max_deactivations", "must be between 0 and 1000000000");
    if (!(s.maxDeactivationPercent >= 0 && s.maxDeactivationPercent <= 100))
        throw ConfigError("sync.max_deactivation_percent", "must be between 0 and 100");
    if (!(s.maxGroupDeletions >= 0 && s.maxGroupDeletions <= 100))
        throw ConfigError("sync.max_group_deletions", "must be between 0 and 100");
    if (s.batchSize < 1 || s.batchSize > 10'000) throw ConfigError("sync.batch_size", "must be between 1 and 10000");
    if (s.userRole != "pending" && s.userRole != "user" && s.userRole != "admin")
        throw ConfigError("sync.user_role", "'" + s.userRole + "' is not one of pending, user, admin");
    if (s.historyKept < 1 || s.historyKept > 100'000)
        throw ConfigError("sync.history_kept", "must be between 1 and 100000");
}

}  // namespace rosterd::daemon
