#include "common/json_parse.h"

#include <catch2/catch.hpp>
#include <string>

#include "common/errors.h"

using namespace rosterd;

namespace {
std::string nested(int levels, const char* open = "{\"a\":", const char* leaf = "true", const char* close = "}") {
    std::string s;
    for (int i = 0; i < levels; ++i) s += open;
    s += leaf;
    for (int i = 0; i < levels; ++i) s += close;
    return s;
}
}  // namespace

TEST_CASE("parseJson refuses nesting deeper than the limit while parsing") {
    CHECK_NOTHROW(parseJson(nested(32)));
    CHECK_THROWS_WITH(parseJson(nested(33)), "JSON nested deeper than 32 levels");
    CHECK_THROWS_WITH(parseJson(nested(200000)), "JSON nested deeper than 32 levels");  // no stack blow-up
    CHECK_THROWS_WITH(parseJson(nested(100, "[", "1", "]")), "JSON nested deeper than 32 levels");
    // Unbalanced input is refused as deep too, before the parser would find the missing brackets.
    CHECK_THROWS_WITH(parseJson(std::string(1'000'000, '[')), "JSON nested deeper than 32 levels");
    CHECK_THROWS_WITH(parseJson("{\"a\":"), "request body is not valid JSON");
    CHECK(parseJson(nested(3), 3).is_object());
    CHECK_THROWS_AS(parseJson(nested(4), 3), InvalidInput);
}

TEST_CASE("storedObject reads a stored document as an object, and anything else as {}") {
    CHECK(storedObject(R"({"theme":"dark","n":[1,2]})") == nlohmann::json{{"theme", "dark"}, {"n", {1, 2}}});
    CHECK(storedObject(nested(32)).is_object());
    for (const std::string& bad : {std::string("[1,2]"), std::string("\"text\""), std::string("null"),
                                   std::string("{\"a\":"), std::string(""), nested(33)}) {
        INFO(bad.substr(0, 40));
        CHECK(storedObject(bad) == nlohmann::json::object());
    }
}
