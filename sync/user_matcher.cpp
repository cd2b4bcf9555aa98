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
    createNow_ = creates_ && loaded_->state.users.empty();
    matches_.reserve(matches_.size() + waiting_.size());
    for (const DirUser* u : waiting_) match(*u);
    waiting_.clear();
    waiting_.shrink_to_fit();
}

void UserMatcher::match(const DirUser& user) {
    const UserMatch m = matchUser(user, loaded_->state, *loaded_->index);
    // With no directory user stored, a new user can only be refused for an email a local account
    // has (linked or reported by the plan); the snapshot gives every email to one user only.
    if (createNow_ && m.current == UserMatch::kNew && !loaded_->state.localEmails.count(user.email))
        creates_->add(user, static_cast<std::uint32_t>(matches_.size()));
    matches_.push_back(m);
}

void UserMatcher::add(const DirUser& user) {
    // A first sync waits for its (nearly empty) store to load, so every user can be created as read.
    if (loading_.valid() && (creates_ || loading_.wait_for(std::chrono::seconds(0)) == std::future_status::ready))
        adopt();
    if (loaded_)
        match(user);
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
