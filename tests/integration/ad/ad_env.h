#pragma once
// One test's world against the shared Samba AD: its own OU, rosterd in-process over HTTP on the
// given store driver, an admin account, and steps to run a sync, sign in and read the store.
#include <catch2/catch.hpp>

#include "../accounts/accounts_fixture.h"
#include "ldap/directory.h"
#include "ldap/sid.h"
#include "support/samba_ad_server.h"
#include "support/test_database.h"
#include "support/test_server.h"

namespace rosterd::test {

struct AdEnv {
    AdEnv(db::Driver driver, std::map<std::string, std::string> extra = {})
        : ad(SambaAdServer::shared()),
          ou(ad.newOu()),
          server(driver, ad.settings(ou, withSyncDefaults(std::move(extra)))),
          client(server.client()) {
        admin = tokenOf(signup(client, "Admin", "admin@local.example"));
    }
    static std::map<std::string, std::string> withSyncDefaults(std::map<std::string, std::string> extra) {
        extra.emplace("sync.interval", "0");
        extra.emplace("sync.max_deactivation_percent", "100");
        extra.emplace("auth.default_user_role", "user");
        return extra;
    }
    /// `base` made unique in the domain, which keeps sAMAccountName unique across every OU:
    /// "dora" in OU=t7 is "dora7".
    std::string name(const std::string& base) const { return base + ou.substr(4, ou.find(',') - 4); }
    /// A user under this test's OU with password "<sam>-Pass-1" (`sam` as name() made it).
    std::string addUser(const std::string& sam, AdUser user = {}) {
        user.sam = sam;
        if (user.password.empty()) user.password = passwordOf(sam);
        return ad.addUser(ou, user);
    }
    static std::string passwordOf(const std::string& sam) { return sam + "-Pass-1"; }
    static std::string mailOf(const std::string& sam) { return sam + "@" + SambaAdServer::kRealm; }
    /// Runs a sync and requires that it succeeded; returns its JSON.
    nlohmann::json sync() {
        auto r = client.post("/api/v1/sync/run", nlohmann::json::object(), admin);
        INFO(r.body);
        REQUIRE(r.status == 200);
        REQUIRE(r.json()["status"] == "succeeded");
        return r.json();
    }
    HttpResult login(const std::string& name, const std::string& password) {
        return client.post("/api/v1/auths/ldap", {{"user", name}, {"password", password}});
    }
    std::int64_t scalar(const std::string& sql, const db::Params& p = {}) {
        return server.app().store().transact([&](db::Transaction& tx) { return tx.exec(sql, p).front().i64(0); });
    }
    std::string text(const std::string& sql, const db::Params& p = {}) {
        return server.app().store().transact([&](db::Transaction& tx) { return tx.exec(sql, p).front().str(0); });
    }
    bool active(const std::string& username) {
        return scalar("SELECT active FROM users WHERE username = $1", {username}) != 0;
    }
    std::string idOf(const std::string& username) {
        return text("SELECT id FROM users WHERE username = $1", {username});
    }
    /// The entry at `dn` as the service account reads it: `attributes` only.
    ldap::Entry readEntry(const std::string& dn, std::vector<std::string> attributes) {
        ldap::Directory directory(ad.config(ou));
        ldap::SearchRequest req;
        req.base = dn;
        req.scope = ldap::Scope::Base;
        req.attributes = std::move(attributes);
        auto entries = directory.searchAll(req);
        REQUIRE(entries.size() == 1);
        return entries.front();
    }
    /// The RID of the group's objectSid: what a user's primaryGroupID names.
    std::string ridOf(const std::string& groupDn) {
        auto sid = ldap::parseSid(readEntry(groupDn, {ldap::kObjectSid}).first(ldap::kObjectSid).value_or(""));
        REQUIRE(sid);
        return std::to_string(sid->rid);
    }
    /// Makes `groupDn` the user's primary group (AD wants the user a member of it first).
    void makePrimary(const std::string& userDn, const std::string& groupDn) {
        ad.replace(userDn, ldap::kPrimaryGroupId, {ridOf(groupDn)});
    }
    /// The payloads of the outbox events of `type`, oldest first.
    std::vector<nlohmann::json> events(const std::string& type) { return server.events(type); }

    SambaAdServer& ad;
    std::string ou;
    TestServer server;
    HttpClient client;
    std::string admin;
    /// How many members the directory group `group` has in the store.
    std::int64_t membersOf(const std::string& group) {
        return scalar(
            "SELECT count(*) FROM group_members m JOIN groups g ON g.id = m.group_id WHERE g.name = $1 AND g.source = "
            "'ldap'",
            {group});
    }
};

}  // namespace rosterd::test
