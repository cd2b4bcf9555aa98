#include "common/case_fold.h"

#include <catch2/catch.hpp>

#include "common/utf8.h"

using namespace rosterd;

TEST_CASE("foldCase folds all of Unicode, not only ASCII") {
    CHECK(foldCase("Ada@Example.COM") == "ada@example.com");
    CHECK(foldCase("\xc3\x89mile@x.org") == "\xc3\xa9mile@x.org");   // Émile -> émile
    CHECK(foldCase("E\xcc\x81mile@x.org") == "\xc3\xa9mile@x.org");  // decomposed É -> composed é
    CHECK(foldCase("\xce\xa3\xce\x9f\xce\xa6\xce\x99\xce\x91") ==
          foldCase("\xcf\x83\xce\xbf\xcf\x86\xce\xb9\xce\xb1"));  // ΣΟΦΙΑ / σοφια
    CHECK(foldCase("\xd0\x90\xd0\xbd\xd0\xbd\xd0\xb0") == "\xd0\xb0\xd0\xbd\xd0\xbd\xd0\xb0");  // Анна
    CHECK(foldCase("bad\xff") == "bad\xff");                                                    // not UTF-8: bytes kept
}

TEST_CASE("utf8 decoding is strict and counts code points") {
    CHECK(utf8::length("\xc3\xa9t\xc3\xa9") == 3u);
    CHECK(utf8::length("\xf0\x9f\x98\x80") == 1u);
    CHECK_FALSE(utf8::length("\xc0\x80").has_value());          // overlong NUL
    CHECK_FALSE(utf8::length("\xed\xa0\x80").has_value());      // a surrogate
    CHECK_FALSE(utf8::length("\xf4\x90\x80\x80").has_value());  // above U+10FFFF
    CHECK_FALSE(utf8::length("\xe2\x82").has_value());          // truncated
    CHECK(utf8::isControl(0));
    CHECK(utf8::isControl(0x7F));
    CHECK(utf8::isControl(0x9F));
    CHECK_FALSE(utf8::isControl(0xA0));
}
