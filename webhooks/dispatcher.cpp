#include "webhooks/dispatcher.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>
#include <stdexcept>

#include "common/random.h"
#include "webhooks/delivery_store.h"
#include "webhooks/event_filter.h"
#include "webhooks/payload.h"
#include "webhooks/signature.h"

namespace rosterd::webhooks {
namespace {

// Events fanned out per transaction.
constexpr int kFanOutBatch = 500;
// How often (in Clock time) delivered rows older than the retention are pruned.
constexpr std::int64_t kPruneEveryMillis = 60'000;
// An endpoint's lease lasts one attempt's timeout plus this; it is renewed before an attempt that
// could outlast it. A replica that dies holding one delays its endpoint by at most this long.
constexpr std::int64_t kLeaseMarginMillis = 30'000;

const char* verdictName(Verdict v) {
    switch (v) {
        case Verdict::Delivered:
            return "delivered";
        case Verdict::Retry:
            return "retry";
        case Verdict::Dead:
            return "dead";
    }
    return "retry";
}

}  // namespace

Dispatcher::Dispatcher(db::Store& store, const Clock& clock, Metrics& metrics, WebhooksConfig config)
    : store_(store), clock_(clock), metrics_(metrics), config_(std::move(config)), policy_(config_), owner_(newUuid()) {
    metrics_.describe("rosterd_webhook_deliveries_total", "counter",
                      "Webhook delivery attempts by endpoint and result (delivered, retry, dead)");
    metrics_.describe("rosterd_webhook_delivery_duration_seconds", "histogram", "Webhook request latency by endpoint");
    metrics_.describe("rosterd_webhook_queue_depth", "gauge", "Webhook deliveries pending per endpoint");
    metrics_.describe("rosterd_webhook_dead", "gauge", "Webhook deliveries given up per endpoint");
    reconfigure(config_.endpoints);
}

Dispatcher::~Dispatcher() { stop(); }

Dispatcher::EndpointList Dispatcher::build(const std::vector<EndpointConfig>& configs) {
    EndpointList list;
    std::set<std::string> names;
    for (const auto& c : configs) {
        if (!names.insert(c.name).second) throw std::invalid_argument("webhook." + c.name + ": configured twice");
        try {
            validateEventPatterns(c.events);
            auto ep = std::make_shared<Endpoint>();
            ep->config = c;
            ep->sender = std::make_unique<HttpSender>(c);
            list.push_back(std::move(ep));
        } catch (const std::invalid_argument& e) {
            throw std::invalid_argument("webhook." + c.name + ": " + e.what());
        }
    }
    return list;
}

void Dispatcher::validate(const std::vector<EndpointConfig>& endpoints) { build(endpoints); }

void Dispatcher::reconfigure(std::vector<EndpointConfig> endpoints) {
    EndpointList list = build(endpoints);
    std::vector<std::string> names;
    names.reserve(endpoints.size());
    for (const auto& e : endpoints) names.push_back(e.name);
    store_.transact([&](db::Transaction& tx) { delivery_store::registerEndpoints(tx, names, clock_.nowMillis()); });
    {
        std::lock_guard lock(mutex_);
        endpoints_ = std::move(list);
        config_.endpoints = std::move(endpoints);
    }
    poke();
}

std::vector<EndpointConfig> Dispatcher::endpoints() const {
    std::lock_guard lock(mutex_);
    return config_.endpoints;
}

void Dispatcher::start() {
    std::lock_guard lock(mutex_);
    if (!threads_.empty()) return;
    stopping_ = false;
    for (int i = 0; i < std::max(1, config_.workers); ++i) threads_.emplace_back([this] { workerLoop(); });
}

void Dispatcher::stop() {
    std::vector<std::thread> threads;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        threads.swap(threads_);
    }
    wake_.notify_all();
    for (auto& t : threads) t.join();
}

void Dispatcher::poke() {
    {
        std::lock_guard lock(mutex_);
        ++pokes_;
    }
    wake_.notify_all();
}

void Dispatcher::drain() {
    while (round()) {
    }
}

