#include "webhooks/payload.h"

#include "webhooks/event_types.h"

namespace rosterd::webhooks {
namespace {

namespace et = event_types;

/// The user object of a user.* event (role changes wrap it as {"user": ..., "old_role", ...}).
const nlohmann::json* userOf(const Event& e) {
    if (e.type.rfind("user.", 0) != 0) return nullptr;
    if (auto it = e.data.find("user"); it != e.data.end() && it->is_object()) return &*it;
    return e.data.is_object() ? &e.data : nullptr;
}

const nlohmann::json* groupOf(const Event& e) {
    if (e.type.rfind("group.", 0) != 0) return nullptr;
    if (auto it = e.data.find("group"); it != e.data.end() && it->is_object()) return &*it;
    return e.data.is_object() ? &e.data : nullptr;
}

std::string text(const nlohmann::json* obj, const char* field) {
    if (!obj) return "";
    auto it = obj->find(field);
    return it != obj->end() && it->is_string() ? it->get<std::string>() : "";
}

std::string displayName(const nlohmann::json* obj) {
    std::string name = text(obj, "name");
    return name.empty() ? text(obj, "email") : name;
}

std::size_t sizeOf(const nlohmann::json& data, const char* field) {
    auto it = data.find(field);
    return it != data.end() && it->is_array() ? it->size() : 0;
}

}  // namespace

std::string eventMessage(const Event& e) {
    const nlohmann::json* user = userOf(e);
    const nlohmann::json* group = groupOf(e);
    if (e.type == et::kUserSignup) return "New user signed up: " + displayName(user);
    if (e.type == et::kUserCreated) return "User created: " + displayName(user);
    if (e.type == et::kUserUpdated) return "User updated: " + displayName(user);
    if (e.type == et::kUserRoleChanged)
        return "User role changed: " + displayName(user) + " (" + text(&e.data, "old_role") + " -> " +
               text(&e.data, "new_role") + ")";
    if (e.type == et::kUserDeactivated) return "User deactivated: " + displayName(user);
    if (e.type == et::kUserDeleted) return "User deleted: " + displayName(user);
    if (e.type == et::kGroupCreated) return "Group created: " + displayName(group);
    if (e.type == et::kGroupUpdated) return "Group updated: " + displayName(group);
    if (e.type == et::kGroupDeleted) return "Group deleted: " + displayName(group);
    if (e.type == et::kGroupMembersChanged)
        return "Group members changed: " + displayName(group) + " (+" + std::to_string(sizeOf(e.data, "added")) +
               ", -" + std::to_string(sizeOf(e.data, "removed")) + ")";
    if (e.type == et::kSyncCompleted) return "Directory sync completed";
    if (e.type == et::kSyncFailed) {
        std::string error = text(&e.data, "error");
        return error.empty() ? "Directory sync failed" : "Directory sync failed: " + error;
    }
    return "Event " + e.type;
}

std::string renderBody(Format format, const Event& e) {
    switch (format) {
        case Format::Standard:
            return standardBody(e).dump();
        case Format::OpenWebUi: {
            // Open WebUI's own notification: the user travels as a JSON-encoded string.
            nlohmann::json body = {{"action", e.type == et::kUserSignup ? std::string("signup") : e.type},
                                   {"message", eventMessage(e)}};
            if (const nlohmann::json* user = userOf(e))
                body["user"] = user->dump();
            else
                body["data"] = e.data.dump();
            return body.dump();
        }
        case Format::Slack:
            return nlohmann::json{{"text", eventMessage(e)}}.dump();
        case Format::Discord: {
            std::string message = eventMessage(e);
            if (message.size() > 2000) message = message.substr(0, 1997) + "...";  // Discord's content limit
            return nlohmann::json{{"content", message}, {"username", "rosterd"}}.dump();
        }
        case Format::Teams: {
            std::string message = eventMessage(e);
            return nlohmann::json{{"@type", "MessageCard"},
                                  {"@context", "http://schema.org/extensions"},
                                  {"summary", message},
                                  {"text", message}}
                .dump();
        }
    }
    return standardBody(e).dump();
}

}  // namespace rosterd::webhooks
