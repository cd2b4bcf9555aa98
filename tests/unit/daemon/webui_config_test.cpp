// Open WebUI's setting forms over rosterd's configuration, and stored settings over the INI.
#include "daemon/webui_config.h"

#include <catch2/catch.hpp>
#include <cstdlib>

#include "common/errors.h"
#include "daemon/config.h"

using namespace rosterd;
using namespace rosterd::daemon;

TEST_CASE("webui config: the LDAP server form maps to [ldap] keys; the password stays write-only") {
    nlohmann::json form = {{"label", "Corp"},
                           {"host", "dir.example.com"},
                           {"port", 389},
                           {"attribute_for_mail", "mail"},
                           {"attribute_for_username", "sAMAccountName"},
                           {"app_dn", "cn=svc,dc=example,dc=com"},
                           {"app_dn_password", ""},
                           {"search_base", "dc=example,dc=com"},
                           {"search_filters", ""},
                           {"use_tls", false},
                           {"certificate_path", nullptr},
                           {"validate_cert", false},
                           {"ciphers", "ALL"}};
    auto changes = ldapServerChanges(form);
    CHECK(changes.at("ldap.url") == "ldap://dir.example.com:389");
    CHECK(changes.at("ldap.username_attribute") == "sAMAccountName");
    CHECK(changes.at("ldap.tls_verify") == "false");
    CHECK(changes.count("ldap.bind_password") == 0);  // empty: keep the stored one
    CHECK(changes.count("ldap.user_filter") == 0);    // empty: keep the configured filter
    CHECK(changes.count("ldap.ca_file") == 0);

    Config c;
    c.ldap.urls = {"ldaps://dir.example.com:636"};
    c.ldap.bindDn = "cn=svc,dc=example,dc=com";
    auto page = ldapServerJson(c, {});
    CHECK(page["host"] == "dir.example.com");
    CHECK(page["port"] == 636);
    CHECK(page["use_tls"] == true);
    CHECK(page["app_dn_password"] == "");
    CHECK(page["label"] == "LDAP");

    form["port"] = 70000;
    CHECK_THROWS_AS(ldapServerChanges(form), InvalidInput);
    form["port"] = nullptr;
    form["search_base"] = "";
    CHECK_THROWS_WITH(ldapServerChanges(form), "Required field search_base is empty");
}

TEST_CASE("webui config: the admin form keeps the page's own fields as JSON and types every field") {
    auto changes = adminConfigChanges({{"SHOW_ADMIN_DETAILS", false},
                                       {"ENABLE_SIGNUP", true},
                                       {"DEFAULT_USER_ROLE", "user"},
                                       {"JWT_EXPIRES_IN", "-1"},
                                       {"WEBUI_URL", "https://x"},
                                       {"RESPONSE_WATERMARK", nullptr}});
    CHECK(changes.at("auth.enable_signup") == "true");
    CHECK(changes.at("auth.show_admin_details") == "false");
    CHECK(changes.at("webui.webui_url") == "\"https://x\"");
    CHECK(changes.at("webui.response_watermark") == "null");
    Config c;
    auto page = adminConfigJson(c, changes);
    CHECK(page["WEBUI_URL"] == "https://x");
    CHECK(page["RESPONSE_WATERMARK"].is_null());
    CHECK(page["ENABLE_SIGNUP"] == false);  // rosterd's settings come from the configuration
    CHECK(page["JWT_EXPIRES_IN"] == "4w");
    CHECK_THROWS_AS(adminConfigChanges({{"SHOW_ADMIN_DETAILS", "no"}}), InvalidInput);
    CHECK_THROWS_AS(adminConfigChanges({{"SHOW_ADMIN_DETAILS", true},
                                        {"ENABLE_SIGNUP", true},
                                        {"DEFAULT_USER_ROLE", "user"},
                                        {"JWT_EXPIRES_IN", "1h"},
                                        {"ENABLE_CHANNELS", "yes"}}),
                    InvalidInput);
}

TEST_CASE("stored settings go on top of the INI and the environment, validated like check-config") {
    ConfigReader r;
    r.set("auth", "default_user_role", "pending");
    r.set("log", "level", "warn");
    Config ini = loadConfig(r);
    ::setenv("ROSTERD_AUTH_ENABLE_SIGNUP", "false", 1);
    Config c = withOverrides(ini, {{"auth.default_user_role", "user"}, {"auth.enable_signup", "true"}});
    ::unsetenv("ROSTERD_AUTH_ENABLE_SIGNUP");
    CHECK(c.auth.defaultUserRole == "user");
    CHECK(c.auth.enableSignup);
    CHECK(c.log.level == "warn");  // the rest of the INI as it was
    CHECK_THROWS_WITH(withOverrides(ini, {{"auth.default_user_role", "owner"}}),
                      Catch::Contains("auth.default_user_role"));
    CHECK_THROWS_WITH(withOverrides(ini, {{"ldap.user_filter", "uid=*"}}), Catch::Contains("ldap.user_filter"));
}
