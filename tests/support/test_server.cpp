#include "support/test_server.h"

#include <chrono>
#include <filesystem>

#include "daemon/config.h"
#include "support/process.h"
#include "support/test_database.h"

namespace rosterd::test {

TestServer::TestServer(db::Driver driver, std::map<std::string, std::string> settings, std::string databaseUrl)
    : driver_(driver),
      clock_(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
                 .count()) {
    dir_ = makeTempDir("rosterd-server");
    url_ = databaseUrl.empty() ? migratedDatabaseUrl(driver) : databaseUrl;
    daemon::ConfigReader reader;
    reader.set("server", "listen", "127.0.0.1:0");
    reader.set("database", "url", url_);
    reader.set("auth", "jwt_secret_file", dir_ + "/jwt_secret");
    reader.set("auth", "bcrypt_cost", "4");
    reader.set("sync", "interval", "0");  // tests trigger syncs themselves unless they set an interval  // tests
                                          // exercise the rules, not the hash's cost
    for (const auto& [full, value] : settings) {
        auto dot = full.rfind('.');
        reader.set(full.substr(0, dot), full.substr(dot + 1), value);
    }
    daemon::Config config = daemon::loadConfig(reader);
    app_ = std::make_unique<daemon::App>(std::move(config), clock_);
    app_->start();
}

TestServer::~TestServer() {
    app_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

std::vector<nlohmann::json> TestServer::events(const std::string& type) {
    return app_->store().transact([&](db::Transaction& tx) {
        std::vector<nlohmann::json> out;
        for (auto row : tx.exec("SELECT payload FROM outbox WHERE type = $1 ORDER BY seq", {type}))
            out.push_back(nlohmann::json::parse(row.str(0)));
        return out;
    });
}

}  // namespace rosterd::test
