#pragma once
// Writes the directory policy's plan entries (sync/role_mapping.h), a batch per call inside the
// caller's transaction, with their events.
#include <cstdint>
#include <vector>

#include "db/store.h"
#include "sync/plan.h"
#include "webhooks/outbox.h"

namespace rosterd::sync {

/// Sets the roles of v[b, e); a user.role_changed event (with the rule as `reason`) for each row
/// that really changed.
void writeRoleChanges(db::Transaction& tx, webhooks::Outbox& outbox, const std::vector<RoleChange>& v, std::size_t b,
                      std::size_t e, std::int64_t now);
/// Records why v[b, e) may not sign in and deactivates them; a user.deactivated event (with
/// `reason`) for each user this deactivated.
void writeAccessDenials(db::Transaction& tx, webhooks::Outbox& outbox, const std::vector<AccessChange>& v,
                        std::size_t b, std::size_t e, std::int64_t now);
/// Lifts the recorded refusals of v[b, e) (their reactivation is a planned user update).
void writeAccessRestores(db::Transaction& tx, const std::vector<AccessChange>& v, std::size_t b, std::size_t e);

}  // namespace rosterd::sync
