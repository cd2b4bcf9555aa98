#pragma once
// What the admin API shows and does: endpoint status, deliveries by status, retrying dead ones.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/clock.h"
#include "db/store.h"
#include "webhooks/dispatcher.h"

namespace rosterd::webhooks {

class WebhookAdmin {
public:
    WebhookAdmin(db::Store& store, Dispatcher& dispatcher, const Clock& clock)
        : store_(store), dispatcher_(dispatcher), clock_(clock) {}
    /// Every configured endpoint (and every name that still has deliveries) with counts of
    /// pending / delivered / dead deliveries and the last error. URLs show scheme and host only:
    /// chat webhook URLs carry their secret in the path.
    nlohmann::json endpoints();
    /// Deliveries, newest first; status must be pending, delivered or dead (InvalidInput otherwise).
    nlohmann::json deliveries(const std::optional<std::string>& status, const std::optional<std::string>& endpoint,
                              int limit);
    /// Queues the dead deliveries of an event again. NotFound when no such event, Conflict when
    /// none of its deliveries is dead. Returns {"id", "retried": n}.
    nlohmann::json retry(const std::string& eventId, const std::optional<std::string>& endpoint);

private:
    db::Store& store_;
    Dispatcher& dispatcher_;
    const Clock& clock_;
};

/// "https://hooks.example.com/..." — the URL without its path, query and credentials.
std::string redactUrl(const std::string& url);

}  // namespace rosterd::webhooks
