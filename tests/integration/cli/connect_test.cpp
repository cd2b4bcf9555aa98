// `rosterd check-config --connect` against a real slapd: each step reported, a misspelt base or a
// wrong password named with the fix, an unreachable server exit 69.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <map>

#include "support/process.h"
#include "support/slapd_server.h"

using namespace rosterd::test;

namespace {

std::string configFor(const SlapdServer& ldap, const std::string& dir, const std::string& password,
                      std::map<std::string, std::string> ldapKeys = {}) {
    std::string pw = dir + "/ldap.pw";
    writeFile(pw, password + "\n");
    ::chmod(pw.c_str(), 0600);
    std::map<std::string, std::string> keys = {{"enabled", "true"},
                                               {"url", ldap.url()},
                                               {"bind_dn", SlapdServer::kServiceDn},
                                               {"bind_password_file", pw},
                                               {"user_base", SlapdServer::kPeople},
                                               {"group_base", SlapdServer::kGroups},
                                               {"timeout", "3s"}};
    for (auto& [k, v] : ldapKeys) keys[k] = v;
    std::string text = "[database]\nurl = sqlite://" + dir + "/r.db\n[ldap]\n";
    for (auto& [k, v] : keys) text += k + " = " + v + "\n";
    static int n = 0;
    std::string ini = dir + "/rosterd-" + std::to_string(++n) + ".ini";
    writeFile(ini, text);
    return ini;
}

CommandResult connect(const std::string& ini) {
    return runCommand({"env", "-u", "DATABASE_URL", ROSTERD_BINARY, "check-config", "--connect", "--config", ini});
}

}  // namespace

TEST_CASE("check-config --connect binds, reads the bases and counts users and groups, step by step") {
    SlapdServer ldap({.ldif = peopleAndGroupsLdif({{"alice", "Alice", "alice@example.com", "pw"},
                                                   {"bob", "Bob", "", "pw"},
                                                   {"carol", "Carol", "carol@example.com", "pw"}},
                                                  {{"staff", {"alice", "bob"}}})});
    std::string dir = makeTempDir("rosterd-connect");

    auto good = connect(configFor(ldap, dir, SlapdServer::kServicePassword));
    INFO(good.output);
    CHECK(good.exitCode == 0);
    CHECK(good.output.find("ok   bind as " + std::string(SlapdServer::kServiceDn) + " on " + ldap.url() + ": bound") !=
          std::string::npos);
    CHECK(good.output.find("ok   read user_base " + std::string(SlapdServer::kPeople) + ": exists") !=
          std::string::npos);
    CHECK(good.output.find("3 users, 1 without mail") != std::string::npos);
    CHECK(good.output.find("ok   read group_base " + std::string(SlapdServer::kGroups)) != std::string::npos);
    CHECK(good.output.find("1 groups") != std::string::npos);

    auto misspelt =
        connect(configFor(ldap, dir, SlapdServer::kServicePassword, {{"user_base", "ou=peple,dc=example,dc=com"}}));
    INFO(misspelt.output);
    CHECK(misspelt.exitCode == 78);
    CHECK(misspelt.output.find("FAIL read user_base ou=peple,dc=example,dc=com") != std::string::npos);
    CHECK(misspelt.output.find("fix: check [ldap] user_base") != std::string::npos);
    CHECK(misspelt.output.find("count users") == std::string::npos);  // not counted from a base that is not there

    auto filter =
        connect(configFor(ldap, dir, SlapdServer::kServicePassword, {{"user_filter", "(objectClass=person2)"}}));
    CHECK(filter.exitCode == 78);
    CHECK(filter.output.find("the filter selects no entry") != std::string::npos);

    auto wrongPassword = connect(configFor(ldap, dir, "not-the-password"));
    INFO(wrongPassword.output);
    CHECK(wrongPassword.exitCode == 78);
    CHECK(wrongPassword.output.find("FAIL bind as") != std::string::npos);
    CHECK(wrongPassword.output.find("fix: check [ldap] bind_dn and the password in bind_password_file") !=
          std::string::npos);
    CHECK(wrongPassword.output.find("read user_base") == std::string::npos);

    auto unreachable = connect(configFor(ldap, dir, SlapdServer::kServicePassword, {{"url", "ldap://127.0.0.1:1"}}));
    INFO(unreachable.output);
    CHECK(unreachable.exitCode == 69);
    CHECK(unreachable.output.find("fix: check [ldap] url") != std::string::npos);
}

TEST_CASE("check-config --connect says when no user has member_of_attribute") {
    const auto people = peopleAndGroupsLdif(
        {{"alice", "Alice", "alice@example.com", "pw"}, {"bob", "Bob", "bob@example.com", "pw"}}, {});
    // Added through LDAP once slapd runs, so the memberof overlay (where loaded) writes alice's memberOf.
    const std::string staff =
        "dn: " + groupDn("staff") + "\nobjectClass: groupOfNames\ncn: staff\nmember: " + userDn("alice") + "\n\n";
    std::string dir = makeTempDir("rosterd-connect-member-of");
    SlapdServer withOverlay({.ldif = people, .memberOf = true});
    withOverlay.add(staff);
    auto kept =
        connect(configFor(withOverlay, dir, SlapdServer::kServicePassword, {{"member_of_attribute", "memberOf"}}));
    INFO(kept.output);
    CHECK(kept.exitCode == 0);
    CHECK(kept.output.find("ok   count users with memberOf: 1 users") != std::string::npos);

    SlapdServer without({.ldif = people});
    without.add(staff);
    auto missing =
        connect(configFor(without, dir, SlapdServer::kServicePassword, {{"member_of_attribute", "memberOf"}}));
    INFO(missing.output);
    CHECK(missing.exitCode == 78);
    CHECK(missing.output.find("FAIL count users with memberOf: no user under " + std::string(SlapdServer::kPeople) +
                              " has memberOf") != std::string::npos);
    CHECK(missing.output.find("clear [ldap] member_of_attribute") != std::string::npos);
    // Without the key, nothing is asked of memberOf.
    CHECK(connect(configFor(without, dir, SlapdServer::kServicePassword)).exitCode == 0);
}
