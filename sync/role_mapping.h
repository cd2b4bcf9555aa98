#pragma once
// The directory policy in a full sync run: every directory user's role and access decided from
// the groups the snapshot places them in (accounts::decideDirectoryPolicy, the same decision a
// directory login takes), turned into plan entries the safety gate counts and apply writes.
#include <nlohmann/json.hpp>

#include "accounts/directory_policy.h"
#include "db/store.h"
#include "sync/current_index.h"
#include "sync/plan.h"
#include "sync/snapshot.h"

namespace rosterd::sync {

/// Adds to `plan` the role changes, refusals and restores `policy` asks for, given the users and
/// groups of `desired`. Never changes the primary admin, never leaves no active admin (the first
/// admin that would go is kept; both reported in plan.skipped); refused users get no reactivation.
/// Nothing when no mapping key is set.
/// `current` is the store's side the plan was made from.
void planDirectoryPolicy(db::Store& store, const Snapshot& desired, const IndexedState& current,
                         const accounts::DirectoryPolicyConfig& policy, Plan& plan);

/// How many of the plan's policy changes take something away (demotions and refusals), for the
/// safety gate.
std::size_t policyRemovals(const Plan& plan);

/// The policy's changes as a preview shows them (at most `limit` of each kind):
/// {"roles_changed": [{id, email, from, to, reason}], "users_denied": [...], "users_allowed": [...]}.
nlohmann::json policyChangesJson(const Plan& plan, std::size_t limit = 1000);

}  // namespace rosterd::sync
