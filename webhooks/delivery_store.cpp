#include "webhooks/delivery_store.h"

#include <map>

#include "db/placeholders.h"
#include "webhooks/event_filter.h"

namespace rosterd::webhooks::delivery_store {
namespace {

// Multi-row statements are cut into chunks so a statement stays well under SQLite's parameter limit.
constexpr std::size_t kChunk = 200;

std::optional<int> optInt(const db::Row& row, const char* col) {
    auto v = row.optI64(col);
    if (!v) return std::nullopt;
    return static_cast<int>(*v);
}

}  // namespace

void registerEndpoints(db::Transaction& tx, const std::vector<std::string>& names, std::int64_t nowMillis) {
    for (const auto& name : names)
        tx.exec("INSERT INTO webhook_endpoints (name, first_seen_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
                {name, nowMillis});
}

bool hasEventsToFanOut(db::Transaction& tx) {
    return !tx.exec("SELECT seq FROM outbox WHERE fanned_out = 0 LIMIT 1").empty();
}

std::size_t fanOut(db::Transaction& tx, const std::vector<Route>& routes, std::int64_t nowMillis, int limit) {
    if (tx.driver() == db::Driver::Postgres) {
        // Transaction-scoped: released at commit or rollback, even if this session dies.
        if (!tx.exec("SELECT pg_try_advisory_xact_lock(7352501) AS ok").front().boolean("ok")) return 0;
    }
    db::ResultSet events =
        tx.exec("SELECT seq, id, type FROM outbox WHERE fanned_out = 0 ORDER BY seq LIMIT $1", {std::int64_t(limit)});
    if (events.empty()) return 0;

    struct Row {
        std::string endpoint;
        std::int64_t seq;
        std::string id;
    };
    std::vector<Row> rows;
    std::vector<std::int64_t> seqs;
    for (auto e : events) {
        seqs.push_back(e.i64("seq"));
        for (const auto& r : routes)
            if (matchesAny(r.patterns, e.str("type"))) rows.push_back({r.name, e.i64("seq"), e.str("id")});
    }
    for (std::size_t start = 0; start < rows.size(); start += kChunk) {
        std::size_t n = std::min(kChunk, rows.size() - start);
        std::string sql =
            "INSERT INTO webhook_deliveries (endpoint, event_seq, event_id, queued_at, next_attempt_at) VALUES ";
        db::Params params{nowMillis};
        for (std::size_t i = 0; i < n; ++i) {
            const Row& r = rows[start + i];
            std::size_t p = params.size() + 1;
            sql += (i ? ", (" : "(") + db::placeholders(p, 3) + ", $1, $1)";
            // Built in place: a temporary db::Value moved in trips a false -Wmaybe-uninitialized in GCC 12.
            params.emplace_back(r.endpoint);
            params.emplace_back(r.seq);
            params.emplace_back(r.id);
        }
        sql += " ON CONFLICT (endpoint, event_seq) DO NOTHING";
        tx.exec(sql, params);
    }
    // Marked by explicit seq: an event committed meanwhile with a seq inside our range stays unmarked.
    for (std::size_t start = 0; start < seqs.size(); start += kChunk) {
        std::size_t n = std::min(kChunk, seqs.size() - start);
        db::Params params(seqs.begin() + static_cast<long>(start), seqs.begin() + static_cast<long>(start + n));
        tx.exec("UPDATE outbox SET fanned_out = 1 WHERE seq IN (" + db::placeholders(1, n) + ")", params);
    }
    return seqs.size();
}

bool lockEndpoint(db::Transaction& tx, const std::string& name) {
    if (tx.driver() != db::Driver::Postgres) return true;
    return !tx.exec("SELECT name FROM webhook_endpoints WHERE name = $1 FOR UPDATE SKIP LOCKED", {name}).empty();
}

bool claimEndpoint(db::Transaction& tx, const std::string& name, const std::string& owner, std::int64_t nowMillis,
                   std::int64_t untilMillis) {
    if (!lockEndpoint(tx, name)) return false;
    return tx.exec(
                 "UPDATE webhook_endpoints SET claimed_by = $2, claimed_until = $4 WHERE name = $1 AND "
                 "(claimed_by IS NULL OR claimed_by = $2 OR claimed_until IS NULL OR claimed_until <= $3)",
                 {name, owner, nowMillis, untilMillis})
               .affected() == 1;
}

bool renewEndpoint(db::Transaction& tx, const std::string& name, const std::string& owner, std::int64_t untilMillis) {
    return tx.exec("UPDATE webhook_endpoints SET claimed_until = $3 WHERE name = $1 AND claimed_by = $2",
                   {name, owner, untilMillis})
               .affected() == 1;
}

void releaseEndpoint(db::Transaction& tx, const std::string& name, const std::string& owner) {
    tx.exec("UPDATE webhook_endpoints SET claimed_by = NULL, claimed_until = NULL WHERE name = $1 AND claimed_by = $2",
            {name, owner});
}

std::vector<Pending> pendingHead(db::Transaction& tx, const std::string& endpoint, int limit) {
    db::ResultSet rs = tx.exec(
        "SELECT d.event_seq, d.attempts, d.queued_at, d.next_attempt_at, o.id, o.type, o.payload, o.occurred_at "
        "FROM webhook_deliveries d JOIN outbox o ON o.seq = d.event_seq "
        "WHERE d.endpoint = $1 AND d.status = 'pending' ORDER BY d.event_seq LIMIT $2",
        {endpoint, std::int64_t(limit)});
    std::vector<Pending> out;
    out.reserve(rs.size());
    for (auto row : rs) {
        Pending p;
        p.seq = row.i64("event_seq");
        p.attempts = static_cast<int>(row.i64("attempts"));
        p.queuedAt = row.i64("queued_at");
        p.nextAttemptAt = row.i64("next_attempt_at");
        p.event.id = row.str("id");
        p.event.type = row.str("type");
        p.event.timestampMs = row.i64("occurred_at");
        p.event.data = nlohmann::json::parse(row.str("payload"), nullptr, false);
        if (p.event.data.is_discarded()) p.event.data = nlohmann::json::object();
        out.push_back(std::move(p));
    }
    return out;
}

void recordOutcomes(db::Transaction& tx, const std::string& endpoint, const std::vector<Outcome>& outcomes,
                    std::int64_t nowMillis) {
    std::map<int, std::vector<std::int64_t>> deliveredByStatus;
    const Outcome* lastFailure = nullptr;
    for (const auto& o : outcomes) {
        switch (o.verdict) {
            case Verdict::Delivered:
                deliveredByStatus[o.status].push_back(o.seq);
                break;
            case Verdict::Retry:
                tx.exec(
                    "UPDATE webhook_deliveries SET attempts = attempts + 1, next_attempt_at = $3, last_attempt_at = "
                    "$4, "
                    "last_status = $5, last_error = $6 WHERE endpoint = $1 AND event_seq = $2 AND status = 'pending'",
                    {endpoint, o.seq, o.nextAttemptAt, nowMillis,
                     o.status ? db::Value(std::int64_t(o.status)) : nullptr, o.error});
                lastFailure = &o;
                break;
            case Verdict::Dead:
                tx.exec(
                    "UPDATE webhook_deliveries SET status = 'dead', attempts = attempts + 1, last_attempt_at = $3, "
                    "last_status = $4, last_error = $5 WHERE endpoint = $1 AND event_seq = $2 AND status = 'pending'",
                    {endpoint, o.seq, nowMillis, o.status ? db::Value(std::int64_t(o.status)) : nullptr, o.error});
                lastFailure = &o;
                break;
        }
    }
    for (const auto& [status, seqs] : deliveredByStatus) {
        for (std::size_t start = 0; start < seqs.size(); start += kChunk) {
            std::size_t n = std::min(kChunk, seqs.size() - start);
            db::Params params{endpoint, nowMillis, std::int64_t(status)};
            params.insert(params.end(), seqs.begin() + static_cast<long>(start),
                          seqs.begin() + static_cast<long>(start + n));
            tx.exec(
                "UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_attempt_at = $2, "
                "delivered_at = $2, last_status = $3 WHERE endpoint = $1 AND status = 'pending' AND event_seq IN (" +
                    db::placeholders(4, n) + ")",
                params);
        }
    }
    if (!deliveredByStatus.empty())
        tx.exec("UPDATE webhook_endpoints SET last_success_at = $2 WHERE name = $1", {endpoint, nowMillis});
    if (lastFailure)
        tx.exec("UPDATE webhook_endpoints SET last_error = $2, last_status = $3, last_error_at = $4 WHERE name = $1",
                {endpoint, lastFailure->error,
                 lastFailure->status ? db::Value(std::int64_t(lastFailure->status)) : nullptr, nowMillis});
}

std::size_t prune(db::Transaction& tx, std::int64_t beforeMillis) {
    std::size_t n =
        tx.exec("DELETE FROM webhook_deliveries WHERE status = 'delivered' AND delivered_at < $1", {beforeMillis})
            .affected();
    tx.exec(
        "DELETE FROM outbox WHERE fanned_out = 1 AND occurred_at < $1 AND NOT EXISTS "
        "(SELECT 1 FROM webhook_deliveries d WHERE d.event_seq = outbox.seq)",
        {beforeMillis});
    return n;
}

std::vector<EndpointSummary> summaries(db::Transaction& tx) {
    std::map<std::string, EndpointSummary> byName;
    for (auto row :
         tx.exec("SELECT name, last_error, last_status, last_error_at, last_success_at FROM webhook_endpoints")) {
        EndpointSummary& s = byName[row.str("name")];
        s.name = row.str("name");
        s.lastError = row.optStr("last_error");
        s.lastStatus = optInt(row, "last_status");
        s.lastErrorAt = row.optI64("last_error_at");
        s.lastSuccessAt = row.optI64("last_success_at");
    }
    for (auto row :
         tx.exec("SELECT endpoint, status, COUNT(*) AS n FROM webhook_deliveries GROUP BY endpoint, status")) {
        EndpointSummary& s = byName[row.str("endpoint")];
        s.name = row.str("endpoint");
        std::int64_t n = row.i64("n");
        const std::string& status = row.str("status");
        if (status == "pending")
            s.pending = n;
        else if (status == "delivered")
            s.delivered = n;
        else if (status == "dead")
            s.dead = n;
    }
    std::vector<EndpointSummary> out;
    out.reserve(byName.size());
    for (auto& [_, s] : byName) out.push_back(std::move(s));
    return out;
}

std::vector<DeliveryView> list(db::Transaction& tx, const std::optional<std::string>& status,
                               const std::optional<std::string>& endpoint, int limit) {
    std::string sql =
        "SELECT d.endpoint, d.event_seq, d.event_id, d.status, d.attempts, d.queued_at, d.next_attempt_at, "
        "d.last_attempt_at, d.last_status, d.last_error, d.delivered_at, o.type, o.occurred_at "
        "FROM webhook_deliveries d JOIN outbox o ON o.seq = d.event_seq WHERE 1 = 1";
    db::Params params;
    if (status) {
        params.push_back(*status);
        sql += " AND d.status = $" + std::to_string(params.size());
    }
    if (endpoint) {
        params.push_back(*endpoint);
        sql += " AND d.endpoint = $" + std::to_string(params.size());
    }
    params.push_back(std::int64_t(limit));
    sql += " ORDER BY d.event_seq DESC, d.endpoint LIMIT $" + std::to_string(params.size());
    std::vector<DeliveryView> out;
    for (auto row : tx.exec(sql, params)) {
        DeliveryView v;
        v.endpoint = row.str("endpoint");
        v.eventSeq = row.i64("event_seq");
        v.eventId = row.str("event_id");
        v.eventType = row.str("type");
        v.occurredAt = row.i64("occurred_at");
        v.status = row.str("status");
        v.attempts = static_cast<int>(row.i64("attempts"));
        v.queuedAt = row.i64("queued_at");
        v.nextAttemptAt = row.i64("next_attempt_at");
        v.lastAttemptAt = row.optI64("last_attempt_at");
        v.lastStatus = optInt(row, "last_status");
        v.lastError = row.optStr("last_error");
        v.deliveredAt = row.optI64("delivered_at");
        out.push_back(std::move(v));
    }
    return out;
}

bool eventExists(db::Transaction& tx, const std::string& eventId) {
    return !tx.exec("SELECT 1 FROM outbox WHERE id = $1", {eventId}).empty();
}

std::size_t retryDead(db::Transaction& tx, const std::string& eventId, const std::optional<std::string>& endpoint,
                      std::int64_t nowMillis) {
    std::string sql =
        "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, queued_at = $2, next_attempt_at = $2 "
        "WHERE event_id = $1 AND status = 'dead'";
    db::Params params{eventId, nowMillis};
    if (endpoint) {
        sql += " AND endpoint = $3";
        params.push_back(*endpoint);
    }
    return tx.exec(sql, params).affected();
}

}  // namespace rosterd::webhooks::delivery_store
