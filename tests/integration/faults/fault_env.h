#pragma once
// The fault suite's setting: a small directory (300 users, 30 groups) in a real slapd, rosterd
// in-process over HTTP on either store, synced once; and the checks every fault ends with (after
// one recovery run): nothing wrongly deactivated or deleted, the store equal to the directory,
// the admin's group data intact, one event per real change, an honest run record.
#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "daemon/config.h"
#include "support/http_client.h"
#include "support/ldap_settings.h"
#include "support/slapd_server.h"
#include "support/test_server.h"

namespace rosterd::test::faults {

constexpr int kUsers = 300;
constexpr int kGroups = 30;

inline std::string uidOf(int i) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "u%03d", i);
    return buf;
}

inline std::string groupName(int g) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "g%02d", g);
    return buf;
}

/// Users u000..u299; group gNN lists the users whose number is NN modulo 30 and the next ten
/// (so each user is in a few groups): 30 groups of 20 members, 600 memberships.
inline std::string directoryLdif() {
    std::vector<DirectoryUser> users;
    for (int i = 0; i < kUsers; ++i) users.push_back({uidOf(i), "User " + uidOf(i), uidOf(i) + "@corp.example", "pw"});
    std::vector<DirectoryGroup> groups;
    for (int g = 0; g < kGroups; ++g) {
        DirectoryGroup group{groupName(g), {}};
        for (int i = g; i < kUsers; i += kGroups) group.memberUids.push_back(uidOf(i));
        for (int i = g + 1; i < kUsers; i += kGroups * 3) group.memberUids.push_back(uidOf(i));
        std::set<std::string> unique(group.memberUids.begin(), group.memberUids.end());
        group.memberUids.assign(unique.begin(), unique.end());
        groups.push_back(group);
    }
    return peopleAndGroupsLdif(users, groups);
}

class FaultEnv {
public:
    explicit FaultEnv(db::Driver driver, std::map<std::string, std::string> extra = {}, SlapdOptions options = {})
        : ldap(withDirectory(std::move(options))),
          settings_(settingsFor(std::move(extra))),
          server(driver, settings_),
          client(server.client()) {
        auto r = client.post("/api/v1/auths/signup",
                             {{"name", "Admin"}, {"email", "admin@local.example"}, {"password", "correct horse"}});
        REQUIRE(r.status == 200);
        admin = r.json().at("token").get<std::string>();
    }

    /// POST /api/v1/sync/run, a second after the previous one (the history is ordered by start).
    HttpResult run(nlohmann::json body = nlohmann::json::object()) {
        server.clock().advance(std::chrono::seconds(1));
        return client.post("/api/v1/sync/run", body, admin);
    }
    /// A run that must succeed; its record.
    nlohmann::json runOk(nlohmann::json body = nlohmann::json::object()) {
        auto r = run(std::move(body));
        INFO(r.body);
        REQUIRE(r.status == 200);
        return r.json();
    }
    /// Applies settings on top of the current ones, as an admin's edit and reload would.
    void reload(const std::map<std::string, std::string>& changes) {
        for (const auto& [k, v] : changes) settings_[k] = v;
        daemon::ConfigReader r;
        r.set("server", "listen", "127.0.0.1:0");
        r.set("database", "url", server.databaseUrl());
        r.set("auth", "jwt_secret_file", server.dataDir() + "/jwt_secret");
        r.set("auth", "bcrypt_cost", "4");
        for (const auto& [full, value] : settings_) {
            auto dot = full.rfind('.');
            r.set(full.substr(0, dot), full.substr(dot + 1), value);
        }
        REQUIRE(server.app().reload(daemon::loadConfig(r)));
    }

    std::int64_t scalar(const std::string& sql, const db::Params& p = {}) {
        return server.app().store().transact([&](db::Transaction& tx) { return tx.exec(sql, p).front().i64(0); });
    }
    std::string text(const std::string& sql, const db::Params& p = {}) {
        return server.app().store().transact([&](db::Transaction& tx) { return tx.exec(sql, p).front().str(0); });
    }
    void exec(const std::string& sql) {
        server.app().store().transact([&](db::Transaction& tx) { tx.execScript(sql); });
    }
    /// Events of `type` appended since the last mark().
    std::int64_t events(const std::string& type) {
        return scalar("SELECT count(*) FROM outbox WHERE type = $1 AND seq > $2", {type, mark_});
    }
    /// Events other than sync.completed / sync.failed since the last mark().
    std::int64_t changeEvents() {
        return scalar("SELECT count(*) FROM outbox WHERE type NOT LIKE 'sync.%' AND seq > $1", {mark_});
    }
    void mark() { mark_ = scalar("SELECT coalesce(max(seq), 0) FROM outbox"); }

