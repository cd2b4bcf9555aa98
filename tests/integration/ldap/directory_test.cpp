#include "ldap/directory.h"

#include <catch2/catch.hpp>
#include <set>

#include "ldap/connection.h"
#include "ldap/escape.h"
#include "ldap/ldap_error.h"
#include "ldap_test_helpers.h"

// rosterd::ldap is spelled out: ldap/connection.h declares libldap's global `struct ldap`, which makes a bare
// `ldap::` ambiguous beside this using-directive (clang rejects it, GCC lets it pass).
using namespace rosterd;
using namespace rosterd::test;

namespace {

std::vector<std::string> uidsMatching(rosterd::ldap::Directory& dir, const std::string& username) {
    rosterd::ldap::SearchRequest req;
    req.base = SlapdServer::kPeople;
    req.filter = "(&(objectClass=inetOrgPerson)" + rosterd::ldap::equalityFilter("uid", username) + ")";
    req.attributes = {"uid"};
    std::vector<std::string> uids;
    for (const auto& e : dir.searchAll(req)) uids.push_back(*e.first("uid"));
    return uids;
}

}  // namespace

TEST_CASE("service bind, search with attributes and entryUUID") {
    SlapdServer slapd({.ldif = peopleAndGroupsLdif({{"alice", "Alice A", "Alice@Example.com", "pw"}}, {})});
    rosterd::ldap::Directory dir(slapd.config());
    dir.ping();
    rosterd::ldap::SearchRequest req;
    req.base = SlapdServer::kPeople;
    req.filter = "(uid=alice)";
    req.attributes = {"uid", "mail", "cn", "entryUUID"};
    auto entries = dir.searchAll(req);
    REQUIRE(entries.size() == 1);
    CHECK(rosterd::ldap::sameDn(entries[0].dn, userDn("alice")));
    CHECK(entries[0].first("MAIL") == "Alice@Example.com");
    CHECK(rosterd::ldap::stableId(entries[0], "entryUUID").size() == 36);
    CHECK(entries[0].values("userPassword").empty());
}

TEST_CASE("escaped usernames never widen a search") {
    SlapdServer slapd({.ldif = peopleAndGroupsLdif(numberedUsers(3), {})});
    rosterd::ldap::Directory dir(slapd.config());
    CHECK(uidsMatching(dir, "user0001") == std::vector<std::string>{"user0001"});
    // Unescaped, each of these would match every user.
    CHECK(uidsMatching(dir, "*").empty());
    CHECK(uidsMatching(dir, "*)(uid=*").empty());
    CHECK(uidsMatching(dir, "admin)(|(objectClass=*").empty());
    CHECK(uidsMatching(dir, "user0001)(uid=user0002").empty());
    CHECK(uidsMatching(dir, std::string("user0001\0", 9)).empty());
}

TEST_CASE("password checks bind as the entry; empty passwords never reach the server") {
    SlapdServer slapd({.ldif = peopleAndGroupsLdif({{"bob", "Bob", "bob@example.com", "right"}}, {})});
    rosterd::ldap::Directory dir(slapd.config());
    CHECK(dir.checkPassword(userDn("bob"), "right"));
    CHECK_FALSE(dir.checkPassword(userDn("bob"), "wrong"));
    CHECK_FALSE(dir.checkPassword(userDn("bob"), ""));
    CHECK_FALSE(dir.checkPassword(userDn("nobody"), "right"));
    // An empty-password bind is an unauthenticated bind that slapd reports as success: refused locally.
    auto conn = rosterd::ldap::Connection::open(slapd.config());
    CHECK_THROWS_AS(conn.bind(userDn("bob"), ""), LdapError);
}

TEST_CASE("paged search delivers several pages and every entry once") {
    SlapdServer slapd({.ldif = peopleAndGroupsLdif(numberedUsers(1200), {})});
    auto cfg = slapd.config();
    cfg.pageSize = 250;
    rosterd::ldap::Directory dir(cfg);
    rosterd::ldap::SearchRequest req;
    req.base = SlapdServer::kPeople;
    req.filter = "(objectClass=inetOrgPerson)";
    req.attributes = {"uid"};
    std::set<std::string> uids;
    std::vector<std::size_t> pageSizes;
    auto summary = dir.search(req, [&](std::vector<rosterd::ldap::Entry>& page) {
        pageSizes.push_back(page.size());
        for (auto& e : page) uids.insert(*e.first("uid"));
    });
    CHECK(summary.entries == 1200);
    CHECK(summary.pages == 5);
    CHECK(pageSizes == std::vector<std::size_t>{250, 250, 250, 250, 200});
    CHECK(uids.size() == 1200);
}

TEST_CASE("a size limit is reported as an incomplete read") {
    SlapdServer slapd({.ldif = peopleAndGroupsLdif(numberedUsers(60), {}), .serviceSizeLimit = "20"});
    auto cfg = slapd.config();
    cfg.pageSize = 10;
    rosterd::ldap::Directory dir(cfg);
    rosterd::ldap::SearchRequest req;
    req.base = SlapdServer::kPeople;
    req.filter = "(objectClass=inetOrgPerson)";
    req.attributes = {"uid"};
    std::size_t seen = 0;
    CHECK_THROWS_AS(dir.search(req, [&](std::vector<rosterd::ldap::Entry>& page) { seen += page.size(); }),
                    rosterd::ldap::IncompleteRead);
    CHECK(seen < 60);

    // The client-side limit counts too.
    rosterd::ldap::Directory unlimited(slapd.config());
    req.sizeLimit = 5;
    req.pageSize = 1000;
    CHECK_THROWS_AS(unlimited.search(req, [](std::vector<rosterd::ldap::Entry>&) {}), rosterd::ldap::IncompleteRead);
}

