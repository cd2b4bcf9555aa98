#include "settings/settings_service.h"

#include <nlohmann/json.hpp>

#include "webhooks/event_types.h"

namespace rosterd::settings {
namespace {

Snapshot read(db::Transaction& tx) {
    Snapshot s;
    auto v = tx.exec("SELECT version FROM runtime_settings_version WHERE id = 1");
    s.version = v.empty() ? 0 : v.front().i64(0);
    for (auto row : tx.exec("SELECT key, value FROM runtime_settings ORDER BY key"))
        s.values.emplace(row.str(0), row.str(1));
    return s;
}

}  // namespace

SettingsService::SettingsService(db::Store& store, webhooks::Outbox& outbox, const Clock& clock)
    : store_(store), outbox_(outbox), clock_(clock) {}

bool SettingsService::isSecret(const std::string& key) { return key == "ldap.bind_password"; }

Snapshot SettingsService::load() const {
    return store_.transact([](db::Transaction& tx) { return read(tx); }, db::TxMode::Read);
}

std::int64_t SettingsService::version() const {
    return store_.transact(
        [](db::Transaction& tx) {
            auto v = tx.exec("SELECT version FROM runtime_settings_version WHERE id = 1");
            return v.empty() ? std::int64_t{0} : v.front().i64(0);
        },
        db::TxMode::Read);
}

Snapshot SettingsService::update(const std::map<std::string, std::string>& changes, const std::string& actorId,
                                 const Validator& validate) {
    db::Transaction tx = store_.begin();
    // Taking the version row first makes concurrent changes (any replica) take turns, so each
    // validates against the settings the one before it stored.
    tx.exec("UPDATE runtime_settings_version SET version = version + 1 WHERE id = 1");
    Snapshot current = read(tx);
    std::map<std::string, std::string> changed;
    for (const auto& [key, value] : changes) {
        auto it = current.values.find(key);
        if (it == current.values.end() || it->second != value) changed.emplace(key, value);
    }
    if (changed.empty()) {
        current.version -= 1;  // rolled back below: the stored version did not move
        return current;        // tx rolls back when destroyed
    }
    Snapshot next = current;
    for (const auto& [key, value] : changed) next.values[key] = value;
    validate(next.values);
    const std::int64_t now = clock_.nowSeconds();
    nlohmann::json keys = nlohmann::json::array();
    nlohmann::json values = nlohmann::json::object();
    for (const auto& [key, value] : changed) {
        tx.exec(
            "INSERT INTO runtime_settings (key, value, updated_at, updated_by) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, "
            "updated_by = excluded.updated_by",
            {key, value, now, actorId});
        keys.push_back(key);
        if (!isSecret(key)) values[key] = value;
    }
    outbox_.append(tx, webhooks::event_types::kSettingsChanged,
                   {{"version", next.version}, {"keys", keys}, {"values", values}, {"changed_by", actorId}});
    tx.commit();
    return next;
}

}  // namespace rosterd::settings
