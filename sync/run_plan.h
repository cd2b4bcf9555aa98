#pragma once
// The whole plan a dry run or a refused run kept (sync_run_changes), paged for the API, and the
// fingerprint a refused run keeps so that the same refusal is announced once.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "db/store.h"
#include "sync/run_log.h"

namespace rosterd::sync {

/// Largest page of a stored plan the API serves.
inline constexpr std::size_t kMaxPlanPage = 1000;
/// The page size when none is asked for.
inline constexpr std::size_t kDefaultPlanPage = 100;

/// Keeps `changes` (an array, see planChangesJson) with the run, and their `fingerprint`.
void storeRunPlan(db::Transaction& tx, const std::string& runId, const nlohmann::json& changes,
                  const std::string& fingerprint);

/// {"run_id", "total", "offset", "limit", "changes"} of the run's stored plan; nullopt when the
/// run is unknown or kept no plan (only dry runs and refused runs keep one).
std::optional<nlohmann::json> runPlanPage(db::Store& store, const std::string& runId, std::size_t offset,
                                          std::size_t limit);

/// The fingerprint of the last refused run's plan, when no run has gone through since (dry runs
/// aside); nullopt otherwise.
std::optional<std::string> lastRefusalFingerprint(db::Transaction& tx);
/// Notes how a run that was not a dry run ended, for lastRefusalFingerprint: a refusal keeps its
/// plan's fingerprint, a success forgets it.
void noteRunEnd(db::Transaction& tx, const RunRecord& run, std::int64_t nowSeconds);

}  // namespace rosterd::sync
