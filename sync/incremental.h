#pragma once
// An incremental run's plan: only the store rows a change set touches are loaded, so its cost
// follows the number of changes, not the size of the directory. Changes that could move group
// memberships are not planned here; the run becomes a full one instead.
#include <functional>
#include <optional>
#include <string>

#include "db/store.h"
#include "sync/directory.h"
#include "sync/plan.h"

namespace rosterd::sync {

struct IncrementalPlan {
    Plan plan;
    std::optional<std::string> needsFullRun;  ///< why the changes cannot be applied on their own
};

/// Plans `changes` against the store: creates, updates and links of changed users, deactivation
/// of users gone from the directory and removal of their directory-group memberships. Asks for a
/// full run instead when a group changed or disappeared, a user entry was renamed or moved, or a
/// group lists a user who is new or returns (`source` answers that last question).
IncrementalPlan planIncremental(db::Store& store, DirectorySource& source, DirectoryChanges changes,
                                const PlanOptions& options, const std::function<std::string()>& newId);

}  // namespace rosterd::sync
