// memberOf values become groups by DN alone only when the DN says the group's name; otherwise the
// caller is told to search, so no group silently drops out of the policy.
#include "ldap/member_of.h"

#include <catch2/catch.hpp>

using rosterd::ldap::groupsNamedByDn;

namespace {

const std::string kBase = "ou=groups,dc=example,dc=com";

}  // namespace

TEST_CASE("memberOf: groups under the base are named by their first RDN") {
    auto groups =
        groupsNamedByDn({"cn=admins,ou=groups,dc=example,dc=com", "CN=Ops \\2C EMEA,OU=Groups,DC=Example,DC=com",
                         "cn=deep,ou=teams,ou=groups,dc=example,dc=com"},
                        kBase, "cn");
    REQUIRE(groups);
    REQUIRE(groups->size() == 3);
    CHECK((*groups)[0].name == "admins");
    CHECK((*groups)[0].dn == "cn=admins,ou=groups,dc=example,dc=com");
    CHECK((*groups)[1].name == "Ops , EMEA");  // unescaped, and the base matched whatever the case
    CHECK((*groups)[2].name == "deep");
    CHECK(groupsNamedByDn({}, kBase, "cn")->empty());
}

TEST_CASE("memberOf: groups outside the group base are not the user's groups here") {
    auto groups = groupsNamedByDn({"cn=admins,ou=elsewhere,dc=example,dc=com", "cn=staff,ou=groups,dc=example,dc=com",
                                   "cn=groups,dc=example,dc=com"},
                                  kBase, "cn");
    REQUIRE(groups);
    REQUIRE(groups->size() == 1);
    CHECK((*groups)[0].name == "staff");
}

TEST_CASE("memberOf: a DN that does not say the name sends the caller to search") {
    // Another naming attribute, a multi-valued RDN, or a value that is no DN at all.
    CHECK_FALSE(groupsNamedByDn({"cn=staff,ou=groups,dc=example,dc=com", "o=finance,ou=groups,dc=example,dc=com"},
                                kBase, "cn"));
    CHECK_FALSE(groupsNamedByDn({"cn=a+o=b,ou=groups,dc=example,dc=com"}, kBase, "cn"));
    CHECK_FALSE(groupsNamedByDn({"not a dn"}, kBase, "cn"));
    CHECK_FALSE(groupsNamedByDn({std::string("cn=x\0y,ou=groups,dc=example,dc=com", 34)}, kBase, "cn"));
    // The name attribute compares as LDAP compares attribute types.
    auto upper = groupsNamedByDn({"CN=Staff,ou=groups,dc=example,dc=com"}, kBase, "cn");
    REQUIRE(upper);
    CHECK((*upper)[0].name == "Staff");
    auto bySam = groupsNamedByDn({"sAMAccountName=ops,ou=groups,dc=example,dc=com"}, kBase, "samaccountname");
    REQUIRE(bySam);
    CHECK((*bySam)[0].name == "ops");
}
