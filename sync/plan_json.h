#pragma once
// The whole plan as an operator reads it: one JSON object per change, naming users by email,
// username and DN and groups by name and DN (the plan itself holds ids), with why each change is
// made. What a dry run shows, what a refused run keeps, and what its fingerprint is taken from.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "db/store.h"
#include "sync/plan.h"

namespace rosterd::sync {

/// Every change of `plan`, kind by kind in Plan::counts() order, each
/// {"kind" (a counts() name), "user" and/or "group", "reason", and per kind "changed"
/// ({field: {"from", "to"}}), "from"/"to" (roles)}. Users and groups that exist are named from
/// `store`, as it is before the plan applies; those the plan creates carry no id (one is made when
/// it applies), so the same plan renders the same on every run. `perKind` keeps the first so many
/// changes of each kind (a summary); the default keeps them all.
nlohmann::json planChangesJson(db::Store& store, const Plan& plan, std::size_t perKind = SIZE_MAX);

/// A digest of the changes (planChangesJson) that does not depend on their order.
std::string planFingerprint(const nlohmann::json& changes);

}  // namespace rosterd::sync
