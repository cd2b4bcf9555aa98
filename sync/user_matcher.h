#pragma once
// Matches each directory user against the store while the directory is still being read. The
// store's side loads on another thread; users read before it is there wait in a list and are
// matched as soon as it arrives (or at the end), so most of the comparing happens while the
// read waits on the server rather than after it.
#include <exception>
#include <future>
#include <memory>
#include <vector>

#include "sync/current_index.h"
#include "sync/user_match.h"

namespace rosterd::sync {

class UserMatcher {
public:
    explicit UserMatcher(std::future<std::unique_ptr<IndexedState>> loading) : loading_(std::move(loading)) {}
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

    std::future<std::unique_ptr<IndexedState>> loading_;
    std::unique_ptr<IndexedState> loaded_;
    // A failed load is kept for finish() to throw, not thrown inside the directory read (whose
    // connection pool would take it for a dead connection and read again).
    std::exception_ptr failure_;
    std::vector<const DirUser*> waiting_;
    std::vector<UserMatch> matches_;
};

}  // namespace rosterd::sync
