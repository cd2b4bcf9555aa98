#include "sync/creates_as_read.h"

#include <algorithm>
#include <utility>

#include "common/stopwatch.h"

namespace rosterd::sync {

CreatesAsRead::CreatesAsRead(db::Store& store, webhooks::Outbox& outbox, Options options,
                             std::function<std::string()> newId)
    : store_(store),
      outbox_(outbox),
      options_(std::move(options)),
      batchSize_(std::clamp<std::size_t>(options_.batchSize, 1, kMostUsersPerBatch)),
      newId_(std::move(newId)) {}

CreatesAsRead::~CreatesAsRead() { stop(); }

void CreatesAsRead::start() {
    preparer_ = std::thread([this] { prepareLoop(); });
    writer_ = std::thread([this] { writeLoop(); });
}

void CreatesAsRead::add(const DirUser& user, std::uint32_t index) {
    if (!preparer_.joinable()) start();
    std::string id = newId_();
    queued_.users.push_back(index);
    queued_.ids.push_back(id);
    ++queuedCount_;
    filling_.push_back({std::move(id), user, {}, false});
    if (filling_.size() >= batchSize_) flush();
}

void CreatesAsRead::flush() {
    if (filling_.empty()) return;
    std::vector<UserWrite> batch;
    batch.swap(filling_);
    toPrepare_.push(std::move(batch));  // dropped once the writer has failed; finish() throws then
}

void CreatesAsRead::prepareLoop() {
    try {
        while (auto batch = toPrepare_.pop()) {
            RowBatch rows = userCreateRows(*batch, 0, batch->size(), options_.values, outbox_);
            if (!toWrite_.push({std::move(rows), batch->size()})) break;
        }
        toWrite_.close();
    } catch (...) {
        fail(std::current_exception());
    }
}

void CreatesAsRead::writeLoop() {
    try {
        while (auto batch = toWrite_.pop()) {
            // The batches ready one after another share a transaction, for up to
            // kWriteHoldSeconds; it never stays open waiting for the read.
            std::size_t users = 0;
            store_.transact([&](db::Transaction& tx) {
                const Stopwatch open;
                do {
                    writeUserCreates(tx, batch->first, outbox_);
                    users += batch->second;
                    batch.reset();
                    if (open.seconds() < kWriteHoldSeconds) batch = toWrite_.tryPop();
                } while (batch);
                if (options_.onCommit) options_.onCommit(tx, users);
            });
            written_ += users;
            if (options_.onProgress) options_.onProgress(queuedCount_, written_);
        }
    } catch (...) {
        fail(std::current_exception());
    }
}

void CreatesAsRead::fail(std::exception_ptr e) {
    {
        std::lock_guard lock(failureMutex_);
        if (!failure_) failure_ = std::move(e);
    }
    // The other stages stop too, and add() no longer waits for room.
    toPrepare_.abandon();
    toWrite_.abandon();
}

void CreatesAsRead::finish() {
    if (preparer_.joinable()) {
        flush();
        toPrepare_.close();
        preparer_.join();
        writer_.join();
    }
    std::lock_guard lock(failureMutex_);
    if (failure_) std::rethrow_exception(failure_);
}

void CreatesAsRead::stop() {
    if (!preparer_.joinable()) return;
    filling_.clear();
    toPrepare_.abandon();
    toWrite_.abandon();
    preparer_.join();
    writer_.join();
}

}  // namespace rosterd::sync
