#include "accounts/validation.h"

#include <catch2/catch.hpp>
#include <string>

#include "common/errors.h"

using namespace rosterd;
using namespace rosterd::accounts;

TEST_CASE("names refuse control characters and invalid UTF-8, and count characters") {
    CHECK(normalizeName("  Ada  ") == "Ada");
    CHECK(normalizeName("\xc3\x89mile Zola") == "\xc3\x89mile Zola");
    CHECK_THROWS_WITH(normalizeName(std::string("A\0da", 4)), Catch::Contains("control characters (found U+0000)"));
    CHECK_THROWS_WITH(normalizeName("A\x1b[2Jda"), Catch::Contains("U+001B"));
    CHECK_THROWS_WITH(normalizeName("A\x7f"), Catch::Contains("U+007F"));
    CHECK_THROWS_WITH(normalizeName("A\xc2\x85z"), Catch::Contains("U+0085"));
    CHECK_THROWS_WITH(normalizeName("A\nB"), Catch::Contains("U+000A"));
    CHECK_THROWS_WITH(normalizeName("bad\xff"), Catch::Contains("not valid UTF-8"));
    std::string e255, e256;
    for (int i = 0; i < 255; ++i) e255 += "\xc3\xa9";  // 255 characters, 510 bytes
    e256 = e255 + "\xc3\xa9";
    CHECK(normalizeName(e255) == e255);
    CHECK_THROWS_WITH(normalizeName(e256), Catch::Contains("longer than 255 characters"));
    CHECK_NOTHROW(validateText("description", "line one\nline two\twith a tab", 100, true));
    CHECK_THROWS_AS(validateText("description", std::string("nul\0", 4), 100, true), InvalidInput);
}

TEST_CASE("emails fold case across Unicode and refuse control characters") {
    CHECK(normalizeEmail("  Ada@Example.COM ") == "ada@example.com");
    CHECK(normalizeEmail("\xc3\x89mile@example.org") == "\xc3\xa9mile@example.org");
    CHECK(normalizeEmail("\xc3\x89mile@example.org") == normalizeEmail("\xc3\xa9mile@example.org"));
    for (const char* bad :
         {"", "ada", "@example.com", "ada@", "ada@example", "a b@example.com", "a@b@example.com", "ada@example..com",
          "ad\xc2\x85"
          "a@example.com",
          "ada\xff@example.com"})
        CHECK_THROWS_AS(normalizeEmail(bad), InvalidInput);
    CHECK_THROWS_AS(normalizeEmail(std::string("ada\0@example.com", 16)), InvalidInput);
    CHECK_THROWS_AS(normalizeEmail("x\n[info] forged@example.com"), InvalidInput);
}

TEST_CASE("profile image URLs: http(s), bounded data:image, or the default") {
    for (const char* ok : {"", "/user.png", "https://cdn.example.com/a.png", "HTTP://example.com/x?y=1#z",
                           "data:image/png;base64,iVBORw0KGgo=", "data:image/webp;base64,AAAA"})
        CHECK_NOTHROW(validateProfileImageUrl(ok));
    for (const char* bad : {"javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html;base64,PGI+",
                            "data:image/svg+xml;base64,PHN2Zz4=", "data:image/png,rawbytes",
                            "data:image/png;base64,@@@@", "https://", "https:///path", "http://exa mple.com/",
                            "ftp://example.com/a.png", "/etc/passwd", "https://example.com/\x01"})
        CHECK_THROWS_AS(validateProfileImageUrl(bad), InvalidInput);
    CHECK_THROWS_WITH(validateProfileImageUrl("https://example.com/" + std::string(2100, 'a')),
                      Catch::Contains("longer than 2048 characters"));
    CHECK_THROWS_WITH(validateProfileImageUrl("data:image/png;base64," + std::string(900 * 1024, 'A')),
                      Catch::Contains("256 KiB"));
}
