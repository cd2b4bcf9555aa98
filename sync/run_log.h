#pragma once
// sync_runs (history) and sync_state (values carried between runs).
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "db/store.h"

namespace rosterd::sync {

struct RunRecord {
    std::string id;
    std::string trigger;   ///< schedule | api | cli
    std::string mode;      ///< full | incremental
    bool dryRun = false;
    bool forced = false;
    std::string status;    ///< running | succeeded | failed | refused
    std::int64_t startedAt = 0;   ///< epoch millis
    std::optional<std::int64_t> finishedAt;
    nlohmann::json counts = nlohmann::json::object();
    nlohmann::json skipped = nlohmann::json::array();
    std::optional<std::string> error;
    nlohmann::json toJson() const;
};

/// Inserts the row of a starting run.
void insertRun(db::Transaction& tx, const RunRecord& run);
/// Records how a run ended.
void finishRun(db::Transaction& tx, const RunRecord& run);
/// The most recent runs, newest first.
std::vector<RunRecord> recentRuns(db::Store& store, std::size_t limit);
/// Keeps the newest `keep` rows.
void pruneRuns(db::Transaction& tx, std::size_t keep);

/// A value carried between runs, nullopt when never set.
std::optional<std::string> readState(db::Transaction& tx, const std::string& name);
void writeState(db::Transaction& tx, const std::string& name, const std::string& value, std::int64_t nowSeconds);

}  // namespace rosterd::sync