void Dispatcher::workerLoop() {
    for (;;) {
        std::uint64_t seen;
        {
            std::lock_guard lock(mutex_);
            if (stopping_) return;
            seen = pokes_;
        }
        bool worked = false;
        try {
            worked = round();
        } catch (const std::exception& e) {
            // Typically the database is unreachable; the next round (poll interval) tries again.
            spdlog::warn("webhook dispatcher: {}", e.what());
        }
        std::unique_lock lock(mutex_);
        if (stopping_) return;
        if (!worked) wake_.wait_for(lock, config_.pollInterval, [&] { return stopping_ || pokes_ != seen; });
    }
}

bool Dispatcher::round() {
    bool worked = fanOut();
    EndpointList list;
    {
        std::lock_guard lock(mutex_);
        list = endpoints_;
    }
    // Workers start at different endpoints so they spread over them instead of queueing up.
    std::size_t offset = list.empty() ? 0 : rotation_++ % list.size();
    for (std::size_t i = 0; i < list.size(); ++i) {
        auto& ep = list[(i + offset) % list.size()];
        {
            std::lock_guard lock(mutex_);
            if (stopping_) return false;
            if (!busy_.insert(ep->config.name).second) continue;
        }
        try {
            worked = serve(*ep) || worked;
        } catch (const std::exception& e) {
            spdlog::warn("webhook {}: {}", ep->config.name, e.what());
        }
        std::lock_guard lock(mutex_);
        busy_.erase(ep->config.name);
    }
    pruneIfDue();
    return worked;
}

bool Dispatcher::fanOut() {
    std::unique_lock guard(fanOutMutex_, std::try_to_lock);
    if (!guard.owns_lock()) return false;  // another worker of this process is at it
    if (!store_.transact([](db::Transaction& tx) { return delivery_store::hasEventsToFanOut(tx); }, db::TxMode::Read))
        return false;
    std::vector<delivery_store::Route> routes;
    {
        std::lock_guard lock(mutex_);
        for (const auto& ep : endpoints_) routes.push_back({ep->config.name, ep->config.events});
    }
    std::size_t n = store_.transact(
        [&](db::Transaction& tx) { return delivery_store::fanOut(tx, routes, clock_.nowMillis(), kFanOutBatch); });
    return n > 0;
}

std::map<std::string, std::string> Dispatcher::signedHeaders(const EndpointConfig& ep, const std::string& eventId,
                                                             std::int64_t nowMillis, const std::string& body) const {
    std::int64_t ts = nowMillis / 1000;
    std::map<std::string, std::string> h{{"webhook-id", eventId}, {"webhook-timestamp", std::to_string(ts)}};
    if (!ep.secret.empty()) h["webhook-signature"] = signatureHeader(ep.secret, eventId, ts, body);
    return h;
}

std::int64_t Dispatcher::leaseEnd(const EndpointConfig& ep, std::int64_t nowMillis) {
    return nowMillis + ep.timeout.count() + kLeaseMarginMillis;
}

bool Dispatcher::claim(const EndpointConfig& ep, std::vector<delivery_store::Pending>& head, std::int64_t& leaseUntil) {
    std::int64_t now = clock_.nowMillis();
    leaseUntil = leaseEnd(ep, now);
    return store_.transact([&](db::Transaction& tx) {
        if (!delivery_store::claimEndpoint(tx, ep.name, owner_, now, leaseUntil)) return false;
        // Read again under the lease: another replica may have sent some of them meanwhile.
        head = delivery_store::pendingHead(tx, ep.name, config_.batchSize);
        return true;
    });
}