TEST_CASE("the next URL is tried when the first is dead") {
    SlapdServer slapd({.ldif = peopleAndGroupsLdif({{"carol", "Carol", "carol@example.com", "pw"}}, {})});
    auto cfg = slapd.config();
    std::string dead = "ldap://127.0.0.1:" + std::to_string(freePort());
    cfg.urls = {dead, slapd.url()};
    auto conn = rosterd::ldap::Connection::open(cfg);
    CHECK(conn.url() == slapd.url());
    rosterd::ldap::Directory dir(cfg);
    CHECK(dir.checkPassword(userDn("carol"), "pw"));

    cfg.urls = {dead};
    try {
        rosterd::ldap::Connection::open(cfg);
        FAIL("connected to a dead URL");
    } catch (const rosterd::ldap::Unreachable& e) {
        CHECK(std::string(e.what()).find(dead) != std::string::npos);
    }
}

TEST_CASE("a wrong service password is an error, not unreachable") {
    SlapdServer slapd;
    auto cfg = slapd.config();
    writeFile(slapd.dir() + "/bad.pw", "nope\n");
    cfg.bindPasswordFile = slapd.dir() + "/bad.pw";
    rosterd::ldap::Directory dir(cfg);
    try {
        dir.ping();
        FAIL("bound with a wrong password");
    } catch (const rosterd::ldap::Unreachable&) {
        FAIL("reported as unreachable");
    } catch (const LdapError& e) {
        CHECK(e.code() == 49);
        CHECK(std::string(e.what()).find("Invalid credentials") != std::string::npos);
    }
}

TEST_CASE("dead pooled connections are replaced after a restart") {
    SlapdServer slapd({.ldif = peopleAndGroupsLdif({{"dave", "Dave", "dave@example.com", "pw"}}, {})});
    rosterd::ldap::Directory dir(slapd.config());
    CHECK(dir.checkPassword(userDn("dave"), "pw"));
    dir.ping();
    slapd.restart();  // the pooled sockets are now closed by the server
    CHECK(dir.checkPassword(userDn("dave"), "pw"));
    dir.ping();
    slapd.kill();
    CHECK_THROWS_AS(dir.ping(), rosterd::ldap::Unreachable);
    CHECK_THROWS_AS(dir.checkPassword(userDn("dave"), "pw"), rosterd::ldap::Unreachable);
    slapd.start();
    CHECK(dir.checkPassword(userDn("dave"), "pw"));
}

TEST_CASE("concurrent binds use several pooled connections") {
    SlapdServer slapd({.ldif = peopleAndGroupsLdif(numberedUsers(8), {})});
    auto cfg = slapd.config();
    cfg.poolSize = 4;
    rosterd::ldap::Directory dir(cfg);
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&, t] {
            char uid[16];
            std::snprintf(uid, sizeof uid, "user%04d", t);
            for (int i = 0; i < 20; ++i)
                if (dir.checkPassword(userDn(uid), std::string("pw-") + uid)) ++ok;
        });
    for (auto& th : threads) th.join();
    CHECK(ok == 160);
}

TEST_CASE("a callback's own exception returns the connection to the pool") {
    SlapdServer slapd({.ldif = peopleAndGroupsLdif(numberedUsers(3), {})});
    auto cfg = slapd.config();
    cfg.poolSize = 1;
    cfg.timeout = std::chrono::milliseconds(500);
    rosterd::ldap::Directory dir(cfg);
    rosterd::ldap::SearchRequest req;
    req.base = SlapdServer::kPeople;
    for (int i = 0; i < 3; ++i)
        CHECK_THROWS_AS(dir.search(req, [](std::vector<rosterd::ldap::Entry>&) { throw std::runtime_error("stop"); }),
                        std::runtime_error);
    CHECK(dir.searchAll(req).size() == 4);  // the ou and three users: the single connection is free again
}

TEST_CASE("a connection dropped between pages is an incomplete read") {
    SlapdServer slapd({.ldif = peopleAndGroupsLdif(numberedUsers(50), {})});
    auto cfg = slapd.config();
    cfg.pageSize = 10;
    rosterd::ldap::Directory dir(cfg);
    rosterd::ldap::SearchRequest req;
    req.base = SlapdServer::kPeople;
    req.filter = "(objectClass=inetOrgPerson)";
    std::size_t seen = 0;
    CHECK_THROWS_AS(dir.search(req,
                               [&](std::vector<rosterd::ldap::Entry>& page) {
                                   seen += page.size();
                                   if (seen == 10) slapd.kill();
                               }),
                    rosterd::ldap::IncompleteRead);
    // The next page is asked for before a page is handed over, so the page in flight when slapd
    // died may still arrive; what never happens is a read that ends as if it were complete.
    CHECK(seen >= 10);
    CHECK(seen <= 20);
}
