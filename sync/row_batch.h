#pragma once
// Rows and their events for one bulk-inserted batch, built before the transaction that writes
// them (on another thread, while the previous batch is written).
#include "db/result.h"
#include "webhooks/outbox.h"

namespace rosterd::sync {

/// Seconds a bulk write transaction stays open for more batches. Each commit rewrites every page
/// the transaction touched (the random keys of a unique index touch most of its pages) and may
/// checkpoint the SQLite WAL, so fewer commits write much less; other writers wait at most about
/// this long.
constexpr double kWriteHoldSeconds = 0.25;

struct RowBatch {
    db::Params rows;
    webhooks::PreparedEvents events;
    std::size_t begin = 0, end = 0;  ///< the plan's rows it holds, for events built at write time
};

}  // namespace rosterd::sync
