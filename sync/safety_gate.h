#pragma once
// The removal thresholds: a run that would deactivate or delete too many directory users or
// groups, or remove too many memberships, is refused (a directory misconfiguration looks exactly
// like a mass departure).
#include <optional>
#include <string>

#include "sync/plan.h"
#include "sync/sync_config.h"

namespace rosterd::sync {

/// Every threshold the plan crosses ("; "-separated), or nullopt when it may be applied.
std::optional<std::string> thresholdRefusal(const Plan& plan, const SyncConfig& config);
/// What to do about a refusal of run `runId`: what to check, how to preview the plan, how to force.
std::string refusalGuidance(const std::string& runId);

}  // namespace rosterd::sync
