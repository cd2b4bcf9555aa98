#pragma once
// Shared steps for the accounts tests: a server per driver, signing up and in.
#include <catch2/catch.hpp>

#include "support/test_server.h"

namespace rosterd::test {

inline std::string tokenOf(const HttpResult& r) {
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.json().at("token").get<std::string>();
}

inline HttpResult signup(const HttpClient& c, const std::string& name, const std::string& email,
                         const std::string& password = "correct horse") {
    return c.post("/api/v1/auths/signup", {{"name", name}, {"email", email}, {"password", password}});
}

inline HttpResult signin(const HttpClient& c, const std::string& email, const std::string& password = "correct horse") {
    return c.post("/api/v1/auths/signin", {{"email", email}, {"password", password}});
}

/// Creates a user through the admin API and returns its id.
inline std::string addUser(const HttpClient& c, const std::string& adminToken, const std::string& name,
                           const std::string& email, const std::string& role,
                           const std::string& password = "correct horse") {
    auto r = c.post("/api/v1/users/create", {{"name", name}, {"email", email}, {"password", password}, {"role", role}},
                    adminToken);
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.json().at("id").get<std::string>();
}

inline std::string detailOf(const HttpResult& r) {
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    return j.is_object() && j.contains("detail") ? j["detail"].get<std::string>() : r.body;
}

}  // namespace rosterd::test
