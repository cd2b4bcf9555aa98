#pragma once
// Shared steps of the in-process reload tests: configurations for a TestServer and a slapd, and
// the requests the tests make.
#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "daemon/config.h"
#include "support/ldap_settings.h"
#include "support/slapd_server.h"
#include "support/test_server.h"

namespace rosterd::test {

/// [ldap] settings for `slapd` (enabled, service bind, bases), with `extra` on top.
inline std::map<std::string, std::string> ldapSettings(const SlapdServer& slapd,
                                                       std::map<std::string, std::string> extra = {}) {
    extra.emplace("sync.max_deactivation_percent", "100");
    return slapdSettings(slapd, std::move(extra));
}

/// The configuration a reload would read: the server's own basics plus `settings`, like TestServer.
inline daemon::Config reloadConfig(const TestServer& s, const std::map<std::string, std::string>& settings) {
    daemon::ConfigReader r;
    r.set("server", "listen", "127.0.0.1:0");
    r.set("database", "url", s.databaseUrl());
    r.set("auth", "jwt_secret_file", s.dataDir() + "/jwt_secret");
    r.set("auth", "bcrypt_cost", "4");
    r.set("sync", "interval", "0");
    for (const auto& [full, value] : settings) {
        auto dot = full.rfind('.');
        r.set(full.substr(0, dot), full.substr(dot + 1), value);
    }
    return daemon::loadConfig(r);
}

inline HttpResult ldapLogin(const HttpClient& c, const std::string& user, const std::string& password) {
    return c.post("/api/v1/auths/ldap", {{"user", user}, {"password", password}});
}

/// Signs up the first (hence admin) local account and returns its token.
inline std::string firstAdmin(const HttpClient& c, const std::string& email = "admin@local.example") {
    auto r = c.post("/api/v1/auths/signup", {{"name", "Admin"}, {"email", email}, {"password", "correct horse"}});
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.json().at("token").get<std::string>();
}

/// GET /api/v1/sync/status as `token`.
inline nlohmann::json syncStatus(const HttpClient& c, const std::string& token) {
    auto r = c.get("/api/v1/sync/status", token);
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.json();
}

}  // namespace rosterd::test
