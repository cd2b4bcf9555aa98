#pragma once
// Replays requests as Open WebUI's frontend API functions (src/lib/apis/{auths,users,groups,
// configs}) send them: same method, path, query and body, `Content-Type: application/json` on every
// call (GETs included) and the token as a bearer header.
#include <catch2/catch.hpp>
#include <string>

#include "support/test_server.h"

namespace rosterd::test {

/// A call as the frontend makes it.
inline HttpResult owui(const HttpClient& c, const std::string& method, const std::string& path,
                       const std::string& token = "", const nlohmann::json& body = nullptr) {
    return c.request(method, path, body.is_null() ? "" : body.dump(), token);
}

/// The JSON answer of a call that must succeed.
inline nlohmann::json ok(const HttpResult& r) {
    INFO(r.status << " " << r.body);
    REQUIRE(r.status == 200);
    return r.json();
}

inline std::string detailOf(const HttpResult& r) {
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    return j.is_object() && j.contains("detail") ? j["detail"].get<std::string>() : r.body;
}

/// Signs up (the first account is the primary admin) and returns the token.
inline std::string signupToken(const HttpClient& c, const std::string& name, const std::string& email) {
    auto j = ok(owui(c, "POST", "/api/v1/auths/signup", "",
                     {{"name", name}, {"email", email}, {"password", "correct horse"}, {"profile_image_url", ""}}));
    return j.at("token").get<std::string>();
}

inline std::string signinToken(const HttpClient& c, const std::string& email) {
    auto j = ok(owui(c, "POST", "/api/v1/auths/signin", "", {{"email", email}, {"password", "correct horse"}}));
    return j.at("token").get<std::string>();
}

/// The admin page's form as Open WebUI's AdminConfig model has it, with the given changes.
inline nlohmann::json adminForm(const nlohmann::json& changes = nlohmann::json::object()) {
    nlohmann::json form = {{"SHOW_ADMIN_DETAILS", true},
                           {"WEBUI_URL", "https://chat.example.com"},
                           {"ENABLE_SIGNUP", false},
                           {"ENABLE_API_KEY", true},
                           {"ENABLE_API_KEY_ENDPOINT_RESTRICTIONS", false},
                           {"API_KEY_ALLOWED_ENDPOINTS", ""},
                           {"DEFAULT_USER_ROLE", "pending"},
                           {"JWT_EXPIRES_IN", "4w"},
                           {"ENABLE_COMMUNITY_SHARING", true},
                           {"ENABLE_MESSAGE_RATING", true},
                           {"ENABLE_CHANNELS", false},
                           {"ENABLE_NOTES", true},
                           {"ENABLE_USER_WEBHOOKS", true},
                           {"PENDING_USER_OVERLAY_TITLE", nullptr},
                           {"PENDING_USER_OVERLAY_CONTENT", nullptr},
                           {"RESPONSE_WATERMARK", nullptr}};
    form.update(changes);
    return form;
}

/// The admin page's LDAP server form (Open WebUI's LdapServerConfig) for ldaps://ldap.example.com:636,
/// with the bind password "s3cret-bind-pw".
inline nlohmann::json ldapServerForm() {
    return {{"label", "Corp"},
            {"host", "ldap.example.com"},
            {"port", 636},
            {"attribute_for_mail", "mail"},
            {"attribute_for_username", "uid"},
            {"app_dn", "cn=rosterd,ou=services,dc=example,dc=com"},
            {"app_dn_password", "s3cret-bind-pw"},
            {"search_base", "ou=people,dc=example,dc=com"},
            {"search_filters", "(objectClass=person)"},
            {"use_tls", true},
            {"certificate_path", nullptr},
            {"validate_cert", true},
            {"ciphers", "ALL"}};
}

}  // namespace rosterd::test
