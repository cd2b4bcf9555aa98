// The directory policy's decision on its own (sync and login both take it).
#include "accounts/directory_policy.h"

#include <catch2/catch.hpp>

using namespace rosterd::accounts;

TEST_CASE("directory policy: no key set leaves roles and access alone") {
    DirectoryPolicyConfig p;
    auto d = decideDirectoryPolicy(p, {"admins"});
    CHECK_FALSE(d.role);
    CHECK_FALSE(d.refusal);
    CHECK_FALSE(p.any());
}

TEST_CASE("directory policy: roles from admin_groups and user_groups, names without regard to case") {
    DirectoryPolicyConfig p;
    p.adminGroups = {"Admins"};
    p.defaultRole = "pending";
    CHECK(decideDirectoryPolicy(p, {"staff", "admins"}).role == "admin");
    CHECK(decideDirectoryPolicy(p, {"staff"}).role == "pending");  // user_groups empty: [sync] user_role
    p.userGroups = {"staff"};
    CHECK(decideDirectoryPolicy(p, {"STAFF"}).role == "user");
    CHECK(decideDirectoryPolicy(p, {"staff", "Admins"}).role == "admin");  // admin wins
    auto none = decideDirectoryPolicy(p, {"other"});
    CHECK(none.role == "pending");
    CHECK(none.roleReason.find("sync.user_role") != std::string::npos);
    CHECK(p.roleRule() == "[ldap] admin_groups = Admins; user_groups = staff");
}

TEST_CASE("directory policy: allowed_groups and denied_groups, denied wins") {
    DirectoryPolicyConfig p;
    p.allowedGroups = {"staff", "contractors"};
    p.deniedGroups = {"suspended"};
    CHECK_FALSE(decideDirectoryPolicy(p, {"contractors"}).refusal);
    CHECK(decideDirectoryPolicy(p, {"other"}).refusal == "not a member of staff, contractors (ldap.allowed_groups)");
    CHECK(decideDirectoryPolicy(p, {"staff", "Suspended"}).refusal == "member of Suspended (ldap.denied_groups)");
    CHECK_FALSE(decideDirectoryPolicy(p, {"staff"}).role);  // access keys alone manage no role
    CHECK(p.groupNames() == std::vector<std::string>{"staff", "contractors", "suspended"});
}
