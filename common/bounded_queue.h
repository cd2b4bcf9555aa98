#pragma once
// A blocking queue of at most `capacity` items between producer and consumer threads: a producer
// that gets ahead waits instead of piling up memory.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>

namespace rosterd {

template <typename T>
class BoundedQueue {
public:
    explicit BoundedQueue(std::size_t capacity) : capacity_(capacity < 1 ? 1 : capacity) {}

    /// Waits for room and adds `item`; false (the item dropped) once the queue is closed.
    bool push(T item) {
        std::unique_lock lock(mutex_);
        room_.wait(lock, [&] { return closed_ || items_.size() < capacity_; });
        if (closed_) return false;
        items_.push_back(std::move(item));
        ready_.notify_one();
        return true;
    }

    /// Waits for an item; nullopt once the queue is closed and empty.
    std::optional<T> pop() {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [&] { return closed_ || !items_.empty(); });
        if (items_.empty()) return std::nullopt;
        T item = std::move(items_.front());
        items_.pop_front();
        room_.notify_one();
        return item;
    }

    /// An item if one is there, without waiting.
    std::optional<T> tryPop() {
        std::lock_guard lock(mutex_);
        if (items_.empty()) return std::nullopt;
        T item = std::move(items_.front());
        items_.pop_front();
        room_.notify_one();
        return item;
    }

    /// No more pushes; what is queued can still be popped.
    void close() {
        std::lock_guard lock(mutex_);
        closed_ = true;
        ready_.notify_all();
        room_.notify_all();
    }

    /// Closes and drops what is queued.
    void abandon() {
        std::deque<T> dropped;
        {
            std::lock_guard lock(mutex_);
            closed_ = true;
            dropped.swap(items_);
            ready_.notify_all();
            room_.notify_all();
        }
    }

private:
    const std::size_t capacity_;
    std::mutex mutex_;
    std::condition_variable ready_, room_;
    std::deque<T> items_;
    bool closed_ = false;
};

}  // namespace rosterd
