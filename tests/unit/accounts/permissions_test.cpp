#include "accounts/permissions.h"

#include <catch2/catch.hpp>
#include <string>

#include "common/errors.h"

using namespace rosterd;
using namespace rosterd::accounts;

TEST_CASE("the permission tree has Open WebUI's sections and defaults") {
    const auto& t = builtinPermissions();
    for (const char* section : {"workspace", "sharing", "chat", "features", "ui"}) CHECK(t.contains(section));
    CHECK(t.size() == 5);
    CHECK(t["workspace"]["models"] == false);
    CHECK(t["chat"]["controls"] == true);
    CHECK(t["chat"]["temporary_enforced"] == false);
    CHECK(t["features"]["web_search"] == true);
    CHECK(t["features"]["api_keys"] == false);
    CHECK(t["ui"]["interface_settings"] == true);
    CHECK_NOTHROW(validatePermissions(t));
}

TEST_CASE("permissions out of shape are refused naming the path") {
    CHECK_NOTHROW(validatePermissions(nlohmann::json::object()));
    CHECK_NOTHROW(validatePermissions({{"chat", {{"delete", false}}}}));
    CHECK_THROWS_WITH(validatePermissions({{"chat", {{"delete", "yes"}}}}), Catch::Contains("chat.delete"));
    CHECK_THROWS_WITH(validatePermissions({{"chat", {{"nope", true}}}}),
                      Catch::Contains("unknown permission 'chat.nope'"));
    CHECK_THROWS_WITH(validatePermissions({{"extra", {{"a", true}}}}),
                      Catch::Contains("unknown permission section 'extra'"));
    CHECK_THROWS_WITH(validatePermissions({{"chat", true}}), Catch::Contains("permissions.chat"));
    CHECK_THROWS_WITH(validatePermissions({{"chat", {{"delete", {{"deeper", true}}}}}}),
                      Catch::Contains("chat.delete"));
    CHECK_THROWS_AS(validatePermissions(nlohmann::json::array()), InvalidInput);
}

TEST_CASE("shaping keeps what fits and names the first thing dropped") {
    std::string dropped;
    auto p = shapePermissions({{"chat", {{"delete", true}, {"bogus", true}}}, {"x", 1}}, &dropped);
    CHECK(p == nlohmann::json({{"chat", {{"delete", true}}}}));
    CHECK_FALSE(dropped.empty());
    // A stored row nested far too deep reads as nothing, without a recursive walk.
    std::string deep;
    for (int i = 0; i < 20000; ++i) deep += "{\"chat\":";
    deep += "true";
    for (int i = 0; i < 20000; ++i) deep += "}";
    CHECK(storedPermissions(deep, "test row") == nlohmann::json::object());
    CHECK(storedPermissions("not json", "test row 2") == nlohmann::json::object());
    CHECK(storedPermissions(R"({"chat":{"delete":true,"x":{"y":1}}})", "test row 3") ==
          nlohmann::json({{"chat", {{"delete", true}}}}));
}

TEST_CASE("merging ORs the booleans; overlaying replaces them; admins hold everything") {
    nlohmann::json a = builtinPermissions();
    mergePermissions(a, {{"workspace", {{"models", true}}}, {"chat", {{"controls", false}}}, {"junk", true}});
    CHECK(a["workspace"]["models"] == true);
    CHECK(a["chat"]["controls"] == true);  // false in a group takes nothing away
    CHECK_FALSE(a.contains("junk"));
    overlayPermissions(a, {{"chat", {{"controls", false}}}});
    CHECK(a["chat"]["controls"] == false);
    auto all = grantAll(a);
    CHECK(all["workspace"]["tools"] == true);
    CHECK(all["ui"]["interface_settings"] == true);
}
