#pragma once
// Applies a plan in batched transactions: multi-row statements, and the outbox events for each
// batch appended in the same transaction, so a change and its event commit together.
#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "accounts/role.h"
#include "db/store.h"
#include "sync/plan.h"
#include "webhooks/outbox.h"

namespace rosterd::sync {

struct ApplyOptions {
    accounts::Role userRole = accounts::Role::User;
    std::size_t batchSize = 1000;
    std::int64_t nowSeconds = 0;
    /// Called after each committed batch with the number of changes applied so far.
    std::function<void(std::size_t)> onProgress;
    /// Called inside each batch's transaction, before it commits, with the kind of change (a
    /// Plan::counts() key) and how many it holds: a record of it commits with the batch or not at all.
    std::function<void(db::Transaction&, const std::string& kind, std::size_t n)> onBatch;
};

/// Changes applied (committed) so far, per Plan::counts() key.
using AppliedCounts = std::map<std::string, std::size_t>;

/// Applies `plan`. Removals (deactivations, deletions) come last, after every other change.
/// Throws on a store error; batches committed before it stay (each is consistent on its own) and
/// are in `applied` (when given), which is filled as batches commit.
void applyPlan(db::Store& store, webhooks::Outbox& outbox, const Plan& plan, const ApplyOptions& options,
               AppliedCounts* applied = nullptr);

}  // namespace rosterd::sync
