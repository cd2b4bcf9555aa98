#pragma once
// Shared bits of the directory integration tests.
#include <string>
#include <vector>

#include "support/slapd_server.h"

namespace rosterd::test {

/// `n` users user0000..user<n-1> with password "pw-<uid>".
inline std::vector<DirectoryUser> numberedUsers(int n) {
    std::vector<DirectoryUser> users;
    for (int i = 0; i < n; ++i) {
        char uid[16];
        std::snprintf(uid, sizeof uid, "user%04d", i);
        users.push_back({uid, std::string("User ") + uid, std::string(uid) + "@example.com", std::string("pw-") + uid});
    }
    return users;
}

}  // namespace rosterd::test
