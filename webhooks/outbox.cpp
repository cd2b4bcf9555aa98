#include "webhooks/outbox.h"

#include "common/random.h"

namespace rosterd::webhooks {

std::string Outbox::append(db::Transaction& tx, std::string_view type, nlohmann::json data) {
    std::string id = newUuid();
    tx.exec("INSERT INTO outbox (id, type, payload, occurred_at) VALUES ($1, $2, $3, $4)",
            {id, std::string(type), data.dump(), clock_.nowMillis()});
    std::function<void()> wake;
    {
        std::lock_guard lock(mutex_);
        wake = wakeup_;
    }
    if (wake) tx.afterCommit(std::move(wake));
    return id;
}

void Outbox::setWakeup(std::function<void()> fn) {
    std::lock_guard lock(mutex_);
    wakeup_ = std::move(fn);
}

}  // namespace rosterd::webhooks
