#include "sync/apply.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "accounts/events.h"
#include "accounts/group.h"
#include "accounts/group_store.h"
#include "accounts/user_store.h"
#include "common/errors.h"
#include "common/stopwatch.h"
#include "sync/role_mapping_apply.h"
#include "sync/row_batch.h"
#include "sync/user_creates.h"

namespace rosterd::sync {
namespace {

constexpr std::size_t kAnalyzeAfter = 10000;  // changes after which table statistics are refreshed

class Applier {
public:
    Applier(db::Store& store, webhooks::Outbox& outbox, const Plan& plan, const ApplyOptions& o, AppliedCounts& applied)
        : store_(store),
          outbox_(outbox),
          plan_(plan),
          o_(o),
          batch_(std::max<std::size_t>(1, o.batchSize)),
          applied_(applied) {}

    void run() {
        kind_ = "users_created";
        if (plan_.userCreatesWritten > 0) advance(plan_.userCreatesWritten);  // recorded by CreatesAsRead
        step("users_created", [&] { userCreates(); });
        step("users_linked", [&] { perRowUsers(plan_.userLinks, true); });
        // The directory policy's refusals come before the updates, which reactivate no refused user.
        step("users_allowed", [&] {
            policyBatches(plan_.accessRestores, [&](db::Transaction& tx, std::size_t b, std::size_t e) {
                writeAccessRestores(tx, plan_.accessRestores, b, e);
            });
        });
        step("users_denied", [&] {
            policyBatches(plan_.accessDenials, [&](db::Transaction& tx, std::size_t b, std::size_t e) {
                writeAccessDenials(tx, outbox_, plan_.accessDenials, b, e, o_.nowSeconds);
            });
        });
        step("users_updated", [&] { perRowUsers(plan_.userUpdates, false); });
        step("roles_changed", [&] {
            policyBatches(plan_.roleChanges, [&](db::Transaction& tx, std::size_t b, std::size_t e) {
                writeRoleChanges(tx, outbox_, plan_.roleChanges, b, e, o_.nowSeconds);
            });
        });
        step("groups_deleted", [&] { groupDeletes(); });
        step("groups_created", [&] { groupCreates(); });
        step("groups_updated", [&] { groupUpdates(plan_.groupUpdates, false); });
        step("groups_reactivated", [&] { groupUpdates(plan_.groupReactivations, true); });
        step("members_removed", [&] { memberships(plan_.memberRemoves, false); });
        step("members_added", [&] { memberships(plan_.memberAdds, true); });
        step("groups_deactivated", [&] { groupDeactivations(); });
        step("users_deactivated", [&] { userRemovals(plan_.userDeactivations, false); });
        step("users_deleted", [&] { userRemovals(plan_.userDeletes, true); });
    }

private:
    // Times each kind of change, so a slow apply can be traced to its part in debug logs; the
    // batches written meanwhile count as `kind`.
    template <typename Fn>
    void step(const char* kind, Fn&& fn) {
        const Stopwatch took;
        std::size_t before = done_;
        kind_ = kind;
        fn();
        if (done_ != before) spdlog::debug("sync apply: {} {} in {:.3f} s", done_ - before, kind, took.seconds());
    }

    // Counts `n` more changes applied and reports the total (two writers may call it at once).
    void advance(std::size_t n) {
        std::lock_guard lock(progressMutex_);
        done_ += n;
        applied_[kind_] += n;
        if (o_.onProgress) o_.onProgress(done_);
    }

    // Inside a batch's transaction: `n` changes of the current kind commit with it.
    void noteBatch(db::Transaction& tx, std::size_t n) {
        if (o_.onBatch && n > 0) o_.onBatch(tx, kind_, n);
    }

    // Rows per multi-row statement: the batch size, capped so a statement stays well under
    // both drivers' parameter limits (SQLite 32766, PostgreSQL 65535).
    std::size_t rowsFor(std::size_t cols) const { return std::min(batch_, 30000 / cols); }

    template <typename Fn>
    void chunked(std::size_t total, std::size_t per, Fn&& fn) {
        for (std::size_t begin = 0; begin < total; begin += per) {
            std::size_t end = std::min(total, begin + per);
            store_.transact([&](db::Transaction& tx) {
                fn(tx, begin, end);
                noteBatch(tx, end - begin);
            });
            advance(end - begin);
        }
    }

