// Directory sync benchmark: 100,000 users and 5,000 groups (250,000 memberships) in a local slapd.
// Floor = ldapsearch paging every entry to a file + a bulk copy of the same rows into the store
// (psql \copy on PostgreSQL, sqlite3 .import on SQLite). Each rosterd figure is a `rosterd sync`
// process (start-up included), timed and measured for peak RSS with wait4(). The machine's speed
// drifts, so each figure is paired with its baseline taken right before it, in three rounds, and
// the median ratio is the result.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "common/random.h"
#include "support/process.h"
#include "support/slapd_server.h"
#include "support/test_database.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

struct Measured {
    double seconds = 0;
    long maxRssKb = 0;
    int exitCode = -1;
};

// Runs argv with stdout/stderr to `logFile`, returning wall time, peak RSS and exit code.
Measured timed(const std::vector<std::string>& argv, const std::string& logFile) {
    auto start = std::chrono::steady_clock::now();
    pid_t pid = fork();
    if (pid == 0) {
        FILE* f = std::fopen(logFile.c_str(), "a");
        if (f) {
            dup2(fileno(f), 1);
            dup2(fileno(f), 2);
        }
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execvp(args[0], args.data());
        _exit(127);
    }
    int status = 0;
    struct rusage ru {};
    wait4(pid, &status, 0, &ru);
    Measured m;
    m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    m.maxRssKb = ru.ru_maxrss;
    m.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return m;
}

// The sync's own duration as `rosterd sync` prints it (process start-up excluded).
double runDuration(const std::string& logFile) {
    std::ifstream in(logFile);
    std::string line;
    double d = -1;
    while (std::getline(in, line))
        if (line.rfind("run duration: ", 0) == 0) d = std::stod(line.substr(14));
    return d;
}

Measured shell(const std::string& cmd, const std::string& log) { return timed({"/bin/sh", "-c", cmd}, log); }

std::string q(const std::string& s) { return "'" + s + "'"; }

void check(const Measured& m, const std::string& what) {
    if (m.exitCode != 0) throw std::runtime_error(what + " failed with exit code " + std::to_string(m.exitCode));
}

bool logContains(const std::string& logFile, const std::string& needle) {
    std::ifstream in(logFile);
    std::string line;
    while (std::getline(in, line))
        if (line.find(needle) != std::string::npos) return true;
    return false;
}

// One paired measurement: a baseline and rosterd's figure, taken back to back.
struct Round {
    double baseline = 0;
    Measured rosterd;
    double ratio() const { return rosterd.seconds / baseline; }
};

// The round of median ratio: the machine is shared and noisy, and a single round can be far off.
Round medianRound(std::vector<Round> rounds) {
    std::sort(rounds.begin(), rounds.end(), [](const Round& a, const Round& b) { return a.ratio() < b.ratio(); });
    return rounds[rounds.size() / 2];
}

// Lets PostgreSQL catch up after a bulk load (outside any timing): otherwise autovacuum works
// through the loaded tables while the next figure is taken, on the same two cores.
void settle(db::Driver driver, const std::string& url, const std::string& log) {
    if (driver != db::Driver::Postgres) return;
    check(shell("psql -q -v ON_ERROR_STOP=1 " + q(url) + " -c 'VACUUM (ANALYZE)'", log), "vacuum");
}

// "u17", "g3": built in place, as g++ 12 warns falsely on "u" + std::to_string(n) when optimising.
std::string numbered(char prefix, int n) {
    std::string s = std::to_string(n);
    s.insert(s.begin(), prefix);
    return s;
}

// The generated directory: users u0..uN-1, groups g0..gM-1 of `perGroup` members each.
std::string directoryLdif(int users, int groups, int perGroup) {
    std::vector<DirectoryUser> people;
    people.reserve(users);
    for (int i = 0; i < users; ++i) {
        std::string uid = numbered('u', i);
        people.push_back({uid, "User " + std::to_string(i), uid + "@corp.example", ""});
    }
    std::vector<DirectoryGroup> gs;
    for (int g = 0; g < groups; ++g) {
        DirectoryGroup grp{numbered('g', g), {}, false, 0};
        for (int k = 0; k < perGroup; ++k) grp.memberUids.push_back(numbered('u', (g * perGroup + k) % users));
        gs.push_back(std::move(grp));
    }
    return peopleAndGroupsLdif(people, gs);
}

