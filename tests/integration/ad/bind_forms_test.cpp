// The service account's three spellings that Active Directory accepts in a bind: a DN, a
// userPrincipalName and a down-level DOMAIN\name. Sync and `rosterd check-config --connect` take each.
#include <sys/stat.h>

#include "ad_env.h"
#include "support/process.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

std::vector<std::string> serviceSpellings(const SambaAdServer& ad) {
    return {ad.serviceDn(), std::string(SambaAdServer::kServiceSam) + "@" + SambaAdServer::kRealm,
            std::string(SambaAdServer::kDomain) + "\\" + SambaAdServer::kServiceSam};
}

// A config file as an operator writes it: the password in a file only its owner reads.
std::string iniFor(const SambaAdServer& ad, const std::string& ou, const std::string& bindDn,
                   const std::string& password = SambaAdServer::kServicePassword) {
    std::string dir = makeTempDir("rosterd-ad-ini");
    writeFile(dir + "/ldap.pw", password + "\n");
    ::chmod((dir + "/ldap.pw").c_str(), 0600);
    std::string text = "[database]\nurl = sqlite://" + dir + "/r.db\n[ldap]\n";
    for (const auto& [key, value] :
         ad.settings(ou, {{"ldap.bind_dn", bindDn}, {"ldap.bind_password_file", dir + "/ldap.pw"}}))
        text += key.substr(5) + " = " + value + "\n";
    writeFile(dir + "/rosterd.ini", text);
    return dir + "/rosterd.ini";
}

CommandResult rosterdCommand(std::vector<std::string> args) {
    args.insert(args.begin(), {"env", "-u", "DATABASE_URL", ROSTERD_BINARY});
    return runCommand(args);
}

}  // namespace

TEST_CASE("ad bind_dn: a DN, a userPrincipalName and CORP\\name each bind for a sync") {
    auto driver = GENERATE(allDrivers());
    SambaAdServer& ad = SambaAdServer::shared();
    for (const auto& bindDn : serviceSpellings(ad)) {
        INFO(bindDn);
        AdEnv env(driver, {{"ldap.bind_dn", bindDn}});
        env.addUser(env.name("ivy"));
        auto run = env.sync();
        CHECK(run["counts"]["users_created"] == 1);
        CHECK(env.active(env.name("ivy")));
    }
}

TEST_CASE("ad bind_dn: check-config accepts each spelling, and --connect binds with each") {
    SambaAdServer& ad = SambaAdServer::shared();
    std::string ou = ad.newOu();
    const std::string tag = ou.substr(4, ou.find(',') - 4);
    std::string jon = ad.addUser(ou, {.sam = "jon" + tag, .password = "Jon-Pass-1"});
    ad.addGroup(ou, "crew" + tag, {jon});  // --connect counts groups too, and wants at least one
    for (const auto& bindDn : serviceSpellings(ad)) {
        INFO(bindDn);
        std::string ini = iniFor(ad, ou, bindDn);
        auto check = rosterdCommand({"check-config", "--config", ini});
        INFO(check.output);
        CHECK(check.exitCode == 0);
        auto connect = rosterdCommand({"check-config", "--connect", "--config", ini});
        INFO(connect.output);
        CHECK(connect.exitCode == 0);
        CHECK(connect.output.find("ok   bind as " + bindDn + " on " + ad.ldapsUrl() + ": bound") != std::string::npos);
        CHECK(connect.output.find("1 users") != std::string::npos);
        CHECK(connect.output.find("1 groups") != std::string::npos);
    }
    // A wrong password is named as such, whatever the spelling.
    for (const auto& bindDn : serviceSpellings(ad)) {
        auto wrong =
            rosterdCommand({"check-config", "--connect", "--config", iniFor(ad, ou, bindDn, "not-the-password")});
        INFO(wrong.output);
        CHECK(wrong.exitCode == 78);
        CHECK(wrong.output.find("FAIL bind as " + bindDn) != std::string::npos);
    }
}
