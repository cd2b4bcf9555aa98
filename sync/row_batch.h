#pragma once
// Rows and their events for one bulk-inserted batch, built before the transaction that writes
// them (on another thread, while the previous batch is written).
#include "db/result.h"
#include "webhooks/outbox.h"

namespace rosterd::sync {

struct RowBatch {
    db::Params rows;
    webhooks::PreparedEvents events;
};

}  // namespace rosterd::sync
