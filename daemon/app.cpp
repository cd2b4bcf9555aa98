#include "daemon/app.h"

#include <spdlog/spdlog.h>

#include "common/errors.h"
#include "db/database_url.h"

namespace rosterd::daemon {

App::App(Config config, const Clock& clock, AppPurpose purpose)
    : config_(std::make_shared<const Config>(std::move(config))), clock_(clock), purpose_(purpose), outbox_(clock) {
    store_ = db::Store::open(this->config()->database);
    if (purpose_ == AppPurpose::SyncPreview) {
        if (!store_->pendingMigrations().empty())
            throw ConfigError("", "the database has pending migrations; a dry run applies none (`rosterd migrate`)");
    } else {
        migrationsApplied_ = store_->migrate();
    }
    for (const auto& m : migrationsApplied_) spdlog::info("applied migration {}", m);
    wireSettings();  // before the services below read their snapshot
    metrics_.describe("rosterd_http_requests_total", "counter", "HTTP requests by method, route and status");
    metrics_.describe("rosterd_http_request_duration_seconds", "histogram", "HTTP request latency by route");
    metrics_.describe("rosterd_store_pool_connections", "gauge", "Store connections by state");
    metrics_.onCollect([this](Metrics& m) {
        db::PoolStats s = store_->stats();
        m.set("rosterd_store_pool_connections", {{"state", "max"}}, static_cast<double>(s.size));
        m.set("rosterd_store_pool_connections", {{"state", "open"}}, static_cast<double>(s.open));
        m.set("rosterd_store_pool_connections", {{"state", "in_use"}}, static_cast<double>(s.inUse));
        m.set("rosterd_store_pool_acquire_timeouts", {}, static_cast<double>(s.timeouts));
    });
    addReadinessCheck("store", [this]() -> std::optional<std::string> {
        try {
            store_->ping();
            return std::nullopt;
        } catch (const std::exception& e) {
            return std::string(e.what());
        }
    });
    registerHealthRoutes();
    wireService();
    wireAccounts();
    wireLdap();
    wireSync();
    wireImport();
    wireWebhooks();
}

App::~App() { stop(); }

void App::start() {
    auto cfg = this->config();
    server_ = std::make_unique<HttpServer>(cfg->server, router_, metrics_);
    server_->start();
    if (syncScheduler_) syncScheduler_->start();
    webhooks_->start();
    startSettingsPoller();
    spdlog::info("rosterd listening on http://{}:{} (store: {})", cfg->server.host, server_->port(),
                 db::redactDatabaseUrl(cfg->database.url));
}

void App::stop() {
    settingsPoller_.reset();
    if (syncScheduler_) syncScheduler_->stop();
    if (server_) {
        server_->stop();
        server_.reset();
    }
    runStopHooks();
    if (webhooks_) webhooks_->stop();
}

std::uint16_t App::port() const { return server_ ? server_->port() : 0; }

void App::addReadinessCheck(std::string name, ReadinessCheck check) {
    readiness_.emplace_back(std::move(name), std::move(check));
}

std::vector<std::string> App::readinessFailures() {
    std::vector<std::string> failures;
    for (auto& [name, check] : readiness_)
        if (auto reason = check()) failures.push_back(name + ": " + *reason);
    return failures;
}

void App::registerHealthRoutes() {
    router_.add("GET", "/healthz", [](HttpRequest&) { return HttpResponse::json({{"status", "ok"}}); });
    router_.add("GET", "/readyz", [this](HttpRequest&) {
        auto failures = readinessFailures();
        if (failures.empty()) return HttpResponse::json({{"status", "ready"}});
        std::string detail;
        for (const auto& f : failures) detail += (detail.empty() ? "" : "; ") + f;
        HttpResponse r = HttpResponse::error(503, detail);
        r.body["checks"] = failures;
        return r;
    });
    router_.add("GET", "/metrics", [this](HttpRequest&) {
        HttpResponse r;
        r.contentType = "text/plain; version=0.0.4";
        r.rawBody = metrics_.render();
        return r;
    });
}

}  // namespace rosterd::daemon
