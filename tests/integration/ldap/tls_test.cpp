#include <catch2/catch.hpp>

#include "ldap/connection.h"
#include "ldap/directory.h"
#include "ldap/ldap_error.h"
#include "support/slapd_server.h"

// rosterd::ldap is spelled out: ldap/connection.h declares libldap's global `struct ldap`, which makes a bare
// `ldap::` ambiguous beside this using-directive (clang rejects it, GCC lets it pass).
using namespace rosterd;
using namespace rosterd::test;

TEST_CASE("TLS: ldaps and StartTLS with the right CA, refusal with a wrong one") {
    SlapdServer slapd({.ldif = peopleAndGroupsLdif({{"erin", "Erin", "erin@example.com", "pw"}}, {}), .tls = true});

    SECTION("ldaps with the signing CA") {
        auto cfg = slapd.config();
        cfg.urls = {slapd.ldapsUrl()};
        rosterd::ldap::Directory dir(cfg);
        dir.ping();
        CHECK(dir.checkPassword(userDn("erin"), "pw"));
    }
    SECTION("StartTLS with the signing CA") {
        auto cfg = slapd.config();
        cfg.startTls = true;
        rosterd::ldap::Directory dir(cfg);
        dir.ping();
        CHECK(dir.checkPassword(userDn("erin"), "pw"));
    }
    SECTION("ldaps with an unrelated CA is refused") {
        auto cfg = slapd.config();
        cfg.urls = {slapd.ldapsUrl()};
        cfg.caFile = slapd.wrongCaFile();
        CHECK_THROWS_AS(rosterd::ldap::Connection::open(cfg), rosterd::ldap::Unreachable);
    }
    SECTION("StartTLS with an unrelated CA is refused") {
        auto cfg = slapd.config();
        cfg.startTls = true;
        cfg.caFile = slapd.wrongCaFile();
        CHECK_THROWS_AS(rosterd::ldap::Connection::open(cfg), rosterd::ldap::Unreachable);
    }
    SECTION("tls_verify = false accepts the unknown certificate") {
        auto cfg = slapd.config();
        cfg.urls = {slapd.ldapsUrl()};
        cfg.caFile = slapd.wrongCaFile();
        cfg.tlsVerify = false;
        rosterd::ldap::Directory dir(cfg);
        dir.ping();
    }
}
