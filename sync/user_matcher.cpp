#include "sync/user_matcher.h"

#include <chrono>
#include <stdexcept>

namespace rosterd::sync {
void UserMatcher::adopt() {
    try {
        loaded_ = loading_.get();
    } catch (...) {
        failure_ = std::current_exception();
        return;
    }
    matches_.reserve(matches_.size() + waiting_.size());
    for (const DirUser* u : waiting_) matches_.push_back(matchUser(*u, loaded_->state, *loaded_->index));
    waiting_.clear();
    waiting_.shrink_to_fit();
}

void UserMatcher::add(const DirUser& user) {
    if (loading_.valid() && loading_.wait_for(std::chrono::seconds(0)) == std::future_status::ready) adopt();
    if (loaded_)
        matches_.push_back(matchUser(user, loaded_->state, *loaded_->index));
    else
        waiting_.push_back(&user);
}

std::unique_ptr<IndexedState> UserMatcher::finish(const std::vector<DirUser>& users) {
    const std::size_t matched = matches_.size();
    const std::size_t waiting = waiting_.size();
    waiting_.clear();  // their records have moved into `users`
    if (loading_.valid()) adopt();
    if (failure_) std::rethrow_exception(failure_);
    if (matched + waiting != users.size()) throw std::logic_error("UserMatcher: users added and snapshot differ");
    for (std::size_t i = matched; i < users.size(); ++i)
        matches_.push_back(matchUser(users[i], loaded_->state, *loaded_->index));
    return std::move(loaded_);
}

}  // namespace rosterd::sync
