#pragma once
// How one directory user compares with the store: which stored user has its stable id, and which
// of the fields sync writes differ. Pure, so a full run works it out for each user while the
// directory is still being read (UserMatcher), and planning only acts on the answers.
#include <cstdint>

#include "sync/current_index.h"
#include "sync/directory.h"

namespace rosterd::sync {

struct UserMatch {
    static constexpr std::uint32_t kNew = UINT32_MAX;  ///< no stored user has the stable id
    enum Field : std::uint8_t { Dn = 1, Username = 2, Name = 4, Email = 8, Inactive = 16, ProfileImage = 32 };

    std::uint32_t current = kNew;  ///< index into CurrentState::users
    std::uint8_t differs = 0;      ///< Field bits: what differs from the stored user
};

UserMatch matchUser(const DirUser& user, const CurrentState& current, const CurrentIndex& index);

}  // namespace rosterd::sync
