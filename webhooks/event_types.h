#pragma once
// The names of the events rosterd emits. The webhook configuration validates `events` patterns
// against this list. Outbox::append takes the type as a string: nothing checks at compile time
// that an emitted name is one of these.
#include <array>
#include <string_view>

namespace rosterd::webhooks::event_types {

inline constexpr std::string_view kUserSignup = "user.signup";
inline constexpr std::string_view kUserCreated = "user.created";
inline constexpr std::string_view kUserUpdated = "user.updated";
inline constexpr std::string_view kUserRoleChanged = "user.role_changed";
inline constexpr std::string_view kUserDeactivated = "user.deactivated";
inline constexpr std::string_view kUserDeleted = "user.deleted";
inline constexpr std::string_view kGroupCreated = "group.created";
inline constexpr std::string_view kGroupUpdated = "group.updated";
inline constexpr std::string_view kGroupDeleted = "group.deleted";
inline constexpr std::string_view kGroupDeactivated = "group.deactivated";
inline constexpr std::string_view kGroupReactivated = "group.reactivated";
inline constexpr std::string_view kGroupMembersChanged = "group.members_changed";
inline constexpr std::string_view kSyncCompleted = "sync.completed";
inline constexpr std::string_view kSyncFailed = "sync.failed";
inline constexpr std::string_view kSettingsChanged = "settings.changed";

/// Every event type, in documentation order.
inline constexpr std::array<std::string_view, 15> kAll = {
    kUserSignup,       kUserCreated,         kUserUpdated,   kUserRoleChanged, kUserDeactivated,
    kUserDeleted,      kGroupCreated,        kGroupUpdated,  kGroupDeleted,    kGroupDeactivated,
    kGroupReactivated, kGroupMembersChanged, kSyncCompleted, kSyncFailed,      kSettingsChanged,
};

}  // namespace rosterd::webhooks::event_types