std::string writeIni(const std::string& path, const std::string& dbUrl, const SlapdServer& ldap,
                     const std::string& dir) {
    std::ofstream f(path);
    f << "[log]\nlevel = debug\n[database]\nurl = " << dbUrl << "\n[auth]\njwt_secret_file = " << dir
      << "/jwt\n[ldap]\nenabled = true\nurl = " << ldap.url() << "\nbind_dn = " << SlapdServer::kServiceDn
      << "\nbind_password_file = " << ldap.servicePasswordFile() << "\nuser_base = " << SlapdServer::kPeople
      << "\ngroup_base = " << SlapdServer::kGroups << "\npage_size = 1000\n[sync]\ninterval = 0\nmode = incremental\n";
    return path;
}

// 100 user entries of a directory of `users` get a new cn (spread over the whole directory).
void change100(SlapdServer& ldap, int users, int round) {
    std::string ldif;
    for (int i = 0; i < 100; ++i)
        ldif += "dn: uid=u" + std::to_string(i * (users / 100)) + "," + SlapdServer::kPeople +
                "\nchangetype: modify\nreplace: cn\ncn: Changed " + std::to_string(round) + "\n\n";
    ldap.modify(ldif);
}

struct IncrementalFigure {
    Measured wall;
    double run = 0;
    bool incremental = false;
};

// An incremental run after 100 changed entries, against a store already in sync.
IncrementalFigure incrementalAfter100(SlapdServer& ldap, int users, const std::string& ini, const std::string& logFile,
                                      int round) {
    change100(ldap, users, round);
    IncrementalFigure f;
    f.wall = timed({ROSTERD_BINARY, "--config", ini, "sync"}, logFile);
    check(f.wall, "incremental sync after 100 changes");
    f.run = runDuration(logFile);
    f.incremental = logContains(logFile, "incrementally");
    return f;
}

// Four rounds of 100 changes and an incremental run; the figure is the median of the last three.
// The first round is reported on its own: a slapd started moments ago has an empty session log,
// so its first refresh after the full sync's cookie sends every entry's UUID (a present phase)
// where a server that has been running sends only the changes.
struct IncrementalRounds {
    IncrementalFigure first;
    IncrementalFigure median;
    bool allIncremental = true;
};

IncrementalRounds incrementalRounds(SlapdServer& ldap, int users, const std::string& ini, const std::string& logBase,
                                    int& round) {
    IncrementalRounds r;
    std::vector<IncrementalFigure> later;
    for (int i = 0; i < 4; ++i) {
        IncrementalFigure f =
            incrementalAfter100(ldap, users, ini, logBase + "-" + std::to_string(i) + ".log", ++round);
        r.allIncremental = r.allIncremental && f.incremental;
        if (i == 0)
            r.first = f;
        else
            later.push_back(f);
    }
    std::sort(later.begin(), later.end(),
              [](const IncrementalFigure& a, const IncrementalFigure& b) { return a.wall.seconds < b.wall.seconds; });
    r.median = later[1];
    return r;
}

