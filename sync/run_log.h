#pragma once
// sync_runs (history) and sync_state (values carried between runs).
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "db/store.h"
#include "sync/run_status.h"

namespace rosterd::sync {

struct RunRecord {
    std::string id;
    std::string trigger;  ///< schedule | api | cli
    std::string mode;     ///< full | incremental
    bool dryRun = false;
    bool forced = false;
    RunStatus status = RunStatus::Running;  ///< never Busy
    std::int64_t startedAt = 0;             ///< epoch millis
    std::optional<std::int64_t> finishedAt;
    /// What the run changed in the store, per kind (a dry run: what it would change, = planned).
    nlohmann::json counts = nlohmann::json::object();
    /// What the plan held, per kind (empty when the run ended before planning).
    nlohmann::json planned = nlohmann::json::object();
    nlohmann::json skipped = nlohmann::json::array();
    std::optional<std::string> error;
    std::string holder;  ///< pid@host of the process running it
    /// Set when the run kept its whole plan (a dry run, a refused run): a digest of its changes,
    /// and how many there are (GET /api/v1/sync/runs/{id}/plan pages them).
    std::optional<std::string> planFingerprint;
    std::optional<std::int64_t> planTotal;
    /// The record as the API shows it: `counts`, and beside them `planned` and `applied`
    /// (nothing is applied by a dry run).
    nlohmann::json toJson() const;
};

/// Stores a running run's planned counts.
void recordPlanned(db::Transaction& tx, const RunRecord& run);
/// Adds `n` committed changes of `kind` to a running run's tally, inside the batch's transaction.
void addApplied(db::Transaction& tx, const std::string& runId, const std::string& kind, std::size_t n);
/// The tally of a run's committed changes, per kind.
nlohmann::json appliedOf(db::Transaction& tx, const std::string& runId);
/// Runs left `running` by a holder that is gone (the caller holds the sync lease, so no run of
/// its own is under way): each becomes `interrupted`, finished now, with the counts of what it
/// committed, and a sync.failed event is appended through `failed`. Returns how many.
/// `gone` tells whether a row's holder is gone (it may not be, on SQLite, where the lease is per
/// process: another process's run is left alone while that process lives).
std::size_t closeInterruptedRuns(db::Transaction& tx, std::int64_t nowMillis,
                                 const std::function<bool(const std::string& holder)>& gone,
                                 const std::function<void(db::Transaction&, const RunRecord&)>& failed);

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
