#include "common/errors.h"
#include "daemon/config.h"

namespace rosterd::daemon {

void readSync(ConfigReader& r, sync::SyncConfig& s) {
    s.interval = r.duration("sync", "interval", s.interval);
    if (s.interval.count() < 0) throw ConfigError("sync.interval", "must be a duration, or 0 to turn scheduled runs off");
    s.mode = r.choice("sync", "mode", "full", {"full", "incremental"}) == "full" ? sync::SyncMode::Full
                                                                                  : sync::SyncMode::Incremental;
    s.fullEvery = r.duration("sync", "full_every", s.fullEvery);
    if (s.fullEvery.count() <= 0) throw ConfigError("sync.full_every", "must be a positive duration");
    s.nestedGroups = r.boolean("sync", "nested_groups", s.nestedGroups);
    s.deleteAfter = r.duration("sync", "delete_after", s.deleteAfter);
    if (s.deleteAfter.count() < 0) throw ConfigError("sync.delete_after", "must be a duration, or 0 to never delete");
    s.maxDeactivations = r.integer("sync", "max_deactivations", s.maxDeactivations, 0, 1'000'000'000);
    s.maxDeactivationPercent =
        static_cast<double>(r.integer("sync", "max_deactivation_percent", static_cast<long long>(s.maxDeactivationPercent), 0, 100));
    s.batchSize = static_cast<std::size_t>(r.integer("sync", "batch_size", static_cast<long long>(s.batchSize), 1, 10'000));
    s.userRole = r.choice("sync", "user_role", s.userRole, {"pending", "user", "admin"});
    s.historyKept = static_cast<std::size_t>(r.integer("sync", "history_kept", static_cast<long long>(s.historyKept), 1, 100'000));
}

}  // namespace rosterd::daemon
