// `rosterd ldap lookup NAME` against a real slapd: the DN, mapped fields, direct and nested
// groups, the role, and why a user cannot sign in.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cli_fixture.h"
#include "support/process.h"
#include "support/slapd_server.h"

using namespace rosterd::test;

TEST_CASE("ldap lookup shows the entry, its groups (direct and nested), the role and why it cannot sign in") {
    SlapdServer ldap(
        {.ldif = peopleAndGroupsLdif({{"alice", "Alice Liddell", "alice@example.com", "pw"}, {"bob", "Bob", "", "pw"}},
                                     {{"staff", {"alice"}}})});
    // "everyone" holds the group "staff": alice is in it through staff.
    ldap.add("dn: " + groupDn("everyone") + "\nobjectClass: groupOfNames\ncn: everyone\nmember: " + groupDn("staff") +
             "\n");
    std::string dir = makeTempDir("rosterd-lookup");
    std::string pw = dir + "/ldap.pw";
    writeFile(pw, std::string(SlapdServer::kServicePassword) + "\n");
    ::chmod(pw.c_str(), 0600);
    std::string ini = dir + "/rosterd.ini";
    writeFile(ini, "[database]\nurl = sqlite://" + dir + "/r.db\n[ldap]\nenabled = true\nurl = " + ldap.url() +
                       "\nbind_dn = " + SlapdServer::kServiceDn + "\nbind_password_file = " + pw +
                       "\nuser_base = " + SlapdServer::kPeople + "\ngroup_base = " + SlapdServer::kGroups + "\n");
    REQUIRE(rosterdWithConfig(ini, {"migrate"}).exitCode == 0);

    auto alice = rosterdWithConfig(ini, {"ldap", "lookup", "alice"});
    INFO(alice.output);
    CHECK(alice.exitCode == 0);
    CHECK(alice.output.find("dn: " + userDn("alice")) != std::string::npos);
    CHECK(alice.output.find("email: alice@example.com (mail)") != std::string::npos);
    CHECK(alice.output.find("name: Alice Liddell (cn)") != std::string::npos);
    CHECK(alice.output.find("groups (direct): staff") != std::string::npos);
    CHECK(alice.output.find("groups (nested): everyone") != std::string::npos);
    CHECK(alice.output.find("role: user") != std::string::npos);
    CHECK(alice.output.find("can sign in: yes") != std::string::npos);

    auto json = rosterdWithConfig(ini, {"ldap", "lookup", "alice", "--json"});
    REQUIRE(json.exitCode == 0);
    auto j = nlohmann::json::parse(json.output);
    CHECK(j["dn"] == userDn("alice"));
    CHECK(j["groups"]["nested"][0]["via"] == groupDn("staff"));
    CHECK(j["account"].is_null());

    auto bob = rosterdWithConfig(ini, {"ldap", "lookup", "bob"});
    INFO(bob.output);
    CHECK(bob.exitCode == 1);
    CHECK(bob.output.find("can sign in: no") != std::string::npos);
    CHECK(bob.output.find("because the entry has no 'mail' attribute") != std::string::npos);

    // The group mapping decides as sync and login do: nested membership counts.
    std::string mapped = dir + "/mapped.ini";
    writeFile(mapped, readFile(ini) + "admin_groups = everyone\ndenied_groups = staff\n");
    auto policy = rosterdWithConfig(mapped, {"ldap", "lookup", "alice"});
    INFO(policy.output);
    CHECK(policy.exitCode == 1);
    CHECK(policy.output.find("role: admin (") != std::string::npos);
    CHECK(policy.output.find("everyone") != std::string::npos);
    CHECK(policy.output.find("can sign in: no") != std::string::npos);

    auto nobody = rosterdWithConfig(ini, {"ldap", "lookup", "nobody"});
    INFO(nobody.output);
    CHECK(nobody.exitCode == 1);
    CHECK(nobody.output.find("found: no") != std::string::npos);
    CHECK(nobody.output.find("because no entry under " + std::string(SlapdServer::kPeople) + " matches") !=
          std::string::npos);
}

TEST_CASE("ldap lookup reads [ldap] link_local_accounts as sync and login do") {
    SlapdServer ldap({.ldif = peopleAndGroupsLdif({{"alice", "Alice Liddell", "alice@example.com", "pw"}}, {})});
    std::string dir = makeTempDir("rosterd-lookup-link");
    std::string pw = dir + "/ldap.pw";
    writeFile(pw, std::string(SlapdServer::kServicePassword) + "\n");
    ::chmod(pw.c_str(), 0600);
    std::string base = "[database]\nurl = sqlite://" + dir + "/r.db\n[ldap]\nenabled = true\nurl = " + ldap.url() +
                       "\nbind_dn = " + SlapdServer::kServiceDn + "\nbind_password_file = " + pw +
                       "\nuser_base = " + SlapdServer::kPeople + "\n";
    std::string linking = dir + "/email.ini", refusing = dir + "/none.ini";
    writeFile(linking, base + "link_local_accounts = email\n");
    writeFile(refusing, base + "link_local_accounts = none\n");
    // A local account holds the entry's email.
    writeFile(dir + "/admin.pw", "a long admin password\n");
    auto local = rosterdWithConfig(linking, {"users", "create-admin", "--email", "alice@example.com", "--name", "Alice",
                                             "--password-file", dir + "/admin.pw"});
    INFO(local.output);
    REQUIRE(local.exitCode == 0);

    auto linked = rosterdWithConfig(linking, {"ldap", "lookup", "alice"});
    INFO(linked.output);
    CHECK(linked.output.find("a local account has the email") == std::string::npos);

    auto refused = rosterdWithConfig(refusing, {"ldap", "lookup", "alice"});
    INFO(refused.output);
    CHECK(refused.exitCode == 1);
    CHECK(refused.output.find("because a local account has the email alice@example.com and [ldap] "
                              "link_local_accounts = none") != std::string::npos);
}
