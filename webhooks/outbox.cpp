#include "webhooks/outbox.h"

#include "common/random.h"

namespace rosterd::webhooks {

// Event ids are time-ordered like the rows of bulk loads, whichever way an event is appended.
std::string Outbox::append(db::Transaction& tx, std::string_view type, nlohmann::json data) {
    std::string id = newTimeOrderedUuid();
    tx.exec("INSERT INTO outbox (id, type, payload, occurred_at) VALUES ($1, $2, $3, $4)",
            {id, std::string(type), data.dump(), clock_.nowMillis()});
    wakeAfterCommit(tx);
    return id;
}

void Outbox::appendMany(db::Transaction& tx, const std::vector<NewEvent>& events) {
    if (events.empty()) return;
    const std::int64_t now = clock_.nowMillis();
    db::Params values;
    values.reserve(events.size() * 4);
    for (const auto& e : events) {
        values.emplace_back(newTimeOrderedUuid());
        values.emplace_back(e.type);
        values.emplace_back(e.data.dump());
        values.emplace_back(now);
    }
    // The outbox's seq keeps the order given: COPY and the stepped insert both add rows in order.
    tx.insertRows("outbox", {"id", "type", "payload", "occurred_at"}, values);
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
