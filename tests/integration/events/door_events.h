#pragma once
// Reads what one door appended to the outbox and holds it to the shapes of event_shapes.h.
#include <catch2/catch.hpp>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "db/store.h"
#include "integration/events/event_shapes.h"

namespace rosterd::test {

struct StoredEvent {
    std::string type;
    nlohmann::json data;
};

/// The outbox as a sequence of doors: each check reads the events appended since the previous one.
class DoorEvents {
public:
    explicit DoorEvents(db::Store& store) : store_(store) { since(); }

    /// Events appended since the last call, oldest first.
    std::vector<StoredEvent> since() {
        std::vector<StoredEvent> out;
        store_.transact(
            [&](db::Transaction& tx) {
                for (auto row : tx.exec("SELECT seq, type, payload FROM outbox WHERE seq > $1 ORDER BY seq", {last_})) {
                    last_ = row.i64(0);
                    out.push_back({row.str(1), nlohmann::json::parse(row.str(2))});
                }
            },
            db::TxMode::Read);
        return out;
    }

    /// The events `door` appended since the last check: every one has its type's shape, and each
    /// of `types` is among them. Returns them for further checks.
    std::vector<StoredEvent> check(const std::string& door, const std::set<std::string>& types) {
        auto events = since();
        std::set<std::string> seen;
        for (const auto& e : events) {
            seen.insert(e.type);
            covered_[e.type].insert(door);
            INFO(door << ": " << e.type << " " << e.data.dump());
            CHECK(eventErrors(e.type, e.data) == std::vector<std::string>{});
        }
        for (const auto& t : types) {
            INFO(door << " appended no " << t);
            CHECK(seen.count(t) == 1);
        }
        return events;
    }

    /// Type -> the doors seen producing it.
    const std::map<std::string, std::set<std::string>>& covered() const { return covered_; }

private:
    db::Store& store_;
    std::int64_t last_ = 0;
    std::map<std::string, std::set<std::string>> covered_;
};

/// The data of the first event of `type` in `events` (null when there is none).
inline nlohmann::json firstOf(const std::vector<StoredEvent>& events, const std::string& type) {
    for (const auto& e : events)
        if (e.type == type) return e.data;
    return nullptr;
}

}  // namespace rosterd::test
