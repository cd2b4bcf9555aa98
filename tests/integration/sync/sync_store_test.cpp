// SyncService against a real store, both drivers: apply, idempotence, removals, the safety gate,
// dry runs and the lease. The directory side here is a list of records handed to the service
// through its DirectorySource interface, so each store behaviour is checked on its own.
#include <atomic>
#include <catch2/catch.hpp>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "common/errors.h"
#include "common/metrics.h"
#include "support/test_database.h"
#include "sync/scheduler.h"
#include "sync/sync_service.h"
#include "webhooks/outbox.h"

using namespace rosterd;
using namespace rosterd::sync;

namespace {

struct Records {
    std::vector<DirUser> users;
    std::vector<DirGroup> groups;
    int failAfterUsers = -1;               ///< throw an incomplete read after this many users were delivered
    std::function<void()> beforeFailure;   ///< runs on the reading thread just before that throw
    std::function<void()> beforeLastPage;  ///< runs on the reading thread before the last page
};

class RecordSource final : public DirectorySource {
public:
    explicit RecordSource(Records r) : r_(std::move(r)) {}
    void readUsers(const UserPage& onPage) override {
        std::vector<DirUser> page;
        int delivered = 0;
        for (const auto& u : r_.users) {
            if (delivered == r_.failAfterUsers) {
                onPage(page);
                if (r_.beforeFailure) r_.beforeFailure();
                throw LdapError("connection lost after " + std::to_string(delivered) + " entries");
            }
            page.push_back(u);
            ++delivered;
            if (page.size() == 2) {
                onPage(page);
                page.clear();
            }
        }
        if (r_.beforeLastPage) r_.beforeLastPage();
        onPage(page);
    }
    void readGroups(const GroupPage& onPage) override {
        std::vector<DirGroup> page = r_.groups;
        onPage(page);
    }
    bool membersAreUsernames() const override { return false; }

private:
    Records r_;
};

DirUser person(const std::string& n) {
    return {"uuid-" + n, "uid=" + n + ",ou=people,dc=example,dc=org", n, n + "@example.org", "Person " + n};
}

struct Fixture {
    explicit Fixture(db::Store& s, SyncConfig c = {}) : store(s), outbox(clock), config(std::move(c)) {
        config.maxDeactivationPercent = 100;
        service = std::make_unique<SyncService>(store, outbox, metrics, clock, config,
                                                [this] { return std::make_unique<RecordSource>(dir); });
    }
    std::int64_t scalar(const std::string& sql, const db::Params& p = {}) {
        return store.transact([&](db::Transaction& tx) { return tx.exec(sql, p).front().i64(0); }, db::TxMode::Read);
    }
    // Waits (on the reading thread) until the store holds `n` users; false after 30 s.
    bool usersReach(std::int64_t n) {
        for (int i = 0; i < 3000; ++i) {
            if (scalar("SELECT count(*) FROM users") >= n) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return false;
    }
    std::int64_t events(const std::string& type) {
        return scalar("SELECT count(*) FROM outbox WHERE type = $1", {type});
    }
    RunOutcome run(bool dryRun = false, bool force = false) {
        RunRequest r;
        r.trigger = "cli";
        r.dryRun = dryRun;
        r.force = force;
        return service->run(r);
    }
    db::Store& store;
    ManualClock clock;
    Metrics metrics;
    webhooks::Outbox outbox;
    SyncConfig config;
    Records dir;
    std::unique_ptr<SyncService> service;
};

Records sample() {
    Records r;
    for (auto n : {"ann", "bob", "cid", "dee", "eve"}) r.users.push_back(person(n));
    r.groups = {{"uuid-g-staff",
                 "cn=staff,ou=groups,dc=example,dc=org",
                 "staff",
                 {"uid=ann,ou=people,dc=example,dc=org", "uid=bob,ou=people,dc=example,dc=org",
                  "cn=ops,ou=groups,dc=example,dc=org"}},
                {"uuid-g-ops", "cn=ops,ou=groups,dc=example,dc=org", "ops", {"uid=cid,ou=people,dc=example,dc=org"}}};
    return r;
}

}  // namespace

TEST_CASE("sync applies a first run, then a second run with no change writes nothing") {
    auto driver = GENERATE(test::allDrivers());
    test::TestDatabase db(driver);
    Fixture f(db.store());
    f.dir = sample();
    RunOutcome first = f.run();
    REQUIRE(first.status == ::rosterd::sync::RunStatus::Succeeded);
    CHECK(f.scalar("SELECT count(*) FROM users WHERE source = 'ldap' AND active = 1") == 5);
    CHECK(f.scalar("SELECT count(*) FROM groups WHERE source = 'ldap'") == 2);
    CHECK(f.scalar("SELECT count(*) FROM group_members") == 4);  // staff: ann, bob, cid (nested); ops: cid
    CHECK(f.events("user.created") == 5);
    CHECK(f.events("group.created") == 2);
    CHECK(f.events("sync.completed") == 1);
    CHECK(first.record.counts["members_added"] == 4);

    std::int64_t outboxBefore = f.scalar("SELECT count(*) FROM outbox");
    f.clock.advance(std::chrono::hours(1));
    RunOutcome second = f.run();
    REQUIRE(second.status == ::rosterd::sync::RunStatus::Succeeded);
    CHECK(second.plan->changeCount() == 0);
    CHECK(f.scalar("SELECT count(*) FROM outbox") == outboxBefore);
    CHECK(f.scalar("SELECT count(*) FROM users WHERE updated_at > $1", {f.clock.nowSeconds() - 60}) == 0);
    CHECK(f.scalar("SELECT count(*) FROM sync_runs WHERE status = 'succeeded'") == 2);
}

TEST_CASE("sync: a rename keeps the id, one attribute change updates only that user") {
    auto driver = GENERATE(test::allDrivers());
    test::TestDatabase db(driver);
    Fixture f(db.store());
    f.dir = sample();
    REQUIRE(f.run().status == ::rosterd::sync::RunStatus::Succeeded);
    auto idOf = [&](const std::string& ext) {
        return f.store.transact([&](db::Transaction& tx) {
            return tx.exec("SELECT id FROM users WHERE external_id = $1", {ext}).front().str(0);
        });
    };
    std::string annId = idOf("uuid-ann");
    f.dir.users[0].dn = "uid=ann,ou=moved,dc=example,dc=org";
    f.dir.groups[0].members[0] = "uid=ann,ou=moved,dc=example,dc=org";
    f.dir.users[1].name = "Robert";
    f.clock.advance(std::chrono::hours(1));
    RunOutcome out = f.run();
    REQUIRE(out.status == ::rosterd::sync::RunStatus::Succeeded);
    CHECK(out.plan->changeCount() == 2);
    CHECK(idOf("uuid-ann") == annId);
    CHECK(f.scalar("SELECT count(*) FROM users WHERE external_dn = 'uid=ann,ou=moved,dc=example,dc=org'") == 1);
    CHECK(f.scalar("SELECT count(*) FROM users WHERE updated_at >= $1", {f.clock.nowSeconds()}) == 2);
    CHECK(f.scalar(
              "SELECT count(*) FROM group_members gm JOIN users u ON u.id = gm.user_id WHERE u.username = 'ann'") == 1);
    CHECK(f.events("user.updated") == 2);
}

TEST_CASE("sync: users gone from the directory are deactivated, and deleted after delete_after") {
    auto driver = GENERATE(test::allDrivers());
    test::TestDatabase db(driver);
    SyncConfig c;
    c.deleteAfter = std::chrono::hours(24 * 30);
    Fixture f(db.store(), c);
    f.dir = sample();
    REQUIRE(f.run().status == ::rosterd::sync::RunStatus::Succeeded);
    f.dir.users.erase(f.dir.users.begin() + 1);  // bob
    REQUIRE(f.run().status == ::rosterd::sync::RunStatus::Succeeded);
    CHECK(f.scalar("SELECT active FROM users WHERE username = 'bob'") == 0);
    CHECK(f.scalar(
              "SELECT count(*) FROM group_members gm JOIN users u ON u.id = gm.user_id WHERE u.username = 'bob'") == 0);
    CHECK(f.events("user.deactivated") == 1);
    f.clock.advance(std::chrono::hours(24 * 31));
    REQUIRE(f.run().status == ::rosterd::sync::RunStatus::Succeeded);
    CHECK(f.scalar("SELECT count(*) FROM users WHERE username = 'bob'") == 0);
    CHECK(f.events("user.deleted") == 1);
}

TEST_CASE("sync: a read that fails midway changes and deactivates nothing") {
    auto driver = GENERATE(test::allDrivers());
    test::TestDatabase db(driver);
    Fixture f(db.store());
    f.dir = sample();
    REQUIRE(f.run().status == ::rosterd::sync::RunStatus::Succeeded);
    f.dir.failAfterUsers = 3;
    RunOutcome out = f.run(false, true);  // even forced
    CHECK(out.status == ::rosterd::sync::RunStatus::Failed);
    CHECK_THAT(out.error, Catch::Contains("connection lost"));
    CHECK(f.scalar("SELECT count(*) FROM users WHERE active = 1") == 5);
    CHECK(f.events("user.deactivated") == 0);
    CHECK(f.events("sync.failed") == 1);
    CHECK(f.scalar("SELECT count(*) FROM sync_runs WHERE status = 'failed' AND error IS NOT NULL") == 1);
}

TEST_CASE("sync: a first run creates its users while it reads; later runs create the rest after the read") {
    auto driver = GENERATE(test::allDrivers());
    test::TestDatabase db(driver);
    SyncConfig c;
    c.batchSize = 2;  // three batches of creates, written while the read goes on
    Fixture f(db.store(), c);
    f.dir = sample();
    // The last page (eve) is handed over only once the first batches are in the store.
    bool writtenWhileReading = false;
    f.dir.beforeLastPage = [&] { writtenWhileReading = f.usersReach(4); };
    RunOutcome first = f.run();
    REQUIRE(first.status == ::rosterd::sync::RunStatus::Succeeded);
    CHECK(writtenWhileReading);
    CHECK(first.plan->userCreatesWritten == 5);
    CHECK(first.record.counts["users_created"] == 5);
    CHECK(f.scalar("SELECT count(*) FROM users WHERE source = 'ldap' AND active = 1") == 5);
    CHECK(f.events("user.created") == 5);
    CHECK(f.scalar("SELECT count(DISTINCT payload) FROM outbox WHERE type = 'user.created'") == 5);
    CHECK(f.scalar("SELECT count(*) FROM group_members") == 4);
    // Each user's event names its row.
    CHECK(f.scalar("SELECT count(*) FROM users u JOIN outbox o ON o.type = 'user.created' AND o.payload LIKE "
                   "'%\"id\":\"' || u.id || '\"%'") == 5);

    f.dir.beforeLastPage = nullptr;
    f.dir.users.push_back(person("fay"));
    f.dir.groups[1].members.push_back("uid=fay,ou=people,dc=example,dc=org");
    RunOutcome second = f.run();
    REQUIRE(second.status == ::rosterd::sync::RunStatus::Succeeded);
    CHECK(second.plan->userCreatesWritten == 0);  // the store has directory users now
    CHECK(second.record.counts["users_created"] == 1);
    CHECK(f.events("user.created") == 6);
    CHECK(f.scalar("SELECT count(*) FROM group_members") == 6);  // ops and, nested, staff
}

TEST_CASE("sync: a first run whose read fails keeps the users it created, each with its event, and counts them") {
    auto driver = GENERATE(test::allDrivers());
    test::TestDatabase db(driver);
    SyncConfig c;
    c.batchSize = 2;
    Fixture f(db.store(), c);
    f.dir = sample();
    f.dir.failAfterUsers = 4;
    // The read fails only once the first batch (ann, bob) is in the store.
    f.dir.beforeFailure = [&] { f.usersReach(2); };
    RunOutcome failed = f.run();
    CHECK(failed.status == ::rosterd::sync::RunStatus::Failed);
    CHECK_THAT(failed.error, Catch::Contains("connection lost"));
    const std::int64_t created = f.scalar("SELECT count(*) FROM users");
    CHECK((created == 2 || created == 4));  // the second batch may or may not have been written
    CHECK(f.events("user.created") == created);
    CHECK(failed.record.counts["users_created"] == created);
    CHECK(f.scalar("SELECT count(*) FROM groups") == 0);
    CHECK(f.scalar("SELECT count(*) FROM group_members") == 0);
    CHECK(f.events("sync.failed") == 1);

    f.dir.failAfterUsers = -1;
    RunOutcome next = f.run();
    REQUIRE(next.status == ::rosterd::sync::RunStatus::Succeeded);
    CHECK(next.record.counts["users_created"] == 5 - created);
    CHECK(f.scalar("SELECT count(*) FROM users WHERE active = 1") == 5);
    CHECK(f.events("user.created") == 5);
    CHECK(f.scalar("SELECT count(*) FROM group_members") == 4);
}

TEST_CASE("sync: on a first run a local account with a directory user's email is linked, not created") {
    auto driver = GENERATE(test::allDrivers());
    test::TestDatabase db(driver);
    SyncConfig c;
    c.linkLocalAccounts = true;
    c.batchSize = 2;
    Fixture f(db.store(), c);
    f.store.transact([](db::Transaction& tx) {
        tx.exec(
            "INSERT INTO users (id, name, email, role, source, created_at, updated_at, last_active_at) "
            "VALUES ('local-cid', 'Cid', 'cid@example.org', 'user', 'local', 1, 1, 1)");
    });
    f.dir = sample();
    RunOutcome out = f.run();
    REQUIRE(out.status == ::rosterd::sync::RunStatus::Succeeded);
    CHECK(out.plan->userCreatesWritten == 4);
    CHECK(out.record.counts["users_created"] == 4);
    CHECK(out.record.counts["users_linked"] == 1);
    CHECK(f.scalar("SELECT count(*) FROM users WHERE source = 'ldap'") == 5);
    CHECK(f.scalar("SELECT count(*) FROM users WHERE id = 'local-cid' AND external_id = 'uuid-cid'") == 1);
    CHECK(f.scalar("SELECT count(*) FROM group_members WHERE user_id = 'local-cid'") == 2);  // ops, and staff via ops
}

TEST_CASE("sync: the deactivation threshold refuses a run unless forced") {
    auto driver = GENERATE(test::allDrivers());
    test::TestDatabase db(driver);
    SyncConfig c;
    c.maxDeactivations = 2;
    Fixture f(db.store(), c);
    f.dir = sample();
    REQUIRE(f.run().status == ::rosterd::sync::RunStatus::Succeeded);
    f.dir.users.resize(2);
    RunOutcome refused = f.run();
    CHECK(refused.status == ::rosterd::sync::RunStatus::Refused);
    CHECK_THAT(refused.error, Catch::Contains("max_deactivations"));
    CHECK(f.scalar("SELECT count(*) FROM users WHERE active = 1") == 5);
    CHECK(f.scalar("SELECT count(*) FROM sync_runs WHERE status = 'refused'") == 1);
    RunOutcome forced = f.run(false, true);
    CHECK(forced.status == ::rosterd::sync::RunStatus::Succeeded);
    CHECK(f.scalar("SELECT count(*) FROM users WHERE active = 1") == 2);
}

TEST_CASE("sync: a dry run plans but changes nothing") {
    auto driver = GENERATE(test::allDrivers());
    test::TestDatabase db(driver);
    Fixture f(db.store());
    f.dir = sample();
    RunOutcome out = f.run(true);
    REQUIRE(out.status == ::rosterd::sync::RunStatus::Succeeded);
    CHECK(out.plan->userCreates.size() == 5);
    CHECK(f.scalar("SELECT count(*) FROM users") == 0);
    CHECK(f.scalar("SELECT count(*) FROM outbox") == 0);
    CHECK(f.scalar("SELECT dry_run FROM sync_runs") == 1);
}

TEST_CASE("sync: duplicate emails are reported and the run completes") {
    auto driver = GENERATE(test::allDrivers());
    test::TestDatabase db(driver);
    Fixture f(db.store());
    f.dir = sample();
    f.dir.users[4].email = "ANN@example.org";
    RunOutcome out = f.run();
    REQUIRE(out.status == ::rosterd::sync::RunStatus::Succeeded);
    CHECK(f.scalar("SELECT count(*) FROM users") == 4);
    CHECK(out.record.counts["skipped"] == 1);
    CHECK(out.record.skipped[0]["id"] == "uuid-eve");
}

namespace {
// Holds the first reader inside readUsers until released, so a second run can collide with it.
class Gate {
public:
    void arriveAndWait() {
        std::unique_lock lock(m_);
        arrived_ = true;
        cv_.notify_all();
        cv_.wait(lock, [this] { return released_; });
    }
    void waitArrived() {
        std::unique_lock lock(m_);
        cv_.wait_for(lock, std::chrono::seconds(30), [this] { return arrived_; });
    }
    void release() {
        std::lock_guard lock(m_);
        released_ = true;
        cv_.notify_all();
    }

private:
    std::mutex m_;
    std::condition_variable cv_;
    bool arrived_ = false, released_ = false;
};

class BlockingSource final : public DirectorySource {
public:
    BlockingSource(Records r, Gate& g) : inner_(std::move(r)), gate_(g) {}
    void readUsers(const UserPage& p) override {
        gate_.arriveAndWait();
        inner_.readUsers(p);
    }
    void readGroups(const GroupPage& p) override { inner_.readGroups(p); }
    bool membersAreUsernames() const override { return false; }

private:
    RecordSource inner_;
    Gate& gate_;
};
}  // namespace

TEST_CASE("sync: two processes' stores on one PostgreSQL run one sync at a time") {
    auto driver = GENERATE(test::allDrivers());
    test::TestDatabase db(driver);
    // A second Store on the same database stands for a second replica (SQLite: same process).
    std::unique_ptr<db::Store> other;
    db::Store* second = &db.store();
    if (driver == db::Driver::Postgres) {
        db::StoreConfig sc;
        sc.url = db.url();
        other = db::Store::open(sc);
        second = other.get();
    }
    Gate gate;
    ManualClock clock;
    Metrics m1, m2;
    webhooks::Outbox o1(clock), o2(clock);
    SyncConfig c;
    Records r = sample();
    SyncService a(db.store(), o1, m1, clock, c, [&] { return std::make_unique<BlockingSource>(r, gate); });
    SyncService b(*second, o2, m2, clock, c, [&] { return std::make_unique<RecordSource>(r); });
    auto first = std::async(std::launch::async, [&] { return a.run({"api", false, false}); });
    gate.waitArrived();
    CHECK(a.status()["current"]["running"] == true);
    RunOutcome busy = b.run({"api", false, false});
    CHECK(busy.status == ::rosterd::sync::RunStatus::Busy);
    gate.release();
    CHECK(first.get().status == ::rosterd::sync::RunStatus::Succeeded);
    CHECK(m2.value("rosterd_sync_runs_total", {{"status", "busy"}}) == 1);
    RunOutcome after = b.run({"api", false, false});
    CHECK(after.status == ::rosterd::sync::RunStatus::Succeeded);
    CHECK(after.plan->changeCount() == 0);
}

TEST_CASE("sync: the scheduler runs when due on the injected clock") {
    auto driver = GENERATE(test::allDrivers());
    test::TestDatabase db(driver);
    Fixture f(db.store());
    f.dir = sample();
    SyncScheduler scheduler(*f.service, f.clock, std::chrono::minutes(15));
    CHECK(scheduler.tick());  // due at once
    CHECK_FALSE(scheduler.tick());
    f.clock.advance(std::chrono::minutes(14));
    CHECK_FALSE(scheduler.tick());
    f.clock.advance(std::chrono::minutes(1));
    CHECK(scheduler.tick());
    CHECK(f.scalar("SELECT count(*) FROM sync_runs WHERE triggered_by = 'schedule' AND status = 'succeeded'") == 2);
}
