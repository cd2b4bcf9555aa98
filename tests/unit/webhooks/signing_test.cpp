#include <catch2/catch.hpp>

#include "webhooks/signature.h"

using namespace rosterd::webhooks;

TEST_CASE("signatures match the Standard Webhooks reference vector") {
    // From the Standard Webhooks reference libraries' tests.
    std::string key = decodeSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    CHECK(key.size() == 24);
    CHECK(signatureHeader(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, R"({"test": 2432232314})") ==
          "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    // Any change to id, timestamp or body changes the signature.
    CHECK(signatureHeader(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265331, R"({"test": 2432232314})") !=
          "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    CHECK(signatureHeader(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, R"({"test": 2432232315})") !=
          "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST_CASE("malformed secrets are refused with the reason") {
    CHECK_THROWS_WITH(decodeSecret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), Catch::Contains("whsec_"));
    CHECK_THROWS_WITH(decodeSecret("whsec_not base64!"), Catch::Contains("base64"));
    CHECK_THROWS_WITH(decodeSecret("whsec_c2hvcnQ="), Catch::Contains("16 bytes"));
    CHECK_THROWS(decodeSecret("whsec_"));
}