bool Dispatcher::serve(Endpoint& endpoint) {
    const EndpointConfig& ep = endpoint.config;
    auto dueCount = [&](const std::vector<delivery_store::Pending>& head) {
        std::int64_t now = clock_.nowMillis();
        std::size_t due = 0;
        while (due < head.size() && head[due].nextAttemptAt <= now) ++due;
        return due;
    };
    // A read first, so an endpoint with nothing due costs no write.
    auto head = store_.transact(
        [&](db::Transaction& tx) { return delivery_store::pendingHead(tx, ep.name, config_.batchSize); },
        db::TxMode::Read);
    if (dueCount(head) == 0) return false;
    // PostgreSQL: replicas take turns per endpoint through its lease, so its events keep their
    // order. SQLite has one process, whose workers are kept apart by busy_.
    const bool leased = store_.driver() == db::Driver::Postgres;
    std::int64_t leaseUntil = 0;
    if (leased && !claim(ep, head, leaseUntil)) return false;
    auto release = [&](const std::vector<delivery_store::Outcome>& outcomes) {
        std::int64_t done = clock_.nowMillis();
        store_.transact([&](db::Transaction& tx) {
            delivery_store::recordOutcomes(tx, ep.name, outcomes, done);
            if (leased) delivery_store::releaseEndpoint(tx, ep.name, owner_);
        });
    };
    std::size_t due = dueCount(head);
    if (due == 0) {
        if (leased) release({});
        return false;
    }

    std::vector<delivery_store::Outcome> outcomes;
    try {
        for (std::size_t i = 0; i < due; ++i) {
            const auto& p = head[i];
            std::int64_t at = clock_.nowMillis();
            if (leased && leaseEnd(ep, at) - kLeaseMarginMillis / 2 > leaseUntil) {
                // The next attempt could outlast the lease: extend it, or stop when it was lost.
                std::int64_t until = leaseEnd(ep, at);
                if (!store_.transact([&](db::Transaction& tx) {
                        return delivery_store::renewEndpoint(tx, ep.name, owner_, until);
                    })) {
                    spdlog::warn("webhook {}: the lease on the endpoint expired and was taken; stopping here", ep.name);
                    break;
                }
                leaseUntil = until;
            }
            std::string body = renderBody(ep.format, p.event);
            auto started = std::chrono::steady_clock::now();
            AttemptResult r = endpoint.sender->post(body, signedHeaders(ep, p.event.id, at, body), at);
            metrics_.observe("rosterd_webhook_delivery_duration_seconds", {{"endpoint", ep.name}},
                             std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
            delivery_store::Outcome o{p.seq, classify(r), r.status, r.error, 0};
            if (o.verdict == Verdict::Retry) {
                if (auto next = policy_.nextAttempt(p.attempts + 1, p.queuedAt, at, r.retryAfter)) {
                    o.nextAttemptAt = *next;
                } else {
                    o.verdict = Verdict::Dead;
                    o.error += " (gave up after " + std::to_string(p.attempts + 1) + " attempts)";
                }
            }
            metrics_.inc("rosterd_webhook_deliveries_total",
                         {{"endpoint", ep.name}, {"result", verdictName(o.verdict)}});
            if (o.verdict != Verdict::Delivered)
                spdlog::warn("webhook {}: event {} ({}) {}: {}", ep.name, p.event.id, p.event.type,
                             o.verdict == Verdict::Dead ? "is dead" : "will be retried", o.error);
            outcomes.push_back(std::move(o));
            // Later events wait behind one being retried: per endpoint, order of creation is kept.
            if (outcomes.back().verdict == Verdict::Retry) break;
        }
    } catch (...) {
        // Keep what was sent and hand the endpoint back rather than leave it leased until expiry.
        release(outcomes);
        throw;
    }
    release(outcomes);
    return true;
}

void Dispatcher::pruneIfDue() {
    std::int64_t now = clock_.nowMillis();
    std::int64_t last = lastPrune_.load();
    if (now - last < kPruneEveryMillis) return;
    if (!lastPrune_.compare_exchange_strong(last, now)) return;  // another worker took it
    std::size_t n = store_.transact(
        [&](db::Transaction& tx) { return delivery_store::prune(tx, now - config_.retention.count()); });
    if (n) spdlog::info("webhooks: pruned {} delivered deliveries older than the retention", n);
}

void Dispatcher::collectMetrics(Metrics& metrics) {
    auto rows = store_.transact([](db::Transaction& tx) { return delivery_store::summaries(tx); }, db::TxMode::Read);
    for (const auto& s : rows) {
        metrics.set("rosterd_webhook_queue_depth", {{"endpoint", s.name}}, static_cast<double>(s.pending));
        metrics.set("rosterd_webhook_dead", {{"endpoint", s.name}}, static_cast<double>(s.dead));
    }
}

}  // namespace rosterd::webhooks