    // Writes one prepared batch inside a transaction.
    using WriteBatch = std::function<void(db::Transaction&, const RowBatch&)>;
    // Writes rows [b, e) again after a conflict rolled them back (rows that appeared since the
    // state was loaded); empty where a conflict fails the run.
    using RedoRows = std::function<void(db::Transaction&, std::size_t, std::size_t)>;

    // Like chunked, but each batch is built by `prepare` on another thread while the previous one
    // is written: building rows and event payloads then overlaps with the database's own work
    // instead of alternating with it. Consecutive batches share a transaction while the next one
    // is ready, until it has been open for kWriteHoldSeconds.
    template <typename Prepare>
    void pipelined(std::size_t total, std::size_t per, Prepare&& prepare, const WriteBatch& write,
                   const RedoRows& redo) {
        auto launch = [&](std::size_t b) {
            return std::async(std::launch::async,
                              [&prepare, b, e = std::min(total, b + per)] { return prepare(b, e); });
        };
        std::future<RowBatch> next;
        if (total > 0) next = launch(0);
        std::optional<db::Transaction> tx;
        std::size_t from = 0;  // the first row of the open transaction
        Stopwatch open;
        for (std::size_t begin = 0; begin < total; begin += per) {
            const std::size_t end = std::min(total, begin + per);
            RowBatch batch = next.get();
            if (end < total) next = launch(end);
            if (!tx) {
                tx.emplace(store_.begin());
                from = begin;
                open = Stopwatch();
            }
            try {
                write(*tx, batch);
            } catch (const ConstraintViolation&) {
                tx.reset();  // rolls back every batch of the transaction
                if (!redo) throw;
                store_.transact([&](db::Transaction& again) {
                    redo(again, from, end);
                    noteBatch(again, end - from);
                });
                advance(end - from);
                continue;
            }
            // Never held open waiting for the next batch to be built.
            const bool nextReady = end < total && next.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
            if (!nextReady || open.seconds() >= kWriteHoldSeconds) {
                noteBatch(*tx, end - from);
                tx->commit();
                tx.reset();
                advance(end - from);
            }
        }
    }

    // Bulk batches written side by side where the store allows it. PostgreSQL does each
    // transaction's work (index updates, foreign-key checks) in that connection's own server
    // process, so two connections keep both cores busy; each also builds its next batch while the
    // other's is written. SQLite has a single writer: there batches are pipelined instead.
    template <typename Prepare>
    void bulkBatches(std::size_t total, std::size_t per, Prepare&& prepare, const WriteBatch& write,
                     const RedoRows& redo = {}) {
        if (store_.driver() != db::Driver::Postgres || total <= per) {
            pipelined(total, per, prepare, write, redo);
            return;
        }
        constexpr std::size_t kWriters = 2;
        std::atomic<bool> failed{false};
        auto writer = [&](std::size_t first) {
            try {
                for (std::size_t begin = first * per; begin < total && !failed; begin += kWriters * per) {
                    std::size_t end = std::min(total, begin + per);
                    RowBatch batch = prepare(begin, end);
                    try {
                        store_.transact([&](db::Transaction& tx) {
                            write(tx, batch);
                            noteBatch(tx, end - begin);
                        });
                    } catch (const ConstraintViolation&) {
                        if (!redo) throw;
                        store_.transact([&](db::Transaction& tx) {
                            redo(tx, begin, end);
                            noteBatch(tx, end - begin);
                        });
                    }
                    advance(end - begin);
                }
            } catch (...) {
                failed = true;  // the other writer stops after its current batch
                throw;
            }
        };
        auto second = std::async(std::launch::async, writer, 1);
        try {
            writer(0);
        } catch (...) {
            second.wait();
            throw;
        }
        second.get();
    }

    template <typename T, typename Fn>
    void policyBatches(const std::vector<T>& v, Fn&& fn) {
        chunked(v.size(), rowsFor(3), fn);
    }

    // Users a first sync already created while it read the directory come first in
    // userCreates and are in the store: only the rest is written here.
    void userCreates() {
        const auto& v = plan_.userCreates;
        const std::size_t from = plan_.userCreatesWritten;
        const NewUserValues values{o_.userRole, o_.nowSeconds};
        bulkBatches(
            v.size() - from, batch_,
            [&](std::size_t b, std::size_t e) { return userCreateRows(v, from + b, from + e, values, outbox_); },
            [&](db::Transaction& tx, const RowBatch& batch) { writeUserCreates(tx, batch, outbox_); });
    }

