#include "ldap/escape.h"

#include <catch2/catch.hpp>

#include "common/errors.h"
#include "ldap/entry.h"

using namespace rosterd;
using namespace rosterd::ldap;

TEST_CASE("filter values are escaped per RFC 4515") {
    CHECK(escapeFilterValue("alice") == "alice");
    CHECK(escapeFilterValue("*)(uid=*") == "\\2A\\29\\28uid=\\2A");
    CHECK(escapeFilterValue("admin)(|(objectClass=*") == "admin\\29\\28|\\28objectClass=\\2A");
    CHECK(escapeFilterValue("back\\slash") == "back\\5Cslash");
    CHECK(escapeFilterValue(std::string("nul\0x", 5)) == "nul\\00x");
    CHECK(escapeFilterValue("Jos\xc3\xa9") ==
          "Jos\\C3\\A9");  // libldap escapes every non-ASCII byte, which RFC 4515 allows
    CHECK(equalityFilter("uid", "a*b") == "(uid=a\\2Ab)");
}

TEST_CASE("DNs are split and built by libldap with RFC 4514 escaping") {
    auto rdns = parseDn("uid=alice,ou=people,dc=example,dc=com");
    REQUIRE(rdns.size() == 4);
    CHECK(rdns[0] == Rdn{{"uid", "alice"}});
    CHECK(rdns[3] == Rdn{{"dc", "com"}});

    auto tricky = parseDn("cn=Smith\\, John+uid=js,ou=people,dc=example,dc=com");
    REQUIRE(tricky[0].size() == 2);
    CHECK(tricky[0][0].value == "Smith, John");
    CHECK(tricky[0][1] == Ava{"uid", "js"});

    std::string dn = childDn("cn", "Smith, John = \"boss\"", "ou=people,dc=example,dc=com");
    CHECK(dn == "cn=Smith\\2C John \\3D \\22boss\\22,ou=people,dc=example,dc=com");
    CHECK(parseDn(dn)[0][0].value == "Smith, John = \"boss\"");
    CHECK(childDn("cn", "#lead and trail ", "dc=x") == "cn=\\23lead and trail\\20,dc=x");
}

TEST_CASE("DN comparison and containment ignore case and spacing") {
    CHECK(sameDn("UID=Alice, OU=People,DC=example,DC=com", "uid=alice,ou=people,dc=example,dc=com"));
    CHECK_FALSE(sameDn("uid=alice,ou=people,dc=example,dc=com", "uid=alic,ou=people,dc=example,dc=com"));
    CHECK(isUnder("uid=a,ou=People,dc=example,dc=com", "ou=people,dc=example,dc=com"));
    CHECK(isUnder("ou=people,dc=example,dc=com", "ou=people,dc=example,dc=com"));
    CHECK_FALSE(isUnder("uid=a,ou=groups,dc=example,dc=com", "ou=people,dc=example,dc=com"));
    CHECK_FALSE(isUnder("dc=com", "ou=people,dc=example,dc=com"));
    // A value containing the base text is not "under" it.
    CHECK_FALSE(isUnder("cn=ou\\=people\\,dc\\=example\\,dc\\=com,dc=org", "ou=people,dc=example,dc=com"));
}

TEST_CASE("malformed DNs are refused with LDAP_INVALID_DN_SYNTAX") {
    CHECK_THROWS_AS(parseDn("not a dn"), LdapError);
    CHECK_THROWS_AS(parseDn("uid=a,,dc=x"), LdapError);
    // A NUL would end libldap's reading early, leaving "uid=a" parsed in place of the whole text.
    CHECK_THROWS_AS(parseDn(std::string("uid=a\0,ou=x,dc=x", 16)), LdapError);
    CHECK_THROWS_AS(isUnder("cn=x,ou=groups,dc=x", std::string("ou=groups,dc=x\0,dc=y", 20)), LdapError);
    try {
        parseDn("=novalue");
        FAIL("parsed");
    } catch (const LdapError& e) {
        CHECK(e.code() == 0x22);
    }
}

TEST_CASE("binary ids render as canonical UUID/GUID strings") {
    std::string bytes = {'\x01', '\x02', '\x03', '\x04', '\x05', '\x06', '\x07', '\x08',
                         '\x09', '\x0a', '\x0b', '\x0c', '\x0d', '\x0e', '\x0f', '\x10'};
    CHECK(formatUuid(bytes) == "01020304-0506-0708-090a-0b0c0d0e0f10");
    // objectGUID keeps its first three fields little-endian on the wire.
    CHECK(formatGuid(bytes) == "04030201-0605-0807-090a-0b0c0d0e0f10");
    CHECK(formatGuid("short") == "");

    Entry e;
    e.valuesOf("objectGUID") = {bytes};
    e.valuesOf("entryUUID") = {"6f1c2a7e-0000-4000-8000-000000000001"};
    CHECK(stableId(e, "objectguid") == "04030201-0605-0807-090a-0b0c0d0e0f10");
    CHECK(stableId(e, "ENTRYUUID") == "6f1c2a7e-0000-4000-8000-000000000001");
    CHECK(stableId(e, "nsUniqueId") == "");
}

TEST_CASE("a DN with a value that is not UTF-8 is refused, as it could not be formatted again") {
    // Found by fuzz/fuzz_ldap_escape.cpp: it parsed, then normalizeDn failed with "Encoding error".
    std::string dn = "cn=a\\,b+uid=x,ou=`e\x9a\x8fle,dc=example,dc=com";
    try {
        parseDn(dn);
        FAIL("parsed");
    } catch (const LdapError& e) {
        CHECK(e.code() == 0x22);
    }
    CHECK_THROWS_AS(normalizeDn(dn), LdapError);
    CHECK(parseDn("cn=\xc3\x89mile,dc=example,dc=com")[0][0].value == "\xc3\x89mile");
    // Nor is one built around such a value, even one libldap would format (above U+10FFFF).
    CHECK_THROWS_AS(childDn("cn", "\xf6\xb7\xb7\xb7", "dc=example,dc=com"), LdapError);
}
