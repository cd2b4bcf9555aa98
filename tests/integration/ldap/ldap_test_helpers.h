#pragma once
// Shared bits of the directory integration tests.
#include <string>
#include <vector>

#include "support/slapd_server.h"
#include "support/test_server.h"

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

/// A sign-in with directory credentials through the API.
inline HttpResult ldapLogin(const HttpClient& c, const std::string& user, const std::string& password) {
    return c.post("/api/v1/auths/ldap", {{"user", user}, {"password", password}});
}

}  // namespace rosterd::test
