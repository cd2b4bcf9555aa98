#pragma once
// The writing side of the transactional outbox: every module that changes something others care
// about calls append() with the transaction that makes the change.
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "db/store.h"

namespace rosterd::webhooks {

class Outbox {
public:
    explicit Outbox(const Clock& clock) : clock_(clock) {}
    /// Appends an event inside `tx`; it exists only if tx commits. Returns the event id.
    /// `data` must never carry secrets (password hashes, key hashes).
    std::string append(db::Transaction& tx, std::string_view type, nlohmann::json data);
    /// Called after a transaction holding new events commits (the dispatcher wakes on it).
    void setWakeup(std::function<void()> fn);

private:
    const Clock& clock_;
    std::mutex mutex_;
    std::function<void()> wakeup_;
};

}  // namespace rosterd::webhooks
