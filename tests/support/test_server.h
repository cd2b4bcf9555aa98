#pragma once
// rosterd's whole application in-process on a free port, on a fresh database of either driver.
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/clock.h"
#include "daemon/app.h"
#include "db/connection.h"
#include "support/http_client.h"

namespace rosterd::test {

class TestServer {
public:
    /// `settings` are "section.key" -> value, applied like INI entries.
    explicit TestServer(db::Driver driver, std::map<std::string, std::string> settings = {},
                        std::string databaseUrl = "");
    ~TestServer();
    daemon::App& app() { return *app_; }
    HttpClient client() const { return HttpClient(app_->port()); }
    int port() const { return app_->port(); }
    const std::string& databaseUrl() const { return url_; }
    const std::string& dataDir() const { return dir_; }
    /// The clock the application uses; tests move it instead of sleeping.
    ManualClock& clock() { return clock_; }
    db::Driver driver() const { return driver_; }
    /// The payloads of the outbox events of `type`, oldest first.
    std::vector<nlohmann::json> events(const std::string& type);

private:
    db::Driver driver_;
    std::string url_;
    std::string dir_;
    ManualClock clock_;
    std::unique_ptr<daemon::App> app_;
};

}  // namespace rosterd::test
