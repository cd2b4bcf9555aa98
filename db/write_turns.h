#pragma once
// First come, first served turns for the write transactions of one process on SQLite. SQLite has
// a single writer and its busy handler retries by polling: a writer that commits and begins again
// at once (a sync applying a large directory) wins the lock again and again, while a login that
// is polling can time out. Taking turns in arrival order inside the process, before the lock, lets
// each writer in after the transactions already waiting.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>

namespace rosterd::db {

class WriteTurns {
public:
    /// Held while a write transaction runs; lets the next writer in when destroyed.
    class Turn {
    public:
        Turn() = default;
        explicit Turn(WriteTurns* turns) : turns_(turns) {}
        Turn(Turn&& o) noexcept : turns_(o.turns_) { o.turns_ = nullptr; }
        Turn& operator=(Turn&& o) noexcept {
            if (this != &o) {
                release();
                turns_ = o.turns_;
                o.turns_ = nullptr;
            }
            return *this;
        }
        Turn(const Turn&) = delete;
        Turn& operator=(const Turn&) = delete;
        ~Turn() { release(); }

    private:
        void release() {
            if (turns_) turns_->release();
            turns_ = nullptr;
        }
        WriteTurns* turns_ = nullptr;
    };

    /// Waits until the writers that came before are done; false if that takes longer than
    /// `timeout` (this writer then leaves the line, and the ones behind it move up).
    bool take(std::chrono::milliseconds timeout, Turn& turn) {
        std::unique_lock lock(mutex_);
        const std::uint64_t ticket = next_++;
        line_.push_back(ticket);
        const bool mine = changed_.wait_for(lock, timeout, [&] { return !held_ && line_.front() == ticket; });
        if (!mine) {
            for (auto it = line_.begin(); it != line_.end(); ++it)
                if (*it == ticket) {
                    line_.erase(it);
                    break;
                }
            changed_.notify_all();
            return false;
        }
        line_.pop_front();
        held_ = true;
        turn = Turn(this);
        return true;
    }

    /// Writers waiting for their turn.
    std::size_t waiting() const {
        std::lock_guard lock(mutex_);
        return line_.size();
    }

private:
    void release() {
        std::lock_guard lock(mutex_);
        held_ = false;
        changed_.notify_all();
    }

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<std::uint64_t> line_;
    std::uint64_t next_ = 0;
    bool held_ = false;
};

}  // namespace rosterd::db
