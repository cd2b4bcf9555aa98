// GET /metrics: valid Prometheus text format with the HTTP, sign-in and store pool series.
#include <catch2/catch.hpp>
#include <cstring>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include "support/test_database.h"
#include "support/test_server.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

struct Sample {
    std::string name;
    std::map<std::string, std::string> labels;
    double value = 0;
};

struct Exposition {
    std::map<std::string, std::string> types;  ///< family -> counter/gauge/histogram/untyped
    std::vector<Sample> samples;

    /// The value of the one sample with this name and these labels (others may be present).
    std::optional<double> find(const std::string& name, const std::map<std::string, std::string>& want) const {
        for (const auto& s : samples) {
            if (s.name != name) continue;
            bool all = true;
            for (const auto& [k, v] : want) {
                auto it = s.labels.find(k);
                if (it == s.labels.end() || it->second != v) all = false;
            }
            if (all) return s.value;
        }
        return std::nullopt;
    }
};

/// Parses the text format (version 0.0.4) strictly; any line that does not fit fails the test.
Exposition parse(const std::string& text) {
    static const std::regex help(R"(# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*)");
    static const std::regex type(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped))");
    static const std::regex sample(
        R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? ([-+]?(?:[0-9.]+(?:e[-+]?[0-9]+)?|Inf|NaN)))");
    static const std::regex label(R"re(([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$))re");
    Exposition e;
    std::istringstream in(text);
    std::string line;
    REQUIRE(!text.empty());
    REQUIRE(text.back() == '\n');
    while (std::getline(in, line)) {
        INFO("line: " << line);
        std::smatch m;
        if (std::regex_match(line, m, type)) {
            CHECK(e.types.count(m[1]) == 0);  // one TYPE per family
            e.types[m[1]] = m[2];
            continue;
        }
        if (std::regex_match(line, help)) continue;
        REQUIRE(std::regex_match(line, m, sample));
        Sample s;
        s.name = m[1];
        s.value = std::stod(m[4].str() == "+Inf" ? "inf" : m[4].str());
        std::string labels = m[3];
        auto begin = std::sregex_iterator(labels.begin(), labels.end(), label);
        std::size_t consumed = 0;
        for (auto it = begin; it != std::sregex_iterator(); ++it) {
            CHECK(static_cast<std::size_t>(it->position()) == consumed);
            consumed += static_cast<std::size_t>(it->length());
            s.labels[(*it)[1]] = (*it)[2];
        }
        CHECK(consumed == labels.size());
        // The family must have been declared before its samples.
        std::string family = s.name;
        for (const char* suffix : {"_bucket", "_sum", "_count"})
            if (!e.types.count(family) && family.size() > std::strlen(suffix) &&
                family.compare(family.size() - std::strlen(suffix), std::string::npos, suffix) == 0)
                family = family.substr(0, family.size() - std::strlen(suffix));
        CHECK(e.types.count(family) == 1);
        e.samples.push_back(std::move(s));
    }
    return e;
}

}  // namespace

TEST_CASE("/metrics is valid Prometheus text with HTTP, sign-in and store pool series") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer s(driver);
    auto c = s.client();
    REQUIRE(c.get("/healthz").status == 200);
    REQUIRE(c.get("/healthz").status == 200);
    REQUIRE(c.get("/no/such/route").status == 404);
    REQUIRE(
        c.post("/api/v1/auths/signup", {{"name", "Ada"}, {"email", "ada@example.com"}, {"password", "correct horse"}})
            .status == 200);
    REQUIRE(c.post("/api/v1/auths/signin", {{"email", "ada@example.com"}, {"password", "wrong horse!"}}).status != 200);

    auto r = c.get("/metrics");
    REQUIRE(r.status == 200);
    CHECK(r.header("content-type").rfind("text/plain; version=0.0.4", 0) == 0);
    Exposition e = parse(r.body);

    CHECK(e.types["rosterd_http_requests_total"] == "counter");
    CHECK(e.find("rosterd_http_requests_total", {{"method", "GET"}, {"route", "/healthz"}, {"status", "200"}}) == 2);
    CHECK(e.find("rosterd_http_requests_total", {{"route", "unmatched"}, {"status", "404"}}) == 1);
    CHECK(e.types["rosterd_http_request_duration_seconds"] == "histogram");
    auto count = e.find("rosterd_http_request_duration_seconds_count", {{"route", "/healthz"}});
    CHECK(count == 2);
    CHECK(e.find("rosterd_http_request_duration_seconds_bucket", {{"route", "/healthz"}, {"le", "+Inf"}}) == 2);
    // Buckets are cumulative.
    double last = 0;
    for (const auto& smp : e.samples)
        if (smp.name == "rosterd_http_request_duration_seconds_bucket" && smp.labels.at("route") == "/healthz") {
            CHECK(smp.value >= last);
            last = smp.value;
        }
    CHECK(e.types["rosterd_http_requests_in_flight"] == "gauge");
    CHECK(e.find("rosterd_http_requests_in_flight", {}) == 1);  // this scrape

    CHECK(e.types["rosterd_signins_total"] == "counter");
    CHECK(e.find("rosterd_signins_total", {{"method", "password"}, {"result", "failure"}}) == 1);
    CHECK(e.find("rosterd_signins_total", {{"method", "signup"}, {"result", "success"}}) == 1);

    CHECK(e.types["rosterd_store_pool_connections"] == "gauge");
    auto max = e.find("rosterd_store_pool_connections", {{"state", "max"}});
    REQUIRE(max);
    CHECK(*max == static_cast<double>(s.app().config()->database.poolSize));
    auto open = e.find("rosterd_store_pool_connections", {{"state", "open"}});
    REQUIRE(open);
    CHECK(*open >= 1);
    CHECK(*open <= *max);
    CHECK(e.find("rosterd_store_pool_connections", {{"state", "in_use"}}).has_value());
}

TEST_CASE("routes nobody registered get a JSON 404; known paths with another method a JSON 405") {
    TestServer s(db::Driver::Sqlite);
    auto c = s.client();
    auto missing = c.get("/api/v1/nothing");
    CHECK(missing.status == 404);
    CHECK(missing.header("content-type").find("application/json") != std::string::npos);
    CHECK(missing.json()["detail"] == "no route for GET /api/v1/nothing");
    auto wrong = c.request("DELETE", "/metrics");
    CHECK(wrong.status == 405);
    CHECK(wrong.json()["detail"].get<std::string>().find("DELETE") != std::string::npos);
}
