#pragma once
// Groups and memberships through the API. Directory-sourced groups and their memberships belong to
// the directory: renaming, deleting or changing their members here is refused (the next sync would
// undo it); their description and permissions are local and may change.
#include <string>
#include <vector>

#include "accounts/group.h"
#include "common/clock.h"
#include "db/store.h"
#include "webhooks/outbox.h"

namespace rosterd::accounts {

class GroupService {
public:
    GroupService(db::Store& store, webhooks::Outbox& outbox, const Clock& clock)
        : store_(store), outbox_(outbox), clock_(clock) {}

    std::vector<Group> list();
    std::vector<Group> ofUser(const std::string& userId);
    Group get(const std::string& id);
    /// `creatorId` is the admin making it (Open WebUI's `user_id`); `meta` is checked by checkMeta().
    Group create(const std::string& name, const std::string& description, const nlohmann::json& permissions,
                 const nlohmann::json& data, const std::optional<std::string>& creatorId = std::nullopt,
                 const nlohmann::json& meta = nlohmann::json::object());
    Group update(const std::string& id, const GroupChanges& changes);
    void remove(const std::string& id);
    /// Adds users in one transaction; unknown ids fail the whole request (InvalidInput naming them).
    Group addMembers(const std::string& id, const std::vector<std::string>& userIds);
    Group removeMembers(const std::string& id, const std::vector<std::string>& userIds);

private:
    void appendMembersChanged(db::Transaction& tx, const Group& g, const std::vector<std::string>& added,
                              const std::vector<std::string>& removed);
    db::Store& store_;
    webhooks::Outbox& outbox_;
    const Clock& clock_;
};

}  // namespace rosterd::accounts
