// [ldap] member_of_attribute: sign-in reads the user's groups from the memberOf values on the
// user's own entry (slapd's memberof overlay keeps them, as Active Directory does), with no search
// of the group base. A real slapd with the overlay, both store drivers.
#include <catch2/catch.hpp>

#include "../accounts/accounts_fixture.h"
#include "ldap_test_helpers.h"
#include "support/ldap_settings.h"
#include "support/slapd_server.h"
#include "support/test_database.h"
#include "support/test_server.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

constexpr const char* kElsewhere = "ou=elsewhere,dc=example,dc=com";

std::vector<DirectoryUser> memberOfPeople() {
    return {{"ann", "Ann", "ann@corp.example", "ann-pw"},
            {"bob", "Bob", "bob@corp.example", "bob-pw"},
            {"fay", "Fay", "fay@corp.example", "fay-pw"},
            {"zed", "Zed", "zed@corp.example", "zed-pw"}};
}

std::string groupEntry(const std::string& dn, const std::string& cn, const std::vector<std::string>& uids) {
    std::string out = "dn: " + dn + "\nobjectClass: groupOfNames\ncn: " + cn + "\n";
    for (const auto& uid : uids) out += "member: " + userDn(uid) + "\n";
    return out + "\n";
}

// slapd with the memberof overlay; the group entries are added through LDAP so the overlay writes
// each member's memberOf. `hideGroups`: the service account may not read the group base at all.
SlapdOptions memberOfDirectory(bool hideGroups) {
    SlapdOptions o{.ldif = peopleAndGroupsLdif(memberOfPeople(), {}) + "dn: " + kElsewhere +
                           "\nobjectClass: organizationalUnit\nou: elsewhere\n\n",
                   .memberOf = true};
    if (hideGroups)
        o.access = std::string("access to dn.subtree=\"") + SlapdServer::kGroups + "\" by dn.exact=\"" +
                   SlapdServer::kServiceDn + "\" none by * read\n";
    return o;
}

void addGroups(SlapdServer& slapd) {
    slapd.add(groupEntry(groupDn("admins"), "admins", {"ann"}) + groupEntry(groupDn("staff"), "staff", {"bob"}) +
              // Same name, outside the group base: not one of the groups sync or sign-in reads.
              groupEntry(std::string("cn=admins,") + kElsewhere, "admins", {"zed"}) +
              // Named by o=, not cn=: its DN does not say its cn.
              "dn: o=finance," + std::string(SlapdServer::kGroups) +
              "\nobjectClass: groupOfNames\ncn: finance\no: finance\nmember: " + userDn("fay") + "\n\n");
}

struct MemberOfServer {
    MemberOfServer(db::Driver driver, SlapdServer& slapd, std::map<std::string, std::string> extra)
        : server(driver, slapdSettings(slapd, settings(std::move(extra)))), client(server.client()) {
        auto r = client.post("/api/v1/auths/signup",
                             {{"name", "Admin"}, {"email", "admin@local.example"}, {"password", "admin-password"}});
        REQUIRE(r.status == 200);
    }
    static std::map<std::string, std::string> settings(std::map<std::string, std::string> extra) {
        std::map<std::string, std::string> s = {
            {"sync.interval", "0"}, {"ldap.admin_groups", "admins"}, {"ldap.allowed_groups", "admins,staff,finance"}};
        for (auto& [k, v] : extra) s[k] = v;
        return s;
    }
    HttpResult login(const std::string& uid) { return ldapLogin(client, uid, uid + "-pw"); }
    TestServer server;
    HttpClient client;
};

}  // namespace

TEST_CASE("member_of_attribute: sign-in takes the groups from the user's entry, not from a group search") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    // The service account cannot read the group base: only memberOf can tell the groups.
    SlapdServer slapd(memberOfDirectory(true));
    addGroups(slapd);
    MemberOfServer byMemberOf(driver, slapd, {{"ldap.member_of_attribute", "memberOf"}});
    auto ann = byMemberOf.login("ann");
    INFO(ann.body);
    REQUIRE(ann.status == 200);
    CHECK(ann.json()["role"] == "admin");
    auto bob = byMemberOf.login("bob");
    REQUIRE(bob.status == 200);
    CHECK(bob.json()["role"] == "user");
    // zed is only in an "admins" outside the group base: neither admin nor allowed.
    CHECK(byMemberOf.login("zed").status == 403);

    // bob leaves staff: the overlay drops his memberOf and the next sign-in refuses him at once.
    slapd.replace(groupDn("staff"), "member", {userDn("ann")});
    CHECK(byMemberOf.login("bob").status == 403);

    // The same directory without the key: the group search sees nothing, so nobody is allowed.
    MemberOfServer bySearch(driver, slapd, {});
    CHECK(bySearch.login("ann").status == 403);
}

TEST_CASE("member_of_attribute: a group whose DN does not say its name is read from the directory") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    SlapdServer slapd(memberOfDirectory(false));
    addGroups(slapd);
    MemberOfServer server(driver, slapd, {{"ldap.member_of_attribute", "memberOf"}});
    // fay's only group is o=finance (cn: finance): the DN names no cn, so sign-in searches.
    auto fay = server.login("fay");
    INFO(fay.body);
    REQUIRE(fay.status == 200);
    CHECK(fay.json()["role"] == "user");
    CHECK(server.login("ann").json()["role"] == "admin");
    CHECK(server.login("zed").status == 403);
}
