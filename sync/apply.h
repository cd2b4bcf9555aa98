#pragma once
// Applies a plan in batched transactions: multi-row statements, and the outbox events for each
// batch appended in the same transaction, so a change and its event commit together.
#include <cstdint>
#include <functional>
#include <string>

#include "db/store.h"
#include "sync/plan.h"
#include "webhooks/outbox.h"

namespace rosterd::sync {

struct ApplyOptions {
    std::string userRole = "user";
    std::size_t batchSize = 1000;
    std::int64_t nowSeconds = 0;
    /// Called after each committed batch with the number of changes applied so far.
    std::function<void(std::size_t)> onProgress;
};

/// Applies `plan`. Removals (deactivations, deletions) come last, after every other change.
/// Throws on a store error; batches committed before it stay (each is consistent on its own).
void applyPlan(db::Store& store, webhooks::Outbox& outbox, const Plan& plan, const ApplyOptions& options);

}  // namespace rosterd::sync
