#include "webhooks/outbox.h"

#include "common/random.h"

namespace rosterd::webhooks {

// Event ids are time-ordered like the rows of bulk loads, whichever way an event is appended.
std::string Outbox::append(db::Transaction& tx, std::string_view type, const nlohmann::json& data) {
    std::string id = newTimeOrderedUuid();
    tx.exec("INSERT INTO outbox (id, type, payload, occurred_at) VALUES ($1, $2, $3, $4)",
            {id, std::string(type), data.dump(), clock_.nowMillis()});
    wakeAfterCommit(tx);
    return id;
}

void Outbox::appendMany(db::Transaction& tx, const std::vector<NewEvent>& events) {
    appendPrepared(tx, prepare(events));
}

PreparedEvents Outbox::prepare(const std::vector<NewEvent>& events) const {
    PreparedEvents out;
    const std::int64_t now = clock_.nowMillis();
    out.rows.reserve(events.size() * 4);
    for (const auto& e : events) {
        out.rows.emplace_back(newTimeOrderedUuid());
        out.rows.emplace_back(e.type);
        out.rows.emplace_back(e.data.dump());
        out.rows.emplace_back(now);
    }
    return out;
}

void Outbox::prepareOne(PreparedEvents& out, std::string_view type, const nlohmann::json& data) const {
    out.rows.emplace_back(newTimeOrderedUuid());
    out.rows.emplace_back(std::string(type));
    out.rows.emplace_back(data.dump());
    out.rows.emplace_back(clock_.nowMillis());
}

void Outbox::appendPrepared(db::Transaction& tx, const PreparedEvents& events) {
    if (events.empty()) return;
    // The outbox's seq keeps the order given: COPY and the stepped insert both add rows in order.
    tx.insertRows("outbox", {"id", "type", "payload", "occurred_at"}, events.rows);
    wakeAfterCommit(tx);
}

void Outbox::wakeAfterCommit(db::Transaction& tx) {
    std::function<void()> wake;
    {
        std::lock_guard lock(mutex_);
        wake = wakeup_;
    }
    if (wake) tx.afterCommit(std::move(wake));
}

void Outbox::setWakeup(std::function<void()> fn) {
    std::lock_guard lock(mutex_);
    wakeup_ = std::move(fn);
}

}  // namespace rosterd::webhooks
