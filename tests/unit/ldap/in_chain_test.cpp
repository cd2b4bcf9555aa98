#include "ldap/in_chain.h"

#include <catch2/catch.hpp>

TEST_CASE("the IN_CHAIN filter names the matching rule and escapes the DN as any filter value") {
    CHECK(rosterd::ldap::inChainFilter("member", "CN=Ann,OU=t1,DC=corp,DC=example,DC=com") ==
          "(member:1.2.840.113556.1.4.1941:=CN=Ann,OU=t1,DC=corp,DC=example,DC=com)");
    // A DN may hold parentheses and asterisks, which must not end or widen the filter.
    CHECK(rosterd::ldap::inChainFilter("memberOf", "CN=Ops (*),DC=x") ==
          "(memberOf:1.2.840.113556.1.4.1941:=CN=Ops \\28\\2A\\29,DC=x)");
}
