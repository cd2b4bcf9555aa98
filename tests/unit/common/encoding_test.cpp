#include "common/encoding.h"

#include <catch2/catch.hpp>
#include <chrono>

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

TEST_CASE("time-ordered UUIDs are version 7, distinct, and start with their creation time") {
    auto nowMs = [] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    };
    const long long before = nowMs();
    std::string a = newTimeOrderedUuid(), b = newTimeOrderedUuid();
    const long long after = nowMs();
    REQUIRE(a.size() == 36);
    CHECK(a != b);
    CHECK(a[14] == '7');
    CHECK(std::string("89ab").find(a[19]) != std::string::npos);
    // The first 48 bits are the Unix time in milliseconds, so keys made later sort later.
    const long long stamp = std::stoll(a.substr(0, 8) + a.substr(9, 4), nullptr, 16);
    CHECK(stamp >= before);
    CHECK(stamp <= after);
}

TEST_CASE("constant-time comparison") {
    CHECK(constantTimeEquals("abc", "abc"));
    CHECK_FALSE(constantTimeEquals("abc", "abd"));
    CHECK_FALSE(constantTimeEquals("abc", "abcd"));
}
