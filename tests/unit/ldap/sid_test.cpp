#include "ldap/sid.h"

#include <catch2/catch.hpp>

using namespace rosterd::ldap;

namespace {

// S-1-5-21-1004336348-1177238915-682003330-513 as AD stores it.
std::string domainUsers() {
    return std::string(
        "\x01\x05\x00\x00\x00\x00\x00\x05"
        "\x15\x00\x00\x00"
        "\xdc\xf4\xdc\x3b"
        "\x83\x3d\x2b\x46"
        "\x82\x8b\xa6\x28"
        "\x01\x02\x00\x00",
        28);
}

}  // namespace

TEST_CASE("sid: a domain group's SID splits into its domain and RID") {
    auto sid = parseSid(domainUsers());
    REQUIRE(sid);
    CHECK(sid->domain == "S-1-5-21-1004336348-1177238915-682003330");
    CHECK(sid->rid == 513);
    CHECK(sid->text() == "S-1-5-21-1004336348-1177238915-682003330-513");
    auto other = parseSid(withRid(domainUsers(), 1105));
    REQUIRE(other);
    CHECK(other->domain == sid->domain);
    CHECK(other->rid == 1105);
}

TEST_CASE("sid: a well-known SID with one sub-authority, and the 15 allowed") {
    auto system = parseSid(std::string("\x01\x01\x00\x00\x00\x00\x00\x05\x12\x00\x00\x00", 12));  // S-1-5-18
    REQUIRE(system);
    CHECK(system->domain == "S-1-5");
    CHECK(system->rid == 18);
    std::string fifteen("\x01\x0f\x00\x00\x00\x00\x00\x05", 8);
    fifteen += std::string(4 * 15, '\x01');
    CHECK(parseSid(fifteen));
}

TEST_CASE("sid: malformed values are refused") {
    const std::string good = domainUsers();
    CHECK_FALSE(parseSid(""));
    CHECK_FALSE(parseSid(good.substr(0, 7)));                // shorter than the header
    CHECK_FALSE(parseSid(good.substr(0, good.size() - 1)));  // a sub-authority cut short
    CHECK_FALSE(parseSid(good + std::string(4, '\0')));      // more bytes than the count says
    std::string revision = good;
    revision[0] = 2;
    CHECK_FALSE(parseSid(revision));
    std::string none("\x01\x00\x00\x00\x00\x00\x00\x05", 8);  // no sub-authority, so no RID
    CHECK_FALSE(parseSid(none));
    std::string sixteen("\x01\x10\x00\x00\x00\x00\x00\x05", 8);
    sixteen += std::string(4 * 16, '\x01');
    CHECK_FALSE(parseSid(sixteen));
}

TEST_CASE("sid: primaryGroupID is a decimal 32-bit RID") {
    CHECK(parseRid("513") == 513u);
    CHECK(parseRid("4294967295") == 4294967295u);
    CHECK_FALSE(parseRid(""));
    CHECK_FALSE(parseRid("4294967296"));
    CHECK_FALSE(parseRid("-1"));
    CHECK_FALSE(parseRid("513 "));
    CHECK_FALSE(parseRid("0x201"));
}
