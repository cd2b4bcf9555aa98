// rosterd under a (simulated) service manager with a directory: the STATUS= line reports the last
// sync, and SIGHUP changes the [sync] and [ldap] settings of the running daemon.
#include <signal.h>

#include <catch2/catch.hpp>
#include <regex>

#include "service_daemon.h"
#include "support/slapd_server.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

std::string ldapIni(const SlapdServer& slapd) {
    return std::string("[ldap]\nenabled = true\nurl = ") + slapd.url() + "\nbind_dn = " + SlapdServer::kServiceDn +
           "\nbind_password_file = " + slapd.servicePasswordFile() + "\nuser_base = " + SlapdServer::kPeople +
           "\ngroup_base = " + SlapdServer::kGroups + "\ntimeout = 3s\n";
}

std::string adminToken(const HttpClient& c) {
    auto r = c.post("/api/v1/auths/signup",
                    {{"name", "Admin"}, {"email", "admin@local.example"}, {"password", "correct horse"}});
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.json()["token"];
}

nlohmann::json syncConfig(const HttpClient& c, const std::string& token) {
    auto r = c.get("/api/v1/sync/status", token);
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.json()["config"];
}

}  // namespace

TEST_CASE("STATUS= tells the last sync's result; SIGHUP changes [sync] and rejects a bad value") {
    SlapdServer ldap({.ldif = peopleAndGroupsLdif({{"ann", "Ann", "ann@corp.example", "pw"},
                                                   {"bob", "Bob", "bob@corp.example", "pw"},
                                                   {"cid", "Cid", "cid@corp.example", "pw"}},
                                                  {{"staff", {"ann", "bob"}}})});
    DaemonOptions o;
    o.extraConfig = ldapIni(ldap) + "[sync]\ninterval = 0\n";
    ServiceDaemon d(o);
    d.startReady();
    auto c = d.client();
    std::string admin = adminToken(c);
    CHECK(syncConfig(c, admin)["interval_seconds"] == 0);

    auto run = c.post("/api/v1/sync/run", nlohmann::json::object(), admin);
    INFO(run.body);
    REQUIRE(run.status == 200);
    std::string status = fieldOf(d.notify().waitForStatus("last sync succeeded at "), "STATUS");
    INFO(status);
    std::regex line(
        "serving on 127\\.0\\.0\\.1:[0-9]+; last sync succeeded at "
        "20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z: "
        "3 created, 0 updated, 0 deactivated \\([0-9]+\\.[0-9] s\\)");
    CHECK(std::regex_match(status, line));

    // Scheduled runs switched on by a reload: the first one is due at once and reports too.
    d.writeConfig(d.configText(
        "info", ldapIni(ldap) + "[sync]\ninterval = 1h\nmax_deactivations = 3\nmax_deactivation_percent = 50\n"));
    ldap.remove(userDn("cid"));
    d.process().signal(SIGHUP);
    d.notify().waitFor("RELOADING=1");
    d.notify().waitFor("READY=1");
    auto cfg = syncConfig(c, admin);
    CHECK(cfg["interval_seconds"] == 3600);
    CHECK(cfg["max_deactivations"] == 3);
    status = fieldOf(d.notify().waitForStatus("0 created, 0 updated, 1 deactivated"), "STATUS");
    CHECK(status.find("last sync succeeded at ") != std::string::npos);
    CHECK(d.waitForLog("sync: scheduled runs every 3600 s"));

    // An invalid [sync] value rejects the file; the running settings stay.
    d.writeConfig(d.configText(
        "info", ldapIni(ldap) + "[sync]\ninterval = 1h\nmax_deactivations = -2\nmax_deactivation_percent = 50\n"));
    d.process().signal(SIGHUP);
    d.notify().waitFor("RELOADING=1");
    std::string ready = d.notify().waitFor("READY=1");
    CHECK(fieldOf(ready, "STATUS").find("last reload rejected: sync.max_deactivations") != std::string::npos);
    CHECK(fieldOf(ready, "STATUS").find("last sync succeeded at ") != std::string::npos);
    CHECK(syncConfig(c, admin)["max_deactivations"] == 3);

    // A failing run says so: the directory is gone.
    ldap.stop();
    run = c.post("/api/v1/sync/run", nlohmann::json::object(), admin);
    CHECK(run.status == 502);
    status = fieldOf(d.notify().waitForStatus("last sync failed at "), "STATUS");
    CHECK(status.find("last sync succeeded") == std::string::npos);
    d.process().signal(SIGTERM);
    CHECK(d.process().wait(20000) == 0);
}

TEST_CASE("SIGHUP with a new [ldap] section: logins go to the new directory") {
    SlapdServer a({.ldif = peopleAndGroupsLdif({{"alice", "Alice", "alice@a.example", "alice-pw"}}, {})});
    SlapdServer b({.ldif = peopleAndGroupsLdif({{"bob", "Bob", "bob@b.example", "bob-pw"}}, {})});
    DaemonOptions o;
    o.extraConfig = ldapIni(a) + "[sync]\ninterval = 0\n";
    ServiceDaemon d(o);
    d.startReady();
    auto c = d.client();
    auto login = [&](const std::string& user, const std::string& password) {
        return c.post("/api/v1/auths/ldap", {{"user", user}, {"password", password}}).status;
    };
    CHECK(login("alice", "alice-pw") == 200);
    CHECK(login("bob", "bob-pw") == 400);

    // A password file that cannot be read rejects the reload; directory A stays.
    std::string broken = ldapIni(b);
    broken.replace(broken.find(b.servicePasswordFile()), b.servicePasswordFile().size(), b.dir() + "/missing.pw");
    d.writeConfig(d.configText("info", broken + "[sync]\ninterval = 0\n"));
    d.process().signal(SIGHUP);
    d.notify().waitFor("RELOADING=1");
    std::string ready = d.notify().waitFor("READY=1");
    CHECK(fieldOf(ready, "STATUS").find("last reload rejected: ldap.bind_password_file") != std::string::npos);
    CHECK(login("alice", "alice-pw") == 200);

    d.writeConfig(d.configText("info", ldapIni(b) + "[sync]\ninterval = 0\n"));
    d.process().signal(SIGHUP);
    d.notify().waitFor("RELOADING=1");
    d.notify().waitFor("READY=1");
    CHECK(d.waitForLog("ldap: reloaded; directory at " + b.url()));
    CHECK(login("bob", "bob-pw") == 200);
    CHECK(login("alice", "alice-pw") == 400);
    d.process().signal(SIGTERM);
    CHECK(d.process().wait(20000) == 0);
}
