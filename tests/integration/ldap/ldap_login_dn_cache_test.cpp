// [ldap] login_dn_cache: a returning sign-in binds to the entry its name signed in as, without
// searching for the name; the entry must still match user_filter and the name, a moved entry is
// found again, and a second entry taking the name counts once the kept DN expires (on the test
// clock). A real slapd, both stores.
#include <catch2/catch.hpp>

#include "ldap_test_helpers.h"
#include "support/ldap_settings.h"
#include "support/slapd_server.h"
#include "support/test_database.h"
#include "support/test_server.h"

using namespace rosterd;
using namespace rosterd::test;
using namespace std::chrono_literals;

namespace {

const char* const kActivePeople = "(&(objectClass=inetOrgPerson)(!(employeeType=former)))";

std::map<std::string, std::string> dnCacheSettings(const SlapdServer& slapd, const std::string& ttl) {
    return slapdSettings(slapd, {{"sync.interval", "0"},
                                 {"auth.default_user_role", "user"},
                                 {"ldap.user_filter", kActivePeople},
                                 {"ldap.login_dn_cache", ttl}});
}

// A second entry under the user base whose uid is `uid` too.
void addNamesake(SlapdServer& slapd, const std::string& uid) {
    slapd.modify("dn: cn=Namesake," + std::string(SlapdServer::kPeople) +
                 "\nchangetype: add\nobjectClass: inetOrgPerson\ncn: Namesake\nsn: Namesake\nuid: " + uid +
                 "\nmail: namesake@corp.example\nuserPassword: namesake-pw\n");
}

}  // namespace

TEST_CASE("login_dn_cache: a kept name binds without searching, until the kept DN expires") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    SlapdServer slapd({.ldif = peopleAndGroupsLdif({{"ann", "Ann", "ann@corp.example", "ann-pw"}}, {})});
    TestServer server(driver, dnCacheSettings(slapd, "60s"));
    auto c = server.client();
    REQUIRE(ldapLogin(c, "ann", "ann-pw").status == 200);

    // A second entry now answers to "ann": a search would find two and refuse. The kept DN binds
    // without one, for the rest of the minute.
    addNamesake(slapd, "ann");
    auto kept = ldapLogin(c, "ann", "ann-pw");
    INFO(kept.body);
    CHECK(kept.status == 200);
    server.clock().advance(59s);
    CHECK(ldapLogin(c, "ann", "ann-pw").status == 200);
    server.clock().advance(1s);
    auto searched = ldapLogin(c, "ann", "ann-pw");
    CHECK(searched.status == 400);

    // Off (the default): every sign-in searches.
    TestServer off(driver, slapdSettings(slapd, {{"ldap.user_filter", kActivePeople}}));
    CHECK(ldapLogin(off.client(), "ann", "ann-pw").status == 400);
}

TEST_CASE("login_dn_cache: an entry that no longer matches user_filter is refused at once") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    SlapdServer slapd({.ldif = peopleAndGroupsLdif({{"bea", "Bea", "bea@corp.example", "bea-pw"}}, {})});
    TestServer server(driver, dnCacheSettings(slapd, "60s"));
    auto c = server.client();
    REQUIRE(ldapLogin(c, "bea", "bea-pw").status == 200);
    slapd.modify("dn: " + userDn("bea") + "\nchangetype: modify\nadd: employeeType\nemployeeType: former\n");
    auto r = ldapLogin(c, "bea", "bea-pw");
    INFO(r.body);
    CHECK(r.status == 400);
    // Back in the filter: signs in again (the name was dropped, so this one searched).
    slapd.modify("dn: " + userDn("bea") + "\nchangetype: modify\ndelete: employeeType\n");
    CHECK(ldapLogin(c, "bea", "bea-pw").status == 200);
}

TEST_CASE("login_dn_cache: a moved entry is found again; a wrong password answers as for an unknown name") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    SlapdServer slapd({.ldif = peopleAndGroupsLdif({{"cid", "Cid", "cid@corp.example", "cid-pw"}}, {})});
    TestServer server(driver, dnCacheSettings(slapd, "60s"));
    auto c = server.client();
    auto first = ldapLogin(c, "cid", "cid-pw");
    REQUIRE(first.status == 200);
    const std::string id = first.json()["id"];

    // Renamed: the kept DN no longer exists, so its bind fails; the search finds the new DN.
    slapd.modify("dn: " + userDn("cid") + "\nchangetype: modrdn\nnewrdn: cn=Cid\ndeleteoldrdn: 0\n");
    auto moved = ldapLogin(c, "cid", "cid-pw");
    INFO(moved.body);
    REQUIRE(moved.status == 200);
    CHECK(moved.json()["id"] == id);  // the same account: the entry's stable id, not its DN

    // Kept (it just signed in): a wrong password gets the answer an unknown name gets.
    auto wrong = ldapLogin(c, "cid", "not-the-password");
    auto unknown = ldapLogin(c, "nobody", "not-the-password");
    CHECK(wrong.status == 400);
    CHECK(wrong.status == unknown.status);
    CHECK(wrong.body == unknown.body);
    CHECK(ldapLogin(c, "cid", "cid-pw").status == 200);
}
