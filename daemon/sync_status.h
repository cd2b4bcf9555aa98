#pragma once
// The one-line summary of the last sync run that rosterd publishes as its systemd STATUS= text.
#include <cstdint>
#include <string>

#include "sync/sync_service.h"

namespace rosterd::daemon {

/// "last sync succeeded at 2026-11-29T05:20:00Z: 3 created, 1 updated, 0 deactivated (1.2 s)", or
/// "last sync failed at <time>: <reason>" (also refused; "(dry run)" marked). One line, bounded
/// length. `nowMillis` stands in when the run has no end time.
std::string syncStatusLine(const sync::RunOutcome& outcome, std::int64_t nowMillis);

/// Epoch millis as an ISO 8601 UTC time to the second ("2026-11-29T05:20:00Z").
std::string utcTimestamp(std::int64_t epochMillis);

}  // namespace rosterd::daemon
