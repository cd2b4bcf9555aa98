#pragma once
// Creates the users of a first sync while the directory is still being read. SQLite writes one
// transaction at a time, so a first sync of a large directory spends most of its time writing;
// starting with the users as they are read overlaps that with the read instead of following it.
// Only new users whose email is free are queued here, and only when the store holds no directory
// users yet, so nothing can be deactivated and the run cannot be refused by the removal limits.
// If the read fails, what was written stays: creates may be applied by a failed run, removals never.
#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "common/bounded_queue.h"
#include "db/store.h"
#include "sync/plan.h"
#include "sync/row_batch.h"
#include "sync/user_creates.h"
#include "webhooks/outbox.h"

namespace rosterd::sync {

class CreatesAsRead {
public:
    struct Options {
        NewUserValues values;
        /// Users per batch, at most kMostUsersPerBatch; the batches ready one after another share
        /// a transaction.
        std::size_t batchSize = 1000;
        /// Called on the writing thread after each commit with the users queued and written so far.
        std::function<void(std::size_t queued, std::size_t written)> onProgress;
        /// Called inside each write transaction, before it commits, with the users it creates.
        std::function<void(db::Transaction&, std::size_t users)> onCommit;
    };

    CreatesAsRead(db::Store& store, webhooks::Outbox& outbox, Options options, std::function<std::string()> newId);
    /// Drops what is not written yet and waits for the threads (see stop()).
    ~CreatesAsRead();
    CreatesAsRead(const CreatesAsRead&) = delete;
    CreatesAsRead& operator=(const CreatesAsRead&) = delete;

    /// Queues user `index` of the snapshot, in snapshot order, and gives it its local id. Called by
    /// the reading thread; waits while the writer is more than a few batches behind.
    void add(const DirUser& user, std::uint32_t index);
    /// How many users were queued so far.
    std::size_t queuedCount() const { return queuedCount_; }
    /// Hands over the users queued, with their ids, for the plan (which counts them as created).
    WrittenUsers takeQueued() { return std::move(queued_); }
    /// Writes what is still queued and waits for it. Throws the writer's failure.
    void finish();
    /// Stops at once: what is queued and not written is dropped. Safe to call more than once.
    void stop();
    /// Users committed so far.
    std::size_t written() const { return written_; }

private:
    void start();
    void flush();
    void prepareLoop();
    void writeLoop();
    void fail(std::exception_ptr e);

    // Small batches keep little in flight while the read still holds the directory's records.
    static constexpr std::size_t kMostUsersPerBatch = 1000;

    db::Store& store_;
    webhooks::Outbox& outbox_;
    const Options options_;
    const std::size_t batchSize_;
    const std::function<std::string()> newId_;
    WrittenUsers queued_;
    std::vector<UserWrite> filling_;  ///< the batch being filled by add()
    BoundedQueue<std::vector<UserWrite>> toPrepare_{1};
    BoundedQueue<std::pair<RowBatch, std::size_t>> toWrite_{2};  ///< rows and how many users
    std::thread preparer_, writer_;
    std::atomic<std::size_t> queuedCount_{0};
    std::atomic<std::size_t> written_{0};
    std::mutex failureMutex_;
    std::exception_ptr failure_;
};

}  // namespace rosterd::sync
