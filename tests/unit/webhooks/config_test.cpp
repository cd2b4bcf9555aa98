#include "daemon/config.h"

#include <catch2/catch.hpp>

#include "common/errors.h"
#include "support/process.h"

using namespace rosterd;
using namespace std::chrono_literals;

namespace {

struct Fixture {
    std::string dir = test::makeTempDir("rosterd-whcfg");
    std::string secretFile = dir + "/secret";
    Fixture() { test::writeFile(secretFile, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n"); }
    daemon::ConfigReader reader() const {
        daemon::ConfigReader r;
        r.set("auth", "jwt_secret_file", dir + "/jwt");
        r.set("webhook.audit", "url", "https://hooks.example.com/in");
        r.set("webhook.audit", "secret_file", secretFile);
        return r;
    }
};

std::string errorOf(daemon::ConfigReader r) {
    try {
        daemon::loadConfig(r);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("webhook settings have the documented defaults") {
    Fixture f;
    auto r = f.reader();
    auto c = daemon::loadConfig(r);
    CHECK(c.webhooks.retention == 7 * 24h);
    CHECK(c.webhooks.backoffInitial == 5s);
    CHECK(c.webhooks.backoffMax == 1h);
    CHECK(c.webhooks.retryFor == 3 * 24h);
    REQUIRE(c.webhooks.endpoints.size() == 1);
    const auto& e = c.webhooks.endpoints[0];
    CHECK(e.name == "audit");
    CHECK(e.events == std::vector<std::string>{"*"});
    CHECK(e.format == webhooks::Format::Standard);
    CHECK(e.timeout == 10s);
    CHECK(e.secret.size() == 24);
    CHECK(e.caFile.empty());
}

TEST_CASE("every [webhook.NAME] key is read and validated") {
    Fixture f;
    auto r = f.reader();
    r.set("webhook.audit", "events", "user.*, group.deleted");
    r.set("webhook.audit", "timeout", "3s");
    r.set("webhook.audit", "ca_file", f.secretFile);  // any existing file will do for the check
    r.set("webhook.chat", "url", "https://hooks.slack.com/services/x");
    r.set("webhook.chat", "format", "slack");
    r.set("webhooks", "retention", "2d");
    r.set("webhooks", "workers", "2");
    auto c = daemon::loadConfig(r);
    REQUIRE(c.webhooks.endpoints.size() == 2);
    CHECK(c.webhooks.endpoints[0].events == std::vector<std::string>{"user.*", "group.deleted"});
    CHECK(c.webhooks.endpoints[0].timeout == 3s);
    CHECK(c.webhooks.endpoints[1].name == "chat");
    CHECK(c.webhooks.endpoints[1].secret.empty());
    CHECK(c.webhooks.retention == 48h);
    CHECK(c.webhooks.workers == 2);
}

TEST_CASE("bad webhook settings are refused naming the key") {
    Fixture f;
    auto with = [&](const std::string& section, const std::string& key, const std::string& value) {
        auto r = f.reader();
        r.set(section, key, value);
        return errorOf(std::move(r));
    };
    CHECK_THAT(with("webhook.audit", "colour", "blue"), Catch::StartsWith("webhook.audit.colour: unknown key"));
    CHECK_THAT(with("webhooks", "speed", "1"), Catch::StartsWith("webhooks.speed: unknown key"));
    CHECK_THAT(with("webhook.audit", "format", "xml"), Catch::StartsWith("webhook.audit.format:"));
    CHECK_THAT(with("webhook.audit", "events", "user.*, nothing.*"), Catch::StartsWith("webhook.audit.events:"));
    CHECK_THAT(with("webhook.audit", "url", "ftp://x/"), Catch::StartsWith("webhook.audit.url:"));
    CHECK_THAT(with("webhook.audit", "timeout", "0s"), Catch::StartsWith("webhook.audit.timeout:"));
    CHECK_THAT(with("webhook.audit", "ca_file", f.dir + "/missing.pem"), Catch::StartsWith("webhook.audit.ca_file:"));
    CHECK_THAT(with("webhook.audit", "secret_file", f.dir + "/missing"),
               Catch::StartsWith("webhook.audit.secret_file: cannot read"));
    CHECK_THAT(with("webhook.bad name", "url", "http://x/"), Catch::StartsWith("webhook.bad name:"));
    CHECK_THAT(with("webhook.plain", "url", "http://x/"), Catch::StartsWith("webhook.plain.secret_file: is required"));
    CHECK_THAT(with("webhooks", "backoff_max", "1s"), Catch::StartsWith("webhooks.backoff_max:"));
    CHECK_THAT(with("webhooks", "workers", "0"), Catch::StartsWith("webhooks.workers:"));

    test::writeFile(f.secretFile, "not-a-secret");
    std::string err = errorOf(f.reader());
    CHECK_THAT(err, Catch::StartsWith("webhook.audit.secret_file:"));
    CHECK(err.find("not-a-secret") == std::string::npos);  // the file's content is never echoed
}
