#pragma once
// One value many threads read while another replaces it (the running configuration): readers get
// a shared_ptr that stays valid however often it is replaced.
//
// Not std::atomic<std::shared_ptr>: libstdc++ 12's load() releases its internal lock with a
// relaxed store, so its read of the pointer is not ordered before the next store's write. That is
// a data race by the memory model, and ThreadSanitizer reports it.
#include <memory>
#include <mutex>
#include <utility>

namespace rosterd {

template <class T>
class SharedSnapshot {
public:
    explicit SharedSnapshot(std::shared_ptr<const T> value) : value_(std::move(value)) {}
    SharedSnapshot(const SharedSnapshot&) = delete;
    SharedSnapshot& operator=(const SharedSnapshot&) = delete;

    std::shared_ptr<const T> load() const {
        std::lock_guard lock(mutex_);
        return value_;
    }
    void store(std::shared_ptr<const T> value) {
        // The old value is released outside the lock: its destructor may be long.
        std::lock_guard lock(mutex_);
        value_.swap(value);
    }

private:
    mutable std::mutex mutex_;
    std::shared_ptr<const T> value_;
};

}  // namespace rosterd