    /// Remembers every directory row's id and gives one group an admin-set description and
    /// permissions, for checkMirrors.
    void remember() {
        server.app().store().transact([&](db::Transaction& tx) {
            for (auto r : tx.exec("SELECT external_id, id FROM users WHERE source = 'ldap'"))
                userIds_[r.str(0)] = r.str(1);
            for (auto r : tx.exec("SELECT external_id, id FROM groups WHERE source = 'ldap'"))
                groupIds_[r.str(0)] = r.str(1);
            tx.exec("UPDATE groups SET description = 'set by the admin', permissions = $1 WHERE name = 'g07'",
                    {std::string(R"({"workspace":{"models":true}})")});
        });
        REQUIRE(userIds_.size() == kUsers);
        REQUIRE(groupIds_.size() == kGroups);
    }

    /// The store equals the directory as remembered: same users and groups under the same ids,
    /// all active, every membership, the admin's group data intact.
    void checkMirrors() {
        CHECK(scalar("SELECT count(*) FROM users WHERE source = 'ldap' AND active = 1") == kUsers);
        CHECK(scalar("SELECT count(*) FROM users WHERE source = 'ldap'") == kUsers);
        CHECK(scalar("SELECT count(*) FROM groups WHERE source = 'ldap' AND active = 1") == kGroups);
        CHECK(scalar("SELECT count(*) FROM groups WHERE source = 'ldap'") == kGroups);
        CHECK(scalar("SELECT count(*) FROM group_members") == memberships());
        std::size_t sameUsers = 0, sameGroups = 0;
        server.app().store().transact([&](db::Transaction& tx) {
            for (auto r : tx.exec("SELECT external_id, id FROM users WHERE source = 'ldap'"))
                sameUsers += userIds_.count(r.str(0)) && userIds_[r.str(0)] == r.str(1);
            for (auto r : tx.exec("SELECT external_id, id FROM groups WHERE source = 'ldap'"))
                sameGroups += groupIds_.count(r.str(0)) && groupIds_[r.str(0)] == r.str(1);
        });
        CHECK(sameUsers == kUsers);
        CHECK(sameGroups == kGroups);
        CHECK(text("SELECT description FROM groups WHERE name = 'g07'") == "set by the admin");
        CHECK(nlohmann::json::parse(text("SELECT permissions FROM groups WHERE name = 'g07'")) ==
              nlohmann::json::parse(R"({"workspace":{"models":true}})"));
    }

    /// The memberships the directory holds.
    static std::int64_t memberships() {
        std::int64_t n = 0;
        for (int g = 0; g < kGroups; ++g) {
            std::set<int> m;
            for (int i = g; i < kUsers; i += kGroups) m.insert(i);
            for (int i = g + 1; i < kUsers; i += kGroups * 3) m.insert(i);
            n += static_cast<std::int64_t>(m.size());
        }
        return n;
    }

    /// The newest run in the history, as /api/v1/sync/status shows it.
    nlohmann::json lastRun() {
        auto r = client.get("/api/v1/sync/status?limit=1", admin);
        REQUIRE(r.status == 200);
        REQUIRE(!r.json()["runs"].empty());
        return r.json()["runs"][0];
    }

    SlapdServer ldap;

private:
    static SlapdOptions withDirectory(SlapdOptions o) {
        if (o.ldif.empty()) o.ldif = directoryLdif();
        return o;
    }
    std::map<std::string, std::string> settingsFor(std::map<std::string, std::string> extra) {
        extra.emplace("sync.interval", "0");
        extra.emplace("ldap.timeout", "2s");
        extra.emplace("ldap.page_size", "100");
        return slapdSettings(ldap, std::move(extra));
    }
    std::map<std::string, std::string> settings_;
    std::map<std::string, std::string> userIds_, groupIds_;
    std::int64_t mark_ = 0;

public:
    TestServer server;
    HttpClient client;
    std::string admin;
};

/// What changeDirectory() does: users renamed, users added to group 1.
constexpr int kRenamed = 20;
constexpr int kJoined = 5;

/// Directory changes whose apply passes through user updates before it adds memberships.
inline void changeDirectory(FaultEnv& env) {
    for (int i = 0; i < kRenamed; ++i) env.ldap.replace(userDn(uidOf(i)), "cn", {"Renamed " + uidOf(i)});
    std::string ldif = "dn: " + groupDn(groupName(1)) + "\nchangetype: modify\nadd: member\n";
    for (int i = 0; i < kJoined; ++i) ldif += "member: " + userDn(uidOf(100 + i * 3)) + "\n";
    env.ldap.modify(ldif);
}

}  // namespace rosterd::test::faults
