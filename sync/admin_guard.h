#pragma once
// Sync never locks the administrators out: the primary admin is never deactivated or deleted by
// sync, and a run never deactivates the last active admin (a directory that lost its admins by
// mistake must not take the only way to fix it along).
#include "db/store.h"
#include "sync/plan.h"

namespace rosterd::sync {

/// Takes out of `plan` the removals of the primary admin and, when every active admin would be
/// deactivated, of the first of them; each one kept is reported in plan.skipped. Returns how many.
std::size_t keepAdminsActive(db::Store& store, Plan& plan);

}  // namespace rosterd::sync
