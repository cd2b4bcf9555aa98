#pragma once
// Storage of webhook deliveries: the fan-out of outbox events to endpoints, the per-endpoint
// queues, their outcomes and the admin views. Plain structs in, plain structs out.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/store.h"
#include "webhooks/event.h"
#include "webhooks/retry_policy.h"

namespace rosterd::webhooks::delivery_store {

/// An endpoint as the fan-out sees it.
struct Route {
    std::string name;
    std::vector<std::string> patterns;
};

/// A pending delivery with the event it carries.
struct Pending {
    std::int64_t seq = 0;
    int attempts = 0;
    std::int64_t queuedAt = 0;
    std::int64_t nextAttemptAt = 0;
    Event event;
};

/// What became of one attempt.
struct Outcome {
    std::int64_t seq = 0;
    Verdict verdict = Verdict::Retry;
    int status = 0;
    std::string error;
    std::int64_t nextAttemptAt = 0;  ///< for Verdict::Retry
};

/// One delivery as the admin API lists it.
struct DeliveryView {
    std::string endpoint;
    std::string eventId;
    std::string eventType;
    std::int64_t eventSeq = 0;
    std::int64_t occurredAt = 0;
    std::string status;
    int attempts = 0;
    std::int64_t queuedAt = 0;
    std::int64_t nextAttemptAt = 0;
    std::optional<std::int64_t> lastAttemptAt;
    std::optional<int> lastStatus;
    std::optional<std::string> lastError;
    std::optional<std::int64_t> deliveredAt;
};

/// Counts and last error of one endpoint name.
struct EndpointSummary {
    std::string name;
    std::int64_t pending = 0;
    std::int64_t delivered = 0;
    std::int64_t dead = 0;
    std::optional<std::string> lastError;
    std::optional<int> lastStatus;
    std::optional<std::int64_t> lastErrorAt;
    std::optional<std::int64_t> lastSuccessAt;
};

/// Makes sure each name has its endpoints row (the row replicas lock to take turns).
void registerEndpoints(db::Transaction& tx, const std::vector<std::string>& names, std::int64_t nowMillis);
/// True when some event still waits to be fanned out (a cheap read before taking write locks).
bool hasEventsToFanOut(db::Transaction& tx);
/// Copies up to `limit` not yet fanned-out events, oldest first, into deliveries of the matching
/// routes. On PostgreSQL only one replica fans out at a time (others return 0 at once) so the
/// per-endpoint order follows the outbox order. Returns the number of events handled.
std::size_t fanOut(db::Transaction& tx, const std::vector<Route>& routes, std::int64_t nowMillis, int limit);
/// PostgreSQL: locks the endpoint's row for this transaction, or returns false when another
/// session holds it (FOR UPDATE SKIP LOCKED). SQLite (one process): always true.
bool lockEndpoint(db::Transaction& tx, const std::string& name);
/// Leases the endpoint to `owner` until `untilMillis` unless another owner holds a lease on it that
/// has not expired at `nowMillis`; false when it is taken. On PostgreSQL the row is picked FOR
/// UPDATE SKIP LOCKED, so a claim never waits for another replica's transaction.
bool claimEndpoint(db::Transaction& tx, const std::string& name, const std::string& owner, std::int64_t nowMillis,
                   std::int64_t untilMillis);
/// Moves `owner`'s lease on the endpoint to `untilMillis`; false when `owner` no longer holds it.
bool renewEndpoint(db::Transaction& tx, const std::string& name, const std::string& owner, std::int64_t untilMillis);
/// Ends `owner`'s lease on the endpoint (nothing when another owner has taken it since).
void releaseEndpoint(db::Transaction& tx, const std::string& name, const std::string& owner);
/// The oldest pending deliveries of an endpoint, in event order (due or not).
std::vector<Pending> pendingHead(db::Transaction& tx, const std::string& endpoint, int limit);
/// Writes the outcomes of attempts made at nowMillis (to deliveries still pending).
void recordOutcomes(db::Transaction& tx, const std::string& endpoint, const std::vector<Outcome>& outcomes,
                    std::int64_t nowMillis);
/// Deletes deliveries delivered before `beforeMillis` and outbox events older than that which
/// no delivery needs any more; returns the number of deliveries deleted.
std::size_t prune(db::Transaction& tx, std::int64_t beforeMillis);

/// Per endpoint name: counts by status and the last error.
std::vector<EndpointSummary> summaries(db::Transaction& tx);
/// Deliveries, newest event first, optionally of one status and/or endpoint.
std::vector<DeliveryView> list(db::Transaction& tx, const std::optional<std::string>& status,
                               const std::optional<std::string>& endpoint, int limit);
/// True when the outbox holds an event with this id.
bool eventExists(db::Transaction& tx, const std::string& eventId);
/// Puts the dead deliveries of an event (optionally only for one endpoint) back in the queue,
/// due now, with a fresh retry window. Returns how many.
std::size_t retryDead(db::Transaction& tx, const std::string& eventId, const std::optional<std::string>& endpoint,
                      std::int64_t nowMillis);

}  // namespace rosterd::webhooks::delivery_store
