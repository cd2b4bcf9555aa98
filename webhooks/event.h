#pragma once
// One event as read back from the outbox: what receivers are told.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace rosterd::webhooks {

struct Event {
    std::string id;                                  ///< unique; sent as webhook-id so receivers can de-duplicate
    std::string type;                                ///< one of event_types::kAll
    std::int64_t timestampMs = 0;                    ///< when the change was made (epoch milliseconds)
    nlohmann::json data = nlohmann::json::object();  ///< the user/group/sync run; never a secret
};

/// ISO 8601 UTC with milliseconds, e.g. "2026-11-29T02:20:50.123Z".
std::string isoTimestamp(std::int64_t epochMillis);
/// The Standard Webhooks body: {"type", "timestamp", "data"}.
nlohmann::json standardBody(const Event& e);

}  // namespace rosterd::webhooks
