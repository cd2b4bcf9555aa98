#pragma once
// The threads that hash imported passwords. bcrypt is CPU-bound, so one thread per core; imports
// running at the same time share them (first come, first served) instead of multiplying them.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace rosterd::accounts {

class HashPool {
public:
    /// Starts `threads` workers (0 = std::thread::hardware_concurrency(), at least 1).
    explicit HashPool(std::size_t threads = 0);
    /// Lets queued jobs finish, then joins the workers.
    ~HashPool();
    HashPool(const HashPool&) = delete;
    HashPool& operator=(const HashPool&) = delete;
    /// Queues a job; jobs must not throw (exceptions are caught and dropped).
    void submit(std::function<void()> job);
    std::size_t threads() const { return workers_.size(); }
    /// Jobs waiting for a thread.
    std::size_t queued() const;

private:
    void work();

    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<std::function<void()>> jobs_;
    bool stopping_ = false;
    std::vector<std::thread> workers_;
};

}  // namespace rosterd::accounts