    // Links and updates: one statement per batch, with events only for the rows it really
    // changed, each carrying the user as it is after the change.
    void perRowUsers(const std::vector<UserWrite>& v, bool link) {
        chunked(v.size(), rowsFor(7), [&](db::Transaction& tx, std::size_t b, std::size_t e) {
            std::vector<accounts::user_store::DirectoryValues> values;
            values.reserve(e - b);
            for (std::size_t i = b; i < e; ++i) {
                const auto& w = v[i];
                values.push_back(
                    {w.id, w.user.id, w.user.dn, w.user.username, w.user.name, w.user.email, w.user.profileImageUrl});
            }
            const auto changed = link ? accounts::user_store::linkToDirectory(tx, values, o_.nowSeconds)
                                      : accounts::user_store::updateFromDirectory(tx, values, o_.nowSeconds);
            std::unordered_map<std::string, const accounts::User*> byId;
            for (const auto& u : changed) byId.emplace(u.id, &u);
            std::vector<webhooks::NewEvent> events;
            for (std::size_t i = b; i < e; ++i) {  // in the plan's order
                auto u = byId.find(v[i].id);
                if (u == byId.end()) continue;  // gone or changed hands since the plan
                std::vector<std::string> fields = v[i].changed;
                // A link makes a local account a directory account: that is what changed, too.
                if (link) fields.insert(fields.begin(), {"source", "external_id"});
                events.push_back(accounts::events::userUpdated(*u->second, fields));
            }
            outbox_.appendMany(tx, events);
        });
    }

    // Groups deactivated longer than delete_after: deleted with their memberships.
    void groupDeletes() {
        const auto& v = plan_.groupDeletes;
        chunked(v.size(), rowsFor(1), [&](db::Transaction& tx, std::size_t b, std::size_t e) {
            auto before = groupsOf(tx, v, b, e);  // the events carry each group as it was
            auto done = accounts::group_store::deleteInactiveDirectoryGroups(tx, idsIn(v, b, e));
            outbox_.appendMany(tx, groupRemovalEvents(v, b, e, done, before, false));
        });
    }

    // Groups gone from the directory: kept (id, description, permissions, members) but inactive.
    void groupDeactivations() {
        const auto& v = plan_.groupDeactivations;
        chunked(v.size(), rowsFor(1), [&](db::Transaction& tx, std::size_t b, std::size_t e) {
            auto done = accounts::group_store::deactivateDirectoryGroups(tx, idsIn(v, b, e), o_.nowSeconds);
            outbox_.appendMany(tx, groupRemovalEvents(v, b, e, done, groupsOf(tx, v, b, e), true));
        });
    }

    // The ids of v[b, e).
    template <typename Write>
    static std::vector<std::string> idsIn(const std::vector<Write>& v, std::size_t b, std::size_t e) {
        std::vector<std::string> ids;
        ids.reserve(e - b);
        for (std::size_t i = b; i < e; ++i) ids.push_back(v[i].id);
        return ids;
    }

    // The groups of v[b, e) as they are now in `tx`, by id.
    template <typename Write>
    static std::unordered_map<std::string, accounts::Group> groupsOf(db::Transaction& tx, const std::vector<Write>& v,
                                                                     std::size_t b, std::size_t e) {
        std::unordered_map<std::string, accounts::Group> groups;
        for (auto& g : accounts::group_store::findByIds(tx, idsIn(v, b, e))) groups.emplace(g.id, std::move(g));
        return groups;
    }

    // A group.deactivated (or group.deleted) event for each group of [b, e) the statement really changed.
    static std::vector<webhooks::NewEvent> groupRemovalEvents(
        const std::vector<GroupRemoval>& v, std::size_t b, std::size_t e, const std::unordered_set<std::string>& done,
        const std::unordered_map<std::string, accounts::Group>& groups, bool deactivated) {
        std::vector<webhooks::NewEvent> events;
        for (std::size_t i = b; i < e; ++i) {
            auto g = groups.find(v[i].id);
            if (!done.count(v[i].id) || g == groups.end()) continue;
            events.push_back(deactivated ? accounts::events::groupDeactivated(g->second)
                                         : accounts::events::groupDeleted(g->second));
        }
        return events;
    }

