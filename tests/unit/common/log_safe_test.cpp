#include "common/log_safe.h"

#include <catch2/catch.hpp>
#include <string>

using rosterd::logSafe;

TEST_CASE("logSafe escapes line breaks, control characters and invalid UTF-8") {
    CHECK(logSafe("ada@example.com") == "ada@example.com");
    CHECK(logSafe("x\n[info] forged") == "x\\n[info] forged");
    CHECK(logSafe("a\r\tb") == "a\\r\\tb");
    CHECK(logSafe(std::string("nul\0here", 8)) == "nul\\x00here");
    CHECK(logSafe("\x1b[31mred") == "\\x1b[31mred");
    CHECK(logSafe("del\x7f") == "del\\x7f");
    CHECK(logSafe("c1\xc2\x85") == "c1\\xc2\\x85");                              // U+0085 NEXT LINE
    CHECK(logSafe("bad\xff\xfe") == "bad\\xff\\xfe");                            // not UTF-8
    CHECK(logSafe("cut\xc3") == "cut\\xc3");                                     // a truncated sequence
    CHECK(logSafe("over\xc0\xaf") == "over\\xc0\\xaf");                          // an overlong '/'
    CHECK(logSafe("back\\slash") == "back\\\\slash");                            // so an escape cannot be faked
    CHECK(logSafe("\xc3\x89mile \xe2\x82\xac") == "\xc3\x89mile \xe2\x82\xac");  // Émile €: kept as is
}

TEST_CASE("logSafe caps long values and says how much it left out") {
    std::string big(900 * 1024, 'a');
    std::string out = logSafe(big);
    CHECK(out == std::string(256, 'a') + "\xe2\x80\xa6(+" + std::to_string(big.size() - 256) + " bytes)");
    CHECK(logSafe("abcdef", 3) == "abc\xe2\x80\xa6(+3 bytes)");
    // Never cuts a character in two: "é" is two bytes and would cross the cap of 3.
    CHECK(logSafe("ab\xc3\xa9z", 3) == "ab\xe2\x80\xa6(+3 bytes)");
    CHECK(logSafe("abc", 3) == "abc");
}
