// The STATUS= summary of a sync run.
#include "daemon/sync_status.h"

#include <catch2/catch.hpp>

using namespace rosterd;

namespace {
sync::RunOutcome outcome(sync::RunStatus status) {
    sync::RunOutcome o;
    o.status = status;
    o.record.status = status;
    o.record.startedAt = 1'795'929'598'800;  // 2026-11-29T05:19:58.800Z
    o.record.finishedAt = 1'795'929'600'000;
    return o;
}
}  // namespace

TEST_CASE("utcTimestamp: ISO 8601 UTC to the second") {
    CHECK(daemon::utcTimestamp(0) == "1970-01-01T00:00:00Z");
    CHECK(daemon::utcTimestamp(1'795'929'600'999) == "2026-11-29T05:20:00Z");
}

TEST_CASE("syncStatusLine: counts and duration of a successful run") {
    auto o = outcome(sync::RunStatus::Succeeded);
    o.record.counts = {{"users_created", 3}, {"users_updated", 1}, {"users_deactivated", 0}, {"groups_created", 2}};
    CHECK(daemon::syncStatusLine(o, 0) ==
          "last sync succeeded at 2026-11-29T05:20:00Z: 3 created, 1 updated, 0 deactivated (1.2 s)");
    o.record.dryRun = true;
    o.record.counts = nlohmann::json::object();
    CHECK(daemon::syncStatusLine(o, 0) ==
          "last sync (dry run) succeeded at 2026-11-29T05:20:00Z: 0 created, 0 updated, 0 deactivated (1.2 s)");
}

TEST_CASE("syncStatusLine: a failed or refused run gives its reason on one bounded line") {
    auto o = outcome(sync::RunStatus::Failed);
    o.error = "cannot reach ldap://a/\nnor ldap://b/";
    CHECK(daemon::syncStatusLine(o, 0) ==
          "last sync failed at 2026-11-29T05:20:00Z: cannot reach ldap://a/ nor ldap://b/");
    o.error = std::string(500, 'x');
    std::string line = daemon::syncStatusLine(o, 0);
    CHECK(line.size() < 300);
    CHECK(line.substr(line.size() - 3) == "...");
    o = outcome(sync::RunStatus::Refused);
    o.record.finishedAt.reset();
    o.record.error = "would deactivate or delete 9 users, more than max_deactivations = 5";
    CHECK(daemon::syncStatusLine(o, 1'795'929'660'000) ==
          "last sync refused at 2026-11-29T05:21:00Z: would deactivate or delete 9 users, more than "
          "max_deactivations = 5");
}
