#pragma once
// A fixed set of threads taking jobs in arrival order (FIFO), so requests from many connections
// are served in the order they became complete.
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace rosterd::http {

class WorkerPool {
public:
    /// Starts `threads` workers.
    explicit WorkerPool(int threads);
    /// Lets the running jobs finish, drops the queued ones, joins the threads.
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;
    /// Queues a job; it runs on some worker after every job queued before it has started.
    void post(std::function<void()> job);

private:
    void run();
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<std::function<void()>> jobs_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace rosterd::http
