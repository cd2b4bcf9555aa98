// The App's reload and stop hooks as the other parts use them: every hook validates the new
// configuration before any applies it, and stop hooks run in reverse order after the HTTP server.
#include <spdlog/spdlog.h>

#include <catch2/catch.hpp>

#include "common/errors.h"
#include "daemon/config.h"
#include "support/test_server.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {
daemon::Config configWith(const TestServer& s, std::map<std::string, std::string> settings) {
    daemon::ConfigReader r;
    r.set("server", "listen", "127.0.0.1:0");
    r.set("database", "url", s.databaseUrl());
    r.set("auth", "jwt_secret_file", s.dataDir() + "/jwt_secret");
    for (const auto& [full, value] : settings) {
        auto dot = full.rfind('.');
        r.set(full.substr(0, dot), full.substr(dot + 1), value);
    }
    return daemon::loadConfig(r);
}
}  // namespace

TEST_CASE("reload: hooks validate first; one refusal applies nothing and keeps the running config") {
    TestServer s(db::Driver::Sqlite);
    auto& app = s.app();
    std::vector<std::string> applied;
    bool refuse = true;
    app.onReload({"first", nullptr, [&](const daemon::Config& next, const daemon::Config&) {
                      applied.push_back("first:" + next.log.level);
                  }});
    app.onReload(
        {"picky",
         [&](const daemon::Config&) {
             if (refuse) throw ConfigError("picky.key", "not today");
         },
         [&](const daemon::Config& next, const daemon::Config&) { applied.push_back("picky:" + next.log.level); }});
    auto level = spdlog::get_level();

    CHECK_FALSE(app.reload(configWith(s, {{"log.level", "trace"}})));
    CHECK(applied.empty());
    CHECK(app.config()->log.level == "info");
    CHECK(spdlog::get_level() == level);
    CHECK(app.notifier().statusLine() == "last reload rejected: picky.key: not today");

    refuse = false;
    CHECK(app.reload(configWith(s, {{"log.level", "warn"}})));
    CHECK(applied == std::vector<std::string>{"first:warn", "picky:warn"});
    CHECK(app.config()->log.level == "warn");
    CHECK(spdlog::get_level() == spdlog::level::warn);
    CHECK(app.notifier().statusLine().empty());
    CHECK(app.reload(configWith(s, {{"log.level", "info"}})));
    spdlog::set_level(level);
}

TEST_CASE("reload: settings only a restart changes keep their running values") {
    TestServer s(db::Driver::Sqlite);
    auto& app = s.app();
    std::uint16_t port = app.config()->server.port;
    auto pool = app.config()->database.poolSize;
    CHECK(app.reload(configWith(s, {{"server.listen", "127.0.0.1:1"}, {"database.pool_size", "3"}})));
    CHECK(app.config()->server.port == port);
    CHECK(app.config()->database.poolSize == pool);
    CHECK(s.client().get("/healthz").status == 200);

    daemon::Config a = *app.config();
    daemon::Config b = a;
    b.server.port = 1;
    b.database.url = "sqlite:///elsewhere.db";
    b.log.level = "debug";
    CHECK(daemon::restartOnlyChanges(a, b) == std::vector<std::string>{"server.listen", "database.url"});
}

TEST_CASE("stop hooks run once, in reverse order, after the HTTP server stopped") {
    auto s = std::make_unique<TestServer>(db::Driver::Sqlite);
    auto& app = s->app();
    std::vector<std::string> order;
    int port = s->port();
    app.onStop("sync", [&] {
        // The server no longer accepts requests when workers are told to stop.
        bool refused = false;
        try {
            refused = HttpClient(port).get("/healthz").status != 200;
        } catch (const std::exception&) {
            refused = true;
        }
        order.push_back(refused ? "sync(server down)" : "sync(server up)");
    });
    app.onStop("webhooks", [&] { order.push_back("webhooks"); });
    app.onStop("broken", [&] { throw std::runtime_error("boom"); });
    app.stop();
    CHECK(order == std::vector<std::string>{"webhooks", "sync(server down)"});
    app.stop();
    CHECK(order.size() == 2);
}
