#pragma once
// What an incremental sync carries from one run to the next: the directory's cookies, the scope
// they were taken under, and when the last full run happened (rows of sync_state).
#include <cstdint>
#include <optional>
#include <string>

#include "db/store.h"
#include "sync/directory.h"
#include "sync/sync_config.h"

namespace rosterd::sync {

struct ChangeFeedState {
    SyncCookies cookies;
    std::string scope;
    std::int64_t lastFullAt = 0;  ///< epoch millis; 0: never
};

/// The stored state; empty cookies when none were ever stored.
ChangeFeedState loadChangeFeedState(db::Store& store);
/// Stores `state` in one transaction.
void saveChangeFeedState(db::Store& store, const ChangeFeedState& state, std::int64_t nowSeconds);
/// Why this run must read the whole directory (no cookie yet, another scope, full_every due), or
/// nullopt when it may read changes only.
std::optional<std::string> fullRunReason(const ChangeFeedState& stored, const std::string& scope,
                                         const SyncConfig& config, std::int64_t nowMillis);

}  // namespace rosterd::sync
