#pragma once
// What the directory-sync tests share: people in a slapd, a rosterd on either store driver with the
// scheduled sync off and the deactivation gate open, an admin's token, and reads of the store.
#include <catch2/catch.hpp>
#include <cctype>
#include <map>
#include <string>
#include <vector>

#include "../accounts/accounts_fixture.h"
#include "support/ldap_settings.h"
#include "support/slapd_server.h"
#include "support/test_server.h"

namespace rosterd::test {

/// ann, bob, cid and dee, then `more`: uid, a capitalised name, <uid>@corp.example, password "pw".
inline std::vector<DirectoryUser> people(const std::vector<std::string>& more = {}) {
    std::vector<std::string> uids = {"ann", "bob", "cid", "dee"};
    uids.insert(uids.end(), more.begin(), more.end());
    std::vector<DirectoryUser> out;
    for (const auto& uid : uids) {
        std::string name = uid;
        name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
        out.push_back({uid, name, uid + "@corp.example", "pw"});
    }
    return out;
}

/// The settings of a rosterd synchronising with `ldap` only when asked, whatever share of the users
/// a run deactivates; `extra` comes first, so it may close the gate again.
inline std::map<std::string, std::string> syncSettings(const SlapdServer& ldap,
                                                       std::map<std::string, std::string> extra = {}) {
    extra.emplace("sync.interval", "0");
    extra.emplace("sync.max_deactivation_percent", "100");
    return slapdSettings(ldap, std::move(extra));
}

/// The `[ldap]` section of an INI file for `ldap`, for tests of the command line.
inline std::string ldapIniSection(const SlapdServer& ldap) {
    std::string ini = "[ldap]\n";
    for (const auto& [k, v] : slapdSettings(ldap, {}))
        if (k.rfind("ldap.", 0) == 0) ini += k.substr(5) + " = " + v + "\n";
    return ini;
}

struct SyncEnv {
    SyncEnv(db::Driver driver, SlapdOptions options, std::map<std::string, std::string> extra = {},
            bool withAdmin = true)
        : ldap(std::move(options)), server(driver, syncSettings(ldap, std::move(extra))), client(server.client()) {
        // The first account to sign up becomes the admin; a scheduled sync may create users first.
        if (withAdmin) admin = tokenOf(signup(client, "Admin", "admin@local.example"));
    }
    HttpResult run(nlohmann::json body = nlohmann::json::object(), const std::string& query = "") {
        return client.post("/api/v1/sync/run" + query, body, admin);
    }
    std::int64_t scalar(const std::string& sql, const db::Params& p = {}) {
        return server.app().store().transact([&](db::Transaction& tx) { return tx.exec(sql, p).front().i64(0); });
    }
    std::string text(const std::string& sql, const db::Params& p = {}) {
        return server.app().store().transact([&](db::Transaction& tx) { return tx.exec(sql, p).front().str(0); });
    }
    std::int64_t outbox() { return scalar("SELECT count(*) FROM outbox"); }
    /// The data of the events of `type`, oldest first.
    std::vector<nlohmann::json> events(const std::string& type) { return server.events(type); }
    SlapdServer ldap;
    TestServer server;
    HttpClient client;
    std::string admin;
};

}  // namespace rosterd::test