    void groupCreates() {
        const auto& v = plan_.groupCreates;
        chunked(v.size(), batch_, [&](db::Transaction& tx, std::size_t b, std::size_t e) {
            db::Params p;
            std::vector<webhooks::NewEvent> events;
            for (std::size_t i = b; i < e; ++i) {
                accounts::Group g;  // as the insert leaves it: members come in a later step
                g.id = v[i].id;
                g.name = v[i].name;
                g.source = accounts::Source::Ldap;
                g.externalId = v[i].externalId;
                g.externalDn = v[i].dn;
                g.createdAt = g.updatedAt = o_.nowSeconds;
                accounts::group_store::appendInsertRow(p, g);
                events.push_back(accounts::events::groupCreated(g));
            }
            accounts::group_store::insertMany(tx, p);
            outbox_.appendMany(tx, events);
        });
    }

    // Renames and moves; `reactivate`: groups back in the directory, active again with
    // everything they had (one group.reactivated event each, naming any field that changed too).
    void groupUpdates(const std::vector<GroupWrite>& v, bool reactivate) {
        chunked(v.size(), batch_, [&](db::Transaction& tx, std::size_t b, std::size_t e) {
            std::vector<std::size_t> done;
            for (std::size_t i = b; i < e; ++i) {
                const bool changed = accounts::group_store::updateFromDirectory(tx, v[i].id, v[i].name, v[i].dn,
                                                                                o_.nowSeconds, reactivate);
                if (changed) done.push_back(i);  // else gone since the plan
            }
            const auto groups = groupsOf(tx, v, b, e);  // after the change
            std::vector<webhooks::NewEvent> events;
            for (std::size_t i : done) {
                auto g = groups.find(v[i].id);
                if (g == groups.end()) continue;
                events.push_back(reactivate ? accounts::events::groupReactivated(g->second, v[i].changed)
                                            : accounts::events::groupUpdated(g->second, v[i].changed));
            }
            outbox_.appendMany(tx, events);
        });
    }

    void memberships(const std::vector<std::pair<std::uint32_t, std::uint32_t>>& v, bool add) {
        if (add) {
            bulkBatches(
                v.size(), batch_,
                [&](std::size_t b, std::size_t e) {
                    RowBatch batch;
                    batch.rows.reserve((e - b) * 3);
                    for (std::size_t i = b; i < e; ++i)
                        accounts::group_store::appendMembershipRow(batch.rows, plan_.groupIds[v[i].first],
                                                                   plan_.userIds[v[i].second], o_.nowSeconds);
                    batch.begin = b;
                    batch.end = e;
                    return batch;
                },
                // The events carry each group as it is after the change, so they are built here.
                [&](db::Transaction& tx, const RowBatch& batch) {
                    accounts::group_store::insertMemberships(tx, batch.rows);
                    outbox_.appendMany(tx, membershipEvents(tx, v, batch.begin, batch.end, true));
                },
                // A membership appeared since the state was loaded (a login's group sync): the
                // rows are redone with a statement that skips what already exists.
                [&](db::Transaction& tx, std::size_t b, std::size_t e) { addMissingMembers(tx, v, b, e); });
            return;
        }
        chunked(v.size(), rowsFor(2), [&](db::Transaction& tx, std::size_t begin, std::size_t end) {
            db::Params p;
            p.reserve((end - begin) * 2);
            for (std::size_t i = begin; i < end; ++i) {
                p.push_back(plan_.groupIds[v[i].first]);
                p.push_back(plan_.userIds[v[i].second]);
            }
            accounts::group_store::deleteMemberships(tx, p);
            outbox_.appendMany(tx, membershipEvents(tx, v, begin, end, false));
        });
    }

