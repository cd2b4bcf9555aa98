#pragma once
// The removal thresholds: a run that would deactivate or delete too many directory users or
// groups, or remove too many memberships, is refused (a directory misconfiguration looks exactly
// like a mass departure).
#include <optional>
#include <string>

#include "sync/plan.h"
#include "sync/sync_config.h"

namespace rosterd::sync {

/// The reason the plan is refused, or nullopt when it may be applied.
std::optional<std::string> thresholdRefusal(const Plan& plan, const SyncConfig& config);

}  // namespace rosterd::sync
