#include "webhooks/webhook_admin.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>
#include <spdlog/spdlog.h>

#include <map>

#include "common/errors.h"
#include "webhooks/delivery_store.h"
#include "webhooks/event.h"

namespace rosterd::webhooks {
namespace {

template <typename T>
nlohmann::json orNull(const std::optional<T>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json millisOrNull(const std::optional<std::int64_t>& v) {
    return v ? nlohmann::json(isoTimestamp(*v)) : nlohmann::json(nullptr);
}

}  // namespace

std::string redactUrl(const std::string& url) {
    try {
        Poco::URI uri(url);
        std::string out = uri.getScheme() + "://" + uri.getHost();
        if (!uri.getHost().empty() && uri.getPort() != Poco::URI(uri.getScheme() + "://x").getPort())
            out.append(":").append(std::to_string(uri.getPort()));
        std::string path = uri.getPathAndQuery();
        return out + (path.empty() || path == "/" ? "/" : "/...");
    } catch (const Poco::Exception&) {
        return "(invalid URL)";
    }
}

nlohmann::json WebhookAdmin::endpoints() {
    auto rows = store_.transact([](db::Transaction& tx) { return delivery_store::summaries(tx); }, db::TxMode::Read);
    std::map<std::string, delivery_store::EndpointSummary> byName;
    for (auto& s : rows) byName[s.name] = std::move(s);
    nlohmann::json out = nlohmann::json::array();
    auto render = [&](const std::string& name, const EndpointConfig* c) {
        delivery_store::EndpointSummary s;
        if (auto it = byName.find(name); it != byName.end()) s = it->second;
        nlohmann::json j = {{"name", name},
                            {"configured", c != nullptr},
                            {"pending", s.pending},
                            {"delivered", s.delivered},
                            {"dead", s.dead},
                            {"last_error", orNull(s.lastError)},
                            {"last_status", orNull(s.lastStatus)},
                            {"last_error_at", millisOrNull(s.lastErrorAt)},
                            {"last_success_at", millisOrNull(s.lastSuccessAt)}};
        if (c) {
            j["url"] = redactUrl(c->url);
            j["format"] = formatName(c->format);
            j["events"] = c->events;
            j["signed"] = !c->secret.empty();
        }
        out.push_back(std::move(j));
    };
    auto configured = dispatcher_.endpoints();
    for (const auto& c : configured) render(c.name, &c);
    for (const auto& [name, s] : byName) {
        bool isConfigured = false;
        for (const auto& c : configured) isConfigured = isConfigured || c.name == name;
        if (!isConfigured && s.pending + s.dead > 0) render(name, nullptr);
    }
    return out;
}

nlohmann::json WebhookAdmin::deliveries(const std::optional<std::string>& status,
                                        const std::optional<std::string>& endpoint, int limit) {
    if (status && *status != "pending" && *status != "delivered" && *status != "dead")
        throw InvalidInput("status must be pending, delivered or dead, not '" + *status + "'");
    if (limit < 1 || limit > 1000) throw InvalidInput("limit must be between 1 and 1000");
    auto rows = store_.transact([&](db::Transaction& tx) { return delivery_store::list(tx, status, endpoint, limit); },
                                db::TxMode::Read);
    nlohmann::json out = nlohmann::json::array();
    for (const auto& v : rows)
        out.push_back({{"id", v.eventId},
                       {"type", v.eventType},
                       {"timestamp", isoTimestamp(v.occurredAt)},
                       {"endpoint", v.endpoint},
                       {"status", v.status},
                       {"attempts", v.attempts},
                       {"next_attempt_at", v.status == "pending" ? nlohmann::json(isoTimestamp(v.nextAttemptAt))
                                                                 : nlohmann::json(nullptr)},
                       {"last_attempt_at", millisOrNull(v.lastAttemptAt)},
                       {"last_status", orNull(v.lastStatus)},
                       {"last_error", orNull(v.lastError)},
                       {"delivered_at", millisOrNull(v.deliveredAt)}});
    return out;
}

nlohmann::json WebhookAdmin::retry(const std::string& eventId, const std::optional<std::string>& endpoint) {
    std::size_t n = store_.transact([&](db::Transaction& tx) {
        if (!delivery_store::eventExists(tx, eventId)) throw NotFound("no event with id '" + eventId + "'");
        return delivery_store::retryDead(tx, eventId, endpoint, clock_.nowMillis());
    });
    if (n == 0)
        throw Conflict("event '" + eventId + "' has no dead deliveries" +
                       (endpoint ? " for endpoint '" + *endpoint + "'" : ""));
    spdlog::info("webhooks: event {} queued again for {} endpoint(s)", eventId, n);
    dispatcher_.poke();
    return {{"id", eventId}, {"retried", n}};
}

}  // namespace rosterd::webhooks
