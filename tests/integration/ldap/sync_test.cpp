#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "ldap/directory.h"
#include "ldap/ldap_error.h"
#include "ldap/sync_client.h"
#include "ldap_test_helpers.h"

// rosterd::ldap is spelled out: ldap/connection.h declares libldap's global `struct ldap`, which makes a bare
// `ldap::` ambiguous beside this using-directive (clang rejects it, GCC lets it pass).
using namespace rosterd;
using namespace rosterd::test;

namespace {

struct Collected {
    std::map<std::string, rosterd::ldap::SyncEntry> entries;  // by uuid
    std::vector<std::string> deleted;
    std::vector<std::string> present;
    rosterd::ldap::SyncResult result;
};

Collected runSync(rosterd::ldap::Directory& dir, const std::string& cookie) {
    Collected c;
    rosterd::ldap::SyncRequest req;
    req.base = SlapdServer::kPeople;
    req.filter = "(objectClass=inetOrgPerson)";
    req.attributes = {"uid", "mail", "cn", "entryUUID"};
    req.cookie = cookie;
    rosterd::ldap::SyncHandler h;
    h.onEntry = [&](rosterd::ldap::SyncEntry& e) {
        if (e.phase == rosterd::ldap::SyncPhase::Delete)
            c.deleted.push_back(e.uuid);
        else if (e.phase == rosterd::ldap::SyncPhase::Present)
            c.present.push_back(e.uuid);
        else
            c.entries[e.uuid] = e;
    };
    h.onIdSet = [&](rosterd::ldap::SyncPhase p, const std::vector<std::string>& ids) {
        auto& out = p == rosterd::ldap::SyncPhase::Delete ? c.deleted : c.present;
        out.insert(out.end(), ids.begin(), ids.end());
    };
    dir.withServiceConnection(
        [&](rosterd::ldap::Connection& conn) { c.result = rosterd::ldap::refreshOnly(conn, req, h); });
    return c;
}

}  // namespace

TEST_CASE("syncrepl refreshOnly: full load, then only the changes with the cookie") {
    SlapdServer slapd({.ldif = peopleAndGroupsLdif(numberedUsers(30), {})});
    rosterd::ldap::Directory dir(slapd.config());

    auto full = runSync(dir, "");
    CHECK(full.entries.size() == 30);
    CHECK_FALSE(full.result.cookie.empty());
    std::map<std::string, std::string> uuidByUid;
    for (auto& [uuid, e] : full.entries) {
        CHECK(e.phase == rosterd::ldap::SyncPhase::Add);
        CHECK(uuid == *e.entry.first("entryUUID"));
        uuidByUid[*e.entry.first("uid")] = uuid;
    }

    slapd.replace(userDn("user0003"), "mail", {"changed@example.com"});
    slapd.remove(userDn("user0007"));
    slapd.add(peopleAndGroupsLdif({{"newbie", "New Bie", "newbie@example.com", "pw"}}, {}));

    auto delta = runSync(dir, full.result.cookie);
    CHECK(delta.entries.size() == 2);
    REQUIRE(delta.entries.count(uuidByUid["user0003"]) == 1);
    CHECK(delta.entries[uuidByUid["user0003"]].entry.first("mail") == "changed@example.com");
    bool sawNewbie = false;
    for (auto& [uuid, e] : delta.entries)
        if (e.entry.first("uid") == "newbie") sawNewbie = true;
    CHECK(sawNewbie);
    // With the session log, removals come as deleted UUIDs.
    CHECK(delta.deleted == std::vector<std::string>{uuidByUid["user0007"]});
    CHECK(delta.result.cookie != full.result.cookie);

    auto quiet = runSync(dir, delta.result.cookie);
    CHECK(quiet.entries.empty());
    CHECK(quiet.deleted.empty());
}

TEST_CASE("syncrepl without a session log reports survivors as present") {
    SlapdServer slapd({.ldif = peopleAndGroupsLdif(numberedUsers(10), {}), .sessionLog = 0});
    rosterd::ldap::Directory dir(slapd.config());
    auto full = runSync(dir, "");
    REQUIRE(full.entries.size() == 10);
    std::string goneUuid;
    for (auto& [uuid, e] : full.entries)
        if (e.entry.first("uid") == "user0004") goneUuid = uuid;
    slapd.remove(userDn("user0004"));
    auto delta = runSync(dir, full.result.cookie);
    std::set<std::string> known;
    for (auto& [uuid, e] : full.entries) known.insert(uuid);
    if (delta.result.refreshDeletes) {
        CHECK(delta.deleted == std::vector<std::string>{goneUuid});
    } else {
        std::set<std::string> present(delta.present.begin(), delta.present.end());
        CHECK(present.size() == 9);
        CHECK(present.count(goneUuid) == 0);
    }
}

TEST_CASE("a bulk search reads every entry, and its pooled connection then serves syncrepl whole") {
    // One connection, so the refreshOnly below runs on the connection the bulk search used.
    SlapdServer slapd({.ldif = peopleAndGroupsLdif(numberedUsers(250), {})});
    rosterd::ldap::LdapConfig config = slapd.config();
    config.poolSize = 1;
    rosterd::ldap::Directory dir(config);
    for (int round = 0; round < 2; ++round) {
        rosterd::ldap::SearchRequest req;
        req.base = SlapdServer::kPeople;
        req.filter = "(objectClass=inetOrgPerson)";
        req.attributes = {"uid", "entryUUID"};
        req.pageSize = 40;  // several pages, each many entries to a read
        req.bulk = true;
        std::set<std::string> uids;
        std::size_t pages = 0;
        dir.search(req, [&](std::vector<rosterd::ldap::Entry>& page) {
            ++pages;
            for (auto& e : page) uids.insert(*e.first("uid"));
        });
        CHECK(uids.size() == 250);
        CHECK(pages == 7);
        auto full = runSync(dir, "");
        CHECK(full.entries.size() == 250);
        CHECK_FALSE(full.result.cookie.empty());
    }
}
