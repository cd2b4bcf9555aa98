#include <catch2/catch.hpp>

#include "common/encoding.h"
#include "common/random.h"

using namespace rosterd;

TEST_CASE("base64 round-trips and matches known vectors") {
    CHECK(base64Encode("foobar") == "Zm9vYmFy");
    CHECK(base64Encode("fo") == "Zm8=");
    CHECK(base64Decode("Zm8=") == "fo");
    CHECK(base64Decode("Zm9vYmE=") == "fooba");
    CHECK_THROWS(base64Decode("abc"));
    CHECK(base64UrlEncode(std::string("\xfb\xff", 2)) == "-_8");
}

TEST_CASE("HMAC-SHA256 matches RFC 4231 test case 2") {
    CHECK(hexEncode(hmacSha256("Jefe", "what do ya want for nothing?")) ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("UUIDs are version 4 and distinct") {
    std::string a = newUuid(), b = newUuid();
    CHECK(a != b);
    REQUIRE(a.size() == 36);
    CHECK(a[14] == '4');
    CHECK(std::string("89ab").find(a[19]) != std::string::npos);
}

TEST_CASE("constant-time comparison") {
    CHECK(constantTimeEquals("abc", "abc"));
    CHECK_FALSE(constantTimeEquals("abc", "abd"));
    CHECK_FALSE(constantTimeEquals("abc", "abcd"));
}
