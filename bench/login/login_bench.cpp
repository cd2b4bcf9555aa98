// Login throughput: LDAP logins through rosterd's HTTP API against a direct libldap
// search-then-bind loop at the same concurrency, and bcrypt password sign-ins against the
// machine's hashing capacity (cores / one hash's time). Prints figures and ratios.
//
//   bench_login [--users 100000] [--seconds 5] [--clients 8]
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <sstream>
#include <thread>
#include <utility>
#include <vector>

#include "accounts/password_hasher.h"
#include "ldap/connection.h"
#include "ldap/escape.h"
#include "support/slapd_server.h"
#include "support/test_server.h"

// rosterd::ldap is spelled out: ldap/connection.h declares libldap's global `struct ldap`, which makes a bare
// `ldap::` ambiguous beside this using-directive (clang rejects it, GCC lets it pass).
using namespace rosterd;
using namespace rosterd::test;
using Steady = std::chrono::steady_clock;

namespace {

int argInt(int argc, char** argv, const char* name, int def) {
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], name) == 0) return std::atoi(argv[i + 1]);
    return def;
}

std::string uidOf(int i) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "u%06d", i);
    return buf;
}

/// One client of the API keeping its connection open between requests, as a web app's backend would.
class KeepAliveClient {
public:
    explicit KeepAliveClient(int port) : session_("127.0.0.1", static_cast<Poco::UInt16>(port)) {
        session_.setKeepAlive(true);
    }
    /// POSTs JSON; returns the status.
    int post(const std::string& path, const std::string& body) {
        Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_POST, path, Poco::Net::HTTPMessage::HTTP_1_1);
        req.setContentType("application/json");
        req.setContentLength(static_cast<std::streamsize>(body.size()));
        req.setKeepAlive(true);
        session_.sendRequest(req) << body;
        Poco::Net::HTTPResponse res;
        std::istream& in = session_.receiveResponse(res);
        std::string ignored((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        return res.getStatus();
    }

private:
    Poco::Net::HTTPClientSession session_;
};

/// Runs `op(threadIndex, rng)` on `clients` threads for `seconds`; returns completed ops per second.
template <typename Op>
double measure(int clients, int seconds, Op op, std::atomic<long>& failures) {
    std::atomic<bool> stop{false};
    std::atomic<long> done{0};
    std::vector<std::thread> threads;
    auto start = Steady::now();
    for (int t = 0; t < clients; ++t)
        threads.emplace_back([&, t] {
            std::mt19937 rng(static_cast<unsigned>(t * 7919 + 1));
            while (!stop.load(std::memory_order_relaxed)) {
                if (op(t, rng))
                    ++done;
                else
                    ++failures;
            }
        });
    std::this_thread::sleep_for(std::chrono::seconds(seconds));  // the measurement window itself
    stop = true;
    for (auto& th : threads) th.join();
    double elapsed = std::chrono::duration<double>(Steady::now() - start).count();
    return static_cast<double>(done.load()) / elapsed;
}

}  // namespace

