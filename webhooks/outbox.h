#pragma once
// The writing side of the transactional outbox: every module that changes something others care
// about calls append() with the transaction that makes the change.
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "db/store.h"

namespace rosterd::webhooks {

/// An event to append: its type and data (never secrets).
struct NewEvent {
    std::string type;
    nlohmann::json data;
};

/// Events rendered ahead of the transaction that appends them (ids, payload text): a bulk writer
/// prepares its next batch on another thread while the current one is written.
struct PreparedEvents {
    db::Params rows;
    bool empty() const { return rows.empty(); }
};

class Outbox {
public:
    explicit Outbox(const Clock& clock) : clock_(clock) {}
    /// Appends an event inside `tx`; it exists only if tx commits. Returns the event id.
    /// `data` must never carry secrets (password hashes, key hashes).
    std::string append(db::Transaction& tx, std::string_view type, const nlohmann::json& data);
    /// Appends `event` (made by one of the event builders) inside `tx`; returns its id.
    std::string append(db::Transaction& tx, const NewEvent& event) { return append(tx, event.type, event.data); }
    /// Appends many events inside `tx` in one bulk insert (sync, import), in the order given.
    void appendMany(db::Transaction& tx, const std::vector<NewEvent>& events);
    /// Renders events for appendPrepared (thread-safe; touches no store).
    PreparedEvents prepare(const std::vector<NewEvent>& events) const;
    /// Renders one more event onto `out` (thread-safe; touches no store). A bulk writer reuses one
    /// `data` document for a whole batch rather than building and freeing one per event.
    void prepareOne(PreparedEvents& out, std::string_view type, const nlohmann::json& data) const;
    /// Appends events rendered by prepare() inside `tx`, in their order.
    void appendPrepared(db::Transaction& tx, const PreparedEvents& events);
    /// Called after a transaction holding new events commits (the dispatcher wakes on it).
    void setWakeup(std::function<void()> fn);

private:
    void wakeAfterCommit(db::Transaction& tx);
    const Clock& clock_;
    std::mutex mutex_;
    std::function<void()> wakeup_;
};

}  // namespace rosterd::webhooks
