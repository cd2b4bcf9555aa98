#pragma once
// How a sync run stands. Code compares these values; their text form exists only where a
// sync_runs row is read or written and at the JSON, metrics and command-line edges.
#include <array>
#include <optional>
#include <string_view>

namespace rosterd::sync {

enum class RunStatus {
    Running,
    Succeeded,
    Failed,
    Refused,
    Interrupted,
    Busy,  ///< another run held the lease: an outcome only, never stored
};

/// The statuses a sync_runs row may hold, in the order the database's CHECK lists them.
inline constexpr std::array<RunStatus, 5> kStoredRunStatuses = {
    RunStatus::Running, RunStatus::Succeeded, RunStatus::Failed, RunStatus::Refused, RunStatus::Interrupted};

/// "running", "succeeded", "failed", "refused", "interrupted" or "busy".
std::string_view runStatusName(RunStatus status);
/// The status named `name`, nullopt for anything else.
std::optional<RunStatus> parseRunStatus(std::string_view name);
/// A status read from a sync_runs row; throws DbError when the row holds something else.
RunStatus runStatusFromRow(std::string_view name);

}  // namespace rosterd::sync
