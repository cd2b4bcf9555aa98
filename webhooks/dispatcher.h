#pragma once
// Delivers outbox events to the configured endpoints in the background.
//
// Each round a worker (1) fans new outbox events out into per-endpoint deliveries, (2) serves
// every endpoint no other worker (or, on PostgreSQL, no other replica) is serving: it takes the
// oldest pending deliveries that are due, POSTs them in order and records the outcomes, stopping
// at the first one to be retried so later events never overtake it, and (3) now and then prunes
// delivered rows. On PostgreSQL a replica serves an endpoint under a lease on its row (taken in a
// short transaction, renewed while it sends, released with the outcomes): no transaction is open
// during a POST, and a lease left by a replica that died expires so another takes the endpoint. Workers sleep until
// poke() (called after a commit that appended events) or the poll interval. All scheduling uses the injected Clock.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/metrics.h"
#include "db/store.h"
#include "webhooks/delivery_store.h"
#include "webhooks/http_sender.h"
#include "webhooks/retry_policy.h"
#include "webhooks/webhook_config.h"

namespace rosterd::webhooks {

class Dispatcher {
public:
    /// Validates the endpoints (throws std::invalid_argument naming the endpoint) and registers them.
    Dispatcher(db::Store& store, const Clock& clock, Metrics& metrics, WebhooksConfig config);
    ~Dispatcher();
    Dispatcher(const Dispatcher&) = delete;
    Dispatcher& operator=(const Dispatcher&) = delete;

    /// Starts the worker threads (idempotent).
    void start();
    /// Stops them; an attempt in flight finishes (bounded by its endpoint's timeout).
    void stop();
    /// Wakes the workers now (after new events commit, after a retry, or after a test moved the clock).
    void poke();
    /// Replaces the endpoint list at runtime (configuration reload). Deliveries are keyed by
    /// name, so an endpoint keeps its queue across a reload; pending deliveries of a removed
    /// endpoint wait until it is configured again. Throws std::invalid_argument, changing nothing.
    void reconfigure(std::vector<EndpointConfig> endpoints);
    /// Checks an endpoint list as reconfigure() would, without applying it; throws std::invalid_argument.
    static void validate(const std::vector<EndpointConfig>& endpoints);
    /// The endpoints currently configured.
    std::vector<EndpointConfig> endpoints() const;
    /// Runs rounds on the calling thread until one finds nothing to do (CLI and benchmarks).
    void drain();
    /// Sets the queue gauges (pending and dead per endpoint) from the store.
    void collectMetrics(Metrics& metrics);

private:
    struct Endpoint {
        EndpointConfig config;
        std::unique_ptr<HttpSender> sender;
    };
    using EndpointList = std::vector<std::shared_ptr<Endpoint>>;

    static EndpointList build(const std::vector<EndpointConfig>& configs);
    void workerLoop();
    /// One round; true when it did something (so another round may find more).
    bool round();
    bool fanOut();
    bool serve(Endpoint& endpoint);
    void pruneIfDue();
    /// PostgreSQL: leases the endpoint and reads its queue head in one short transaction; false
    /// when another replica holds the lease. The lease is renewed while attempts go on and
    /// released with the outcomes, so no transaction stays open across a POST.
    bool claim(const EndpointConfig& ep, std::vector<delivery_store::Pending>& head, std::int64_t& leaseUntil);
    /// The lease taken at `nowMillis` for an endpoint: one attempt's timeout and a margin.
    static std::int64_t leaseEnd(const EndpointConfig& ep, std::int64_t nowMillis);
    std::map<std::string, std::string> signedHeaders(const EndpointConfig& ep, const std::string& eventId,
                                                     std::int64_t nowMillis, const std::string& body) const;

    db::Store& store_;
    const Clock& clock_;
    Metrics& metrics_;
    WebhooksConfig config_;
    RetryPolicy policy_;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::uint64_t pokes_ = 0;
    bool stopping_ = false;
    EndpointList endpoints_;
    std::set<std::string> busy_;  ///< endpoint names a worker of this process is serving
    std::vector<std::thread> threads_;
    std::mutex fanOutMutex_;
    std::atomic<std::uint64_t> rotation_{0};
    std::atomic<std::int64_t> lastPrune_{0};
    const std::string owner_;  ///< this dispatcher's name in endpoint leases (random, per process)
};

}  // namespace rosterd::webhooks