// `bench_sync --policy [users] [groups] [sqlite|postgresql]`: the directory policy's cost. The
// directory of the main figure plus `admins` (2,000 members) and `allowed` (every user); two
// stores synced side by side, one with [ldap] admin_groups = admins and allowed_groups = allowed,
// one without; the initial sync and three rounds of a no-change full sync of each, alternated.
int policyBench(int users, int groups, db::Driver driver) {
    const int perGroup = 50;
    const int admins = std::min(users, 2'000);
    std::string dir = makeTempDir("rosterd-bench-policy");
    std::string log = dir + "/bench.log";
    std::string ldif = directoryLdif(users, groups, perGroup);
    auto big = [&](const std::string& cn, int n) {
        std::string g = "dn: cn=" + cn + "," + SlapdServer::kGroups + "\nobjectClass: groupOfNames\ncn: " + cn + "\n";
        for (int i = 0; i < n; ++i) g += "member: uid=" + numbered('u', i) + "," + SlapdServer::kPeople + "\n";
        return g + "\n";
    };
    ldif += big("admins", admins) + big("allowed", users);
    SlapdServer ldap({.ldif = ldif});
    std::printf("directory: %d users, %d groups of %d + admins (%d members) + allowed (%d members), %s (work dir %s)\n",
                users, groups, perGroup, admins, users, db::driverName(driver), dir.c_str());
    const std::string plainIni = writeIni(dir + "/plain.ini", freshDatabaseUrl(driver), ldap, dir);
    const std::string policyIni = writeIni(dir + "/policy.ini", freshDatabaseUrl(driver), ldap, dir);
    std::ofstream(policyIni, std::ios::app) << "[ldap]\nadmin_groups = admins\nallowed_groups = allowed\n";
    for (const auto* ini : {&plainIni, &policyIni})
        check(timed({ROSTERD_BINARY, "--config", *ini, "migrate"}, log), "migrate");
    Measured plainFirst = timed({ROSTERD_BINARY, "--config", plainIni, "sync"}, dir + "/plain-first.log");
    check(plainFirst, "initial sync");
    Measured policyFirst = timed({ROSTERD_BINARY, "--config", policyIni, "sync"}, dir + "/policy-first.log");
    check(policyFirst, "initial sync (policy)");
    std::vector<Round> rounds;  // baseline: without the keys; rosterd: with them
    for (int i = 0; i < 3; ++i) {
        Round r;
        Measured plain = timed({ROSTERD_BINARY, "--config", plainIni, "sync", "--full"},
                               dir + "/plain-" + std::to_string(i) + ".log");
        check(plain, "full sync");
        r.baseline = plain.seconds;
        r.rosterd = timed({ROSTERD_BINARY, "--config", policyIni, "sync", "--full"},
                          dir + "/policy-" + std::to_string(i) + ".log");
        check(r.rosterd, "full sync (policy)");
        rounds.push_back(r);
    }
    const Round m = medianRound(rounds);
    std::printf("  initial full sync: without the keys %.2f s, with admin_groups + allowed_groups %.2f s = %.2fx\n",
                plainFirst.seconds, policyFirst.seconds, policyFirst.seconds / plainFirst.seconds);
    std::printf("  no-change full sync, median of 3 rounds: without %.2f s, with %.2f s = %.2fx (goal <= 1.1x)\n",
                m.baseline, m.rosterd.seconds, m.ratio());
    for (const auto& r : rounds)
        std::printf("    round: without %.2f s, with %.2f s = %.2fx\n", r.baseline, r.rosterd.seconds, r.ratio());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc > 1 && std::string(argv[1]) == "--policy")
        return policyBench(
            argc > 2 ? std::stoi(argv[2]) : 100'000, argc > 3 ? std::stoi(argv[3]) : 5'000,
            argc > 4 && std::string(argv[4]) == "postgresql" ? db::Driver::Postgres : db::Driver::Sqlite);
    const int users = argc > 1 ? std::stoi(argv[1]) : 100'000;
    const int groups = argc > 2 ? std::stoi(argv[2]) : 5'000;
    const int perGroup = 50;
    std::string dir = makeTempDir("rosterd-bench-sync");
    std::string log = dir + "/bench.log";
    std::printf("directory: %d users, %d groups, %d memberships (work dir %s)\n", users, groups, groups * perGroup,
                dir.c_str());

    auto t0 = std::chrono::steady_clock::now();
    SlapdServer ldap({.ldif = directoryLdif(users, groups, perGroup)});
    // The same shape at a tenth of the size, to show an incremental run does not grow with it.
    const int smallUsers = users / 10, smallGroups = groups / 10;
    SlapdServer small({.ldif = directoryLdif(smallUsers, smallGroups, perGroup)});
    std::printf("slapadd + start: %.2f s\n",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());

    // Floor, part 1: ldapsearch paging users and groups to files.
    std::string search = "ldapsearch -x -LLL -H " + ldap.url() + " -D " + q(SlapdServer::kServiceDn) + " -w " +
                         q(SlapdServer::kServicePassword) + " -E pr=1000/noprompt";
    const std::string searchBoth = search + " -b " + q(SlapdServer::kPeople) +
                                   " '(objectClass=inetOrgPerson)' entryUUID uid mail cn > " + dir + "/users.ldif && " +
                                   search + " -b " + q(SlapdServer::kGroups) +
                                   " '(objectClass=groupOfNames)' entryUUID cn member > " + dir + "/groups.ldif";
    // The first read after slapd starts also fills its entry cache; every rosterd run comes after
    // it. The baseline for each figure is then taken right next to it (below), as the machine's
    // speed drifts over a run.
    Measured coldSearch = shell(searchBoth, log);
    check(coldSearch, "ldapsearch");
    auto ldapsearch = [&] {
        Measured m = shell(searchBoth, log);
        check(m, "ldapsearch");
        return m;
    };
    std::printf("ldapsearch (users + groups to a file), first run (fills slapd's cache): %.2f s\n", coldSearch.seconds);

    // Rows for the bulk copy: the same users, groups and memberships rosterd writes, keyed the way
    // sync keys them (time-ordered UUIDs; external ids are the directory's own random UUIDs).
    {
        std::ofstream u(dir + "/users.csv"), g(dir + "/groups.csv"), m(dir + "/members.csv");
        std::vector<std::string> uid(users), gid(groups);
        for (auto& x : uid) x = rosterd::newTimeOrderedUuid();
        for (auto& x : gid) x = rosterd::newTimeOrderedUuid();
        for (int i = 0; i < users; ++i)
            u << uid[i] << ",User " << i << ",u" << i << "@corp.example,user,ldap,1,u" << i << "," << rosterd::newUuid()
              << ",\"uid=u" << i << ",ou=people,dc=example,dc=com\",1,1,1\n";
        for (int k = 0; k < groups; ++k)
            g << gid[k] << ",g" << k << ",ldap," << rosterd::newUuid() << ",\"cn=g" << k
              << ",ou=groups,dc=example,dc=com\",1,1\n";
        for (int k = 0; k < groups; ++k)
            for (int j = 0; j < perGroup; ++j) m << gid[k] << "," << uid[(k * perGroup + j) % users] << ",1\n";
    }

    int changeRound = 0;
    for (db::Driver driver : {db::Driver::Postgres, db::Driver::Sqlite}) {
        const char* name = db::driverName(driver);
        const std::string base = dir + "/" + name;
        const std::string userCols =
            "(id, name, email, role, source, active, username, external_id, external_dn, created_at, updated_at, "
            "last_active_at)";
        const std::string groupCols = "(id, name, source, external_id, external_dn, created_at, updated_at)";
        const std::string memberCols = "(group_id, user_id, created_at)";

        // Floor, part 2: bulk copy of the same rows into rosterd's schema (its indexes and foreign
        // keys), in a database of its own, by the database's own bulk loader.
        auto bulkCopy = [&](int i) {
            std::string floorUrl = freshDatabaseUrl(driver);
            std::string floorIni = base + "-floor" + std::to_string(i) + ".ini";
            {
                std::ofstream f(floorIni);
                f << "[database]\nurl = " << floorUrl << "\n[auth]\njwt_secret_file = " << dir << "/jwt\n";
            }
            check(timed({ROSTERD_BINARY, "--config", floorIni, "migrate"}, log), "migrate (floor)");
            Measured m;
            if (driver == db::Driver::Postgres) {
                m = shell("psql -q -v ON_ERROR_STOP=1 " + q(floorUrl) + " -c \"\\copy users " + userCols + " FROM '" +
                              dir + "/users.csv' CSV\" -c \"\\copy groups " + groupCols + " FROM '" + dir +
                              "/groups.csv' CSV\" -c \"\\copy group_members " + memberCols + " FROM '" + dir +
                              "/members.csv' CSV\"",
                          log);
            } else {
                // sqlite3's .import takes no column list: stage into temporary tables, then one
                // INSERT ... SELECT per table inside a single transaction.
                std::string file = floorUrl.substr(9);
                m = shell("sqlite3 -bail " + q(file) +
                              " 'PRAGMA foreign_keys=ON' 'PRAGMA cache_size=-16384' "
                              "'CREATE TEMP TABLE u (a,b,c,d,e,f,g,h,i,j,k,l)' 'CREATE TEMP TABLE g (a,b,c,d,e,f,g)' "
                              "'CREATE TEMP TABLE m (a,b,c)' '.mode csv' '.import " +
                              dir + "/users.csv u' '.import " + dir + "/groups.csv g' '.import " + dir +
                              "/members.csv m' "
                              "'BEGIN' 'INSERT INTO users " +
                              userCols + " SELECT * FROM u' 'INSERT INTO groups " + groupCols +
                              " SELECT * FROM g' 'INSERT INTO group_members " + memberCols +
                              " SELECT * FROM m' 'COMMIT'",
                          log);
            }
            check(m, "bulk copy");
            settle(driver, floorUrl, log);
            return m;
        };

        // Three rounds, each: ldapsearch, the bulk copy, and rosterd's initial sync into a fresh
        // store. The figure is the median of the rounds' ratios; the last store goes on.
        std::string ini;
        std::vector<Round> initial;
        for (int i = 0; i < 3; ++i) {
            Round r;
            r.baseline = ldapsearch().seconds;
            r.baseline += bulkCopy(i).seconds;
            std::string url = freshDatabaseUrl(driver);
            ini = writeIni(base + std::to_string(i) + ".ini", url, ldap, dir);
            check(timed({ROSTERD_BINARY, "--config", ini, "migrate"}, log), "migrate");
            r.rosterd = timed({ROSTERD_BINARY, "--config", ini, "sync"}, base + "-first" + std::to_string(i) + ".log");
            check(r.rosterd, "initial sync");
            settle(driver, url, log);
            initial.push_back(r);
        }
        // Three rounds of ldapsearch and a full sync of the unchanged directory.
        std::vector<Round> noChange;
        for (int i = 0; i < 3; ++i) {
            Round r;
            r.baseline = ldapsearch().seconds;
            r.rosterd = timed({ROSTERD_BINARY, "--config", ini, "sync", "--full"},
                              base + "-second" + std::to_string(i) + ".log");
            check(r.rosterd, "second sync");
            noChange.push_back(r);
        }
        IncrementalRounds after = incrementalRounds(ldap, users, ini, base + "-after100", changeRound);

        // The small directory, in a store of its own: initial sync, then the same 100 changes.
        std::string smallIni = writeIni(dir + "/" + name + "-small.ini", freshDatabaseUrl(driver), small, dir);
        check(timed({ROSTERD_BINARY, "--config", smallIni, "sync"}, base + "-small-first.log"), "small initial sync");
        int smallRound = changeRound;
        IncrementalRounds smallAfter =
            incrementalRounds(small, smallUsers, smallIni, base + "-small-after100", smallRound);

        std::printf("\n[%s]  (logs in %s)\n", name, dir.c_str());
        const Round fi = medianRound(initial), nc = medianRound(noChange);
        std::printf("  initial full sync, median of 3 rounds: %.2f s = %.2fx floor (goal <= 1.25x)\n",
                    fi.rosterd.seconds, fi.ratio());
        for (const auto& r : initial)
            std::printf(
                "    round: floor (ldapsearch + bulk copy into rosterd's schema) %.2f s, rosterd %.2f s = %.2fx\n",
                r.baseline, r.rosterd.seconds, r.ratio());
        std::printf("  second full sync, no change, median of 3 rounds: %.2f s = %.2fx ldapsearch (goal <= 1.2x)\n",
                    nc.rosterd.seconds, nc.ratio());
        for (const auto& r : noChange)
            std::printf("    round: ldapsearch %.2f s, rosterd %.2f s = %.2fx\n", r.baseline, r.rosterd.seconds,
                        r.ratio());
        long peakRss = 0;
        for (const auto* rounds : {&initial, &noChange})
            for (const auto& r : *rounds) peakRss = std::max(peakRss, r.rosterd.maxRssKb);
        std::printf(
            "  incremental after 100 changes (median of 3 rounds): %.2f s at %d users, %.2f s at %d users (%.2fx; "
            "goals < 1 s, no slower at the larger size)%s  peak RSS %ld MB\n",
            after.median.wall.seconds, users, smallAfter.median.wall.seconds, smallUsers,
            after.median.wall.seconds / smallAfter.median.wall.seconds,
            after.allIncremental && smallAfter.allIncremental ? "" : "  (NOT incremental: see the logs)",
            after.median.wall.maxRssKb / 1024);
        std::printf(
            "    first round after the full sync (fresh slapd, empty session log): %.2f s at %d users, %.2f s at "
            "%d users\n",
            after.first.wall.seconds, users, smallAfter.first.wall.seconds, smallUsers);
        std::printf(
            "  incremental runs' own duration (without process start-up): %.3f s (%d users) / %.3f s (%d users)\n",
            after.median.run, users, smallAfter.median.run, smallUsers);
        std::printf("  peak RSS goal < 200 MB: %s\n",
                    std::max({peakRss, after.first.wall.maxRssKb, after.median.wall.maxRssKb}) < 200 * 1024
                        ? "met"
                        : "NOT met");
        std::printf("  peak RSS: full syncs %ld MB, incremental %ld MB\n", peakRss / 1024,
                    after.median.wall.maxRssKb / 1024);
        std::fflush(stdout);
    }
    return 0;
}