    // Inserts the memberships of [b, e) that do not exist yet; events only for those (RETURNING).
    void addMissingMembers(db::Transaction& tx, const std::vector<std::pair<std::uint32_t, std::uint32_t>>& v,
                           std::size_t b, std::size_t e) {
        std::vector<std::pair<std::uint32_t, std::uint32_t>> inserted;  // sorted by group, as v is
        for (std::size_t from = b; from < e; from += rowsFor(3)) {
            std::size_t to = std::min(e, from + rowsFor(3));
            db::Params p;
            for (std::size_t i = from; i < to; ++i)
                accounts::group_store::appendMembershipRow(p, plan_.groupIds[v[i].first], plan_.userIds[v[i].second],
                                                           o_.nowSeconds);
            const auto rows = accounts::group_store::insertMissingMemberships(tx, p);
            for (std::size_t i = from; i < to; ++i)
                if (rows.count({plan_.groupIds[v[i].first], plan_.userIds[v[i].second]})) inserted.push_back(v[i]);
        }
        outbox_.appendMany(tx, membershipEvents(tx, inserted, 0, inserted.size(), true));
    }

    // One members_changed event per group touched in [b, e) (the pairs are sorted by group), in
    // the shape an admin's change sends (accounts::events): the group as it is now in
    // `tx`, with the ids added or removed.
    std::vector<webhooks::NewEvent> membershipEvents(db::Transaction& tx,
                                                     const std::vector<std::pair<std::uint32_t, std::uint32_t>>& v,
                                                     std::size_t b, std::size_t e, bool add) const {
        std::vector<std::string> touched;
        for (std::size_t i = b; i < e; ++i)
            if (touched.empty() || touched.back() != plan_.groupIds[v[i].first])
                touched.push_back(plan_.groupIds[v[i].first]);
        std::unordered_map<std::string, accounts::Group> groups;
        for (auto& g : accounts::group_store::findByIds(tx, touched)) groups.emplace(g.id, std::move(g));
        std::vector<webhooks::NewEvent> events;
        const std::vector<std::string> none;
        for (std::size_t i = b; i < e;) {
            std::uint32_t g = v[i].first;
            std::vector<std::string> users;
            for (; i < e && v[i].first == g; ++i) users.push_back(plan_.userIds[v[i].second]);
            auto found = groups.find(plan_.groupIds[g]);
            if (found == groups.end()) continue;  // gone since the plan: no change to report
            events.push_back(
                accounts::events::groupMembersChanged(found->second, add ? users : none, add ? none : users));
        }
        return events;
    }

    void userRemovals(const std::vector<UserRemoval>& v, bool remove) {
        chunked(v.size(), rowsFor(1), [&](db::Transaction& tx, std::size_t b, std::size_t e) {
            std::vector<std::string> ids;
            ids.reserve(e - b);
            for (std::size_t i = b; i < e; ++i) ids.push_back(v[i].id);
            // Events only for the rows the statement really changed, in the plan's order.
            const auto changed = remove ? accounts::user_store::deleteInactiveDirectoryUsers(tx, ids)
                                        : accounts::user_store::deactivateDirectoryUsers(tx, ids, o_.nowSeconds);
            std::unordered_map<std::string, const accounts::User*> byId;
            for (const auto& u : changed) byId.emplace(u.id, &u);
            std::vector<webhooks::NewEvent> events;
            for (std::size_t i = b; i < e; ++i) {
                auto u = byId.find(v[i].id);
                if (u == byId.end()) continue;
                events.push_back(remove ? accounts::events::userDeleted(*u->second)
                                        : accounts::events::userDeactivated(*u->second, v[i].reason));
            }
            outbox_.appendMany(tx, events);
        });
    }

    db::Store& store_;
    webhooks::Outbox& outbox_;
    const Plan& plan_;
    const ApplyOptions& o_;
    std::size_t batch_;
    std::mutex progressMutex_;
    std::size_t done_ = 0;
    AppliedCounts& applied_;
    std::string kind_;
};

}  // namespace

void applyPlan(db::Store& store, webhooks::Outbox& outbox, const Plan& plan, const ApplyOptions& options,
               AppliedCounts* applied) {
    AppliedCounts own;
    Applier(store, outbox, plan, options, applied ? *applied : own).run();
    // After a bulk load PostgreSQL has no statistics for the new rows until autovacuum comes by,
    // and may plan the next lookups as scans of the whole table; refresh them now.
    if (store.driver() == db::Driver::Postgres && plan.changeCount() >= kAnalyzeAfter) {
        const Stopwatch took;
        store.transact(
            [](db::Transaction& tx) { tx.execScript("ANALYZE users; ANALYZE groups; ANALYZE group_members"); });
        spdlog::debug("sync apply: statistics refreshed in {:.3f} s", took.seconds());
    }
}

}  // namespace rosterd::sync