int main(int argc, char** argv) {
    int users = argInt(argc, argv, "--users", 100'000);
    int seconds = argInt(argc, argv, "--seconds", 5);
    int clients = argInt(argc, argv, "--clients", 8);
    int warmUsers = std::min(users, 2'000);
    unsigned cores = std::max(1u, std::thread::hardware_concurrency());

    std::printf("loading %d users into slapd...\n", users);
    std::string ldif;
    ldif.reserve(static_cast<std::size_t>(users) * 200);
    for (int i = 0; i < users; ++i) {
        std::string uid = uidOf(i);
        ldif += "dn: uid=" + uid + "," + SlapdServer::kPeople + "\nobjectClass: inetOrgPerson\nuid: " + uid +
                "\ncn: User " + uid + "\nsn: " + uid + "\nmail: " + uid + "@example.com\nuserPassword: pw-" + uid +
                "\n\n";
    }
    // Groups for the directory-policy figure: every warm-up user in `staff` (allowed_groups), the
    // first 200 also in `admins` (admin_groups), each also in one of 50 other groups.
    auto groupLdif = [&](const std::string& cn, int from, int to, int step) {
        std::string g = "dn: cn=" + cn + "," + SlapdServer::kGroups + "\nobjectClass: groupOfNames\ncn: " + cn + "\n";
        for (int i = from; i < to; i += step) g += "member: uid=" + uidOf(i) + "," + SlapdServer::kPeople + "\n";
        return g + "\n";
    };
    std::string groups = groupLdif("staff", 0, warmUsers, 1) + groupLdif("admins", 0, std::min(warmUsers, 200), 1);
    for (int k = 0; k < 50; ++k) groups += groupLdif("team" + std::to_string(k), k, warmUsers, 50);
    auto t0 = Steady::now();
    // The memberof overlay keeps each member's memberOf, as Active Directory does; it sees only
    // changes made through LDAP, so the groups are added once slapd runs.
    SlapdServer slapd({.ldif = ldif, .memberOf = true});
    slapd.add(groups);
    std::printf("slapd ready in %.1f s\n", std::chrono::duration<double>(Steady::now() - t0).count());
    rosterd::ldap::LdapConfig cfg = slapd.config();
    cfg.poolSize = static_cast<std::size_t>(clients);

    // 1. Direct libldap: each client owns a service-bound connection and a bind connection.
    std::vector<rosterd::ldap::Connection> search, bind;
    for (int t = 0; t < clients; ++t) {
        search.push_back(rosterd::ldap::Connection::open(cfg));
        search.back().bind(SlapdServer::kServiceDn, SlapdServer::kServicePassword);
        bind.push_back(rosterd::ldap::Connection::open(cfg));
    }
    // The machine's speed drifts over a run (two shared cores): the direct loop is measured again
    // after every rosterd measurement, and each rosterd figure is compared with the mean of the
    // direct figures just before and just after it.
    std::atomic<long> directFailures{0};
    std::vector<double> directs;
    auto measureDirect = [&] {
        directs.push_back(measure(
            clients, seconds,
            [&](int t, std::mt19937& rng) {
                std::string uid = uidOf(static_cast<int>(rng() % static_cast<unsigned>(users)));
                rosterd::ldap::SearchRequest req;
                req.base = SlapdServer::kPeople;
                req.filter = "(&(objectClass=inetOrgPerson)" + rosterd::ldap::equalityFilter("uid", uid) + ")";
                req.attributes = {"uid", "mail", "cn", "entryUUID"};
                std::vector<rosterd::ldap::Entry> found;
                search[t].search(req, [&](std::vector<rosterd::ldap::Entry>& page) { found = std::move(page); });
                return found.size() == 1 && bind[t].tryBind(found[0].dn, "pw-" + uid);
            },
            directFailures));
    };
    measureDirect();
    // `rate`'s ratio to the direct figures measured around it (the last one is taken now).
    auto againstDirect = [&](double rate) {
        const double before = directs.back();
        measureDirect();
        return rate / ((before + directs.back()) / 2);
    };

    // 2. Through rosterd's HTTP API (SQLite store). Users log in once first so the measured
    //    logins are the steady state (returning users), not first-login inserts.
    TestServer server(db::Driver::Sqlite, {{"ldap.enabled", "true"},
                                           {"ldap.url", slapd.url()},
                                           {"ldap.bind_dn", SlapdServer::kServiceDn},
                                           {"ldap.bind_password_file", slapd.servicePasswordFile()},
                                           {"ldap.user_base", SlapdServer::kPeople},
                                           {"ldap.pool_size", std::to_string(clients)},
                                           {"auth.default_user_role", "user"},
                                           {"auth.bcrypt_cost", "12"},
                                           {"auth.enable_signup", "true"}});
    HttpClient http = server.client();
    for (int i = 0; i < warmUsers; ++i) {
        auto r = http.post("/api/v1/auths/ldap", {{"user", uidOf(i)}, {"password", "pw-" + uidOf(i)}});
        if (r.status != 200) {
            std::fprintf(stderr, "warm-up login of %s failed: %d %s\n", uidOf(i).c_str(), r.status, r.body.c_str());
            return 1;
        }
    }
    std::vector<std::unique_ptr<KeepAliveClient>> keepAlive;
    for (int t = 0; t < clients; ++t) keepAlive.push_back(std::make_unique<KeepAliveClient>(server.port()));
    std::atomic<long> httpFailures{0};
    double viaHttp = measure(
        clients, seconds,
        [&](int t, std::mt19937& rng) {
            std::string uid = uidOf(static_cast<int>(rng() % static_cast<unsigned>(warmUsers)));
            nlohmann::json body = {{"user", uid}, {"password", "pw-" + uid}};
            return keepAlive[static_cast<std::size_t>(t)]->post("/api/v1/auths/ldap", body.dump()) == 200;
        },
        httpFailures);
    const double viaHttpRatio = againstDirect(viaHttp);
    std::atomic<long> freshFailures{0};
    double viaHttpFresh = measure(
        clients, seconds,
        [&](int, std::mt19937& rng) {
            std::string uid = uidOf(static_cast<int>(rng() % static_cast<unsigned>(warmUsers)));
            auto r = http.post("/api/v1/auths/ldap", {{"user", uid}, {"password", "pw-" + uid}});
            return r.status == 200;
        },
        freshFailures);
    const double viaHttpFreshRatio = againstDirect(viaHttpFresh);

    // 2b. The same with the directory policy on ([ldap] admin_groups, allowed_groups): each login
    //     also reads the user's groups to decide. With member_of_attribute they come from the
    //     entry read after the bind (kept by the memberof overlay), otherwise from a search of the
    //     group base (here the group search makes slapd test the 2,000-member `staff`).
    auto policyRate = [&](bool fromMemberOf, bool nested, const char* nestingCache, const char* loginDnCache,
                          std::atomic<long>& failures) -> double {
        TestServer policyServer(db::Driver::Sqlite, {{"ldap.enabled", "true"},
                                                     {"ldap.url", slapd.url()},
                                                     {"ldap.bind_dn", SlapdServer::kServiceDn},
                                                     {"ldap.bind_password_file", slapd.servicePasswordFile()},
                                                     {"ldap.user_base", SlapdServer::kPeople},
                                                     {"ldap.group_base", SlapdServer::kGroups},
                                                     {"ldap.admin_groups", "admins"},
                                                     {"ldap.allowed_groups", "staff"},
                                                     {"ldap.member_of_attribute", fromMemberOf ? "memberOf" : ""},
                                                     {"ldap.pool_size", std::to_string(clients)},
                                                     {"sync.interval", "0"},
                                                     {"sync.nested_groups", nested ? "true" : "false"},
                                                     {"ldap.nested_groups_cache", nestingCache},
                                                     {"ldap.login_dn_cache", loginDnCache},
                                                     {"auth.default_user_role", "user"}});
        HttpClient ph = policyServer.client();
        for (int i = 0; i < warmUsers; ++i) {
            auto r = ph.post("/api/v1/auths/ldap", {{"user", uidOf(i)}, {"password", "pw-" + uidOf(i)}});
            if (r.status != 200) {
                std::fprintf(stderr, "warm-up login (policy) of %s failed: %d %s\n", uidOf(i).c_str(), r.status,
                             r.body.c_str());
                return -1;
            }
        }
        std::vector<std::unique_ptr<KeepAliveClient>> pk;
        for (int t = 0; t < clients; ++t) pk.push_back(std::make_unique<KeepAliveClient>(policyServer.port()));
        return measure(
            clients, seconds,
            [&](int t, std::mt19937& rng) {
                std::string uid = uidOf(static_cast<int>(rng() % static_cast<unsigned>(warmUsers)));
                nlohmann::json body = {{"user", uid}, {"password", "pw-" + uid}};
                return pk[static_cast<std::size_t>(t)]->post("/api/v1/auths/ldap", body.dump()) == 200;
            },
            failures);
    };
    // nested_groups = true (the default) adds a search for the groups holding the user's groups,
    // unless nested_groups_cache keeps its answer; this directory nests none, so its admin may
    // also turn nesting off.
    std::atomic<long> memberOfFailures{0}, cachedFailures{0}, nestingKeptFailures{0}, flatFailures{0},
        searchFailures{0};
    // Each variant's rate and its ratio to the direct runs around it; a rate of -1: its warm-up failed.
    auto policyFigure = [&](bool fromMemberOf, bool nested, const char* nestingCache, const char* loginDnCache,
                            std::atomic<long>& failures) {
        const double rate = policyRate(fromMemberOf, nested, nestingCache, loginDnCache, failures);
        return std::pair{rate, rate < 0 ? 0.0 : againstDirect(rate)};
    };
    // login_dn_cache keeps each name's DN, so a returning sign-in binds without searching first.
    const auto [viaMemberOfCached, viaMemberOfCachedRatio] = policyFigure(true, true, "60s", "60s", cachedFailures);
    const auto [viaNestingKept, viaNestingKeptRatio] = policyFigure(true, true, "60s", "0", nestingKeptFailures);
    const auto [viaMemberOf, viaMemberOfRatio] = policyFigure(true, true, "0", "0", memberOfFailures);
    const auto [viaMemberOfFlat, viaMemberOfFlatRatio] = policyFigure(true, false, "0", "0", flatFailures);
    const auto [viaGroupSearch, viaGroupSearchRatio] = policyFigure(false, true, "0", "0", searchFailures);
    if (viaMemberOfCached < 0 || viaNestingKept < 0 || viaMemberOf < 0 || viaMemberOfFlat < 0 || viaGroupSearch < 0)
        return 1;
    search.clear();
    bind.clear();

    // 3. bcrypt sign-ins at cost 12 against cores / one hash's time.
    accounts::PasswordHasher hasher(12);
    auto h0 = Steady::now();
    (void)hasher.hash("correct horse battery");
    double oneHash = std::chrono::duration<double>(Steady::now() - h0).count();
    double capacity = cores / oneHash;
    // For context: what `cores` threads hashing directly achieve on this (shared) machine right now.
    std::atomic<long> hashFailures{0};
    double parallelHashes = measure(
        static_cast<int>(cores), std::max(seconds, 4),
        [&](int, std::mt19937&) { return !hasher.hash("correct horse battery").empty(); }, hashFailures);
    auto su = http.post("/api/v1/auths/signup",
                        {{"name", "Bench"}, {"email", "bench@example.com"}, {"password", "correct horse battery"}});
    if (su.status != 200) {
        std::fprintf(stderr, "signup of the bench user failed: %d %s\n", su.status, su.body.c_str());
        return 1;
    }
    std::atomic<long> signinFailures{0};
    double signins = measure(
        clients, std::max(seconds, 8),
        [&](int, std::mt19937&) {
            auto r = http.post("/api/v1/auths/signin",
                               {{"email", "bench@example.com"}, {"password", "correct horse battery"}});
            return r.status == 200;
        },
        signinFailures);

    std::printf("\n%d users in slapd, %d concurrent clients, %u cores\n", users, clients, cores);
    const auto [slowest, fastest] = std::minmax_element(directs.begin(), directs.end());
    double directSum = 0;
    for (double d : directs) directSum += d;
    std::printf(
        "direct libldap search+bind : %8.0f /s mean of %zu runs, %.0f to %.0f  (%ld failures); each ratio below is "
        "against the runs just before and after it\n",
        directSum / static_cast<double>(directs.size()), directs.size(), *slowest, *fastest, directFailures.load());
    std::printf("rosterd POST /auths/ldap (keep-alive) : %8.0f /s  (%ld failures)  ratio %.2fx (goal >= 0.5x)\n",
                viaHttp, httpFailures.load(), viaHttpRatio);
    std::printf("  same, new TCP connection per request: %8.0f /s  (%ld failures)  ratio %.2fx\n", viaHttpFresh,
                freshFailures.load(), viaHttpFreshRatio);
    std::printf(
        "rosterd POST /auths/ldap, directory policy on, groups re-read from memberOf, nesting and DN kept 60 s "
        "(keep-alive) : %8.0f /s  (%ld failures)  ratio %.2fx direct (goal >= 0.5x), %.2fx without the policy\n",
        viaMemberOfCached, cachedFailures.load(), viaMemberOfCachedRatio, viaMemberOfCached / viaHttp);
    auto printVariant = [&](const char* label, double rate, const std::atomic<long>& failures, double ratio) {
        std::printf("  %-38s %8.0f /s  (%ld failures)  ratio %.2fx direct, %.2fx without the policy\n", label, rate,
                    failures.load(), ratio, rate / viaHttp);
    };
    printVariant("same, DN searched at every login:", viaNestingKept, nestingKeptFailures, viaNestingKeptRatio);
    printVariant("same, nesting asked at every login too:", viaMemberOf, memberOfFailures, viaMemberOfRatio);
    printVariant("same, nested_groups = false:", viaMemberOfFlat, flatFailures, viaMemberOfFlatRatio);
    printVariant("groups re-read by a group search:", viaGroupSearch, searchFailures, viaGroupSearchRatio);
    std::printf("bcrypt cost 12, one hash   : %8.3f s -> capacity %.2f /s (cores / hash time)\n", oneHash, capacity);
    std::printf("  direct bcrypt on %u threads   : %8.2f /s\n", cores, parallelHashes);
    std::printf("rosterd POST /auths/signin : %8.2f /s  (%ld failures)  ratio %.2fx (goal >= 0.9x)\n", signins,
                signinFailures.load(), signins / capacity);
    std::printf("  against direct parallel bcrypt: ratio %.2fx\n", signins / parallelHashes);
    return 0;
}
