#pragma once
// Matches each directory user against the store while the directory is still being read. The
// store's side loads on another thread; users read before it is there wait in a list and are
// matched as soon as it arrives (or at the end), so most of the comparing happens while the
// read waits on the server rather than after it.
#include <exception>
#include <future>
#include <memory>
#include <vector>

#include "sync/creates_as_read.h"
#include "sync/current_index.h"
#include "sync/user_match.h"

namespace rosterd::sync {

class UserMatcher {
public:
    /// `creates` (may be null; a first sync's) takes the new users it can create at once: when the
    /// loaded store holds no directory users, each new user whose email no local account has (see
    /// CreatesAsRead). With it, the first user waits for the load.
    explicit UserMatcher(std::future<std::unique_ptr<IndexedState>> loading, CreatesAsRead* creates = nullptr)
        : loading_(std::move(loading)), creates_(creates) {}
    UserMatcher(const UserMatcher&) = delete;
    UserMatcher& operator=(const UserMatcher&) = delete;

    /// The next user of the snapshot, in snapshot order; `user` must stay where it is until the
    /// read is over (SnapshotBuilder keeps its records in place).
    void add(const DirUser& user);
    /// Waits for the store's side, matches the users still waiting (their records now in
    /// `users`, the snapshot's) and hands over the loaded state. Throws the load's failure.
    std::unique_ptr<IndexedState> finish(const std::vector<DirUser>& users);
    /// One match per snapshot user, after finish().
    const std::vector<UserMatch>& matches() const { return matches_; }

private:
    void adopt();
    // Matches the next snapshot user and hands it to creates_ where it can be created now.
    void match(const DirUser& user);

    std::future<std::unique_ptr<IndexedState>> loading_;
    CreatesAsRead* creates_;
    bool createNow_ = false;  ///< the loaded store holds no directory users
    std::unique_ptr<IndexedState> loaded_;
    // A failed load is kept for finish() to throw, not thrown inside the directory read (whose
    // connection pool would take it for a dead connection and read again).
    std::exception_ptr failure_;
    std::vector<const DirUser*> waiting_;
    std::vector<UserMatch> matches_;
};

}  // namespace rosterd::sync
