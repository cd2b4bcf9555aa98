// Configured attribute names must be attribute descriptions: nothing that reads as filter syntax.
#include "ldap/attribute_name.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using rosterd::ldap::isAttributeDescription;

TEST_CASE("attribute names: descriptors, numeric OIDs and options pass") {
    for (const char* ok : {"uid", "mail", "sAMAccountName", "objectGUID", "x-custom-1", "2.5.4.3", "0.9.2342",
                           "userCertificate;binary", "cn;lang-en;x-1"}) {
        INFO(ok);
        CHECK(isAttributeDescription(ok));
    }
}

TEST_CASE("attribute names: filter syntax, spaces, NUL and malformed OIDs are refused") {
    const std::vector<std::string> refused = {"",
                                              "memberOf)(uid=*",
                                              "mail=*",
                                              "cn*",
                                              "1cn",
                                              "-cn",
                                              "c n",
                                              " cn",
                                              "cn ",
                                              "cn;",
                                              "cn;;x",
                                              "cn;a b",
                                              "2.5.4.",
                                              "2..4",
                                              "2",
                                              "02.5",
                                              "2.05.4",
                                              "caf\xc3\xa9",
                                              std::string("cn\0x", 4),
                                              "member;range=0-1499"};
    for (const auto& bad : refused) {
        INFO(bad);
        CHECK_FALSE(isAttributeDescription(bad));
    }
}
