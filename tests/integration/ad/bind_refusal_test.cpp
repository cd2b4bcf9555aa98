// What a real Samba AD says when it refuses a bind: a wrong password, a locked-out account and a
// password that must be changed (pwdLastSet = 0) are told apart, and the login answers only what
// the directory said after checking the password; a wrong password for a name that does not exist
// reads exactly like one for a name that does. Both store drivers for the login.
#include "ad_env.h"
#include "ldap/directory.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

const char* kGeneric = "The username or password provided is incorrect.";

// Locks an account after `threshold` wrong passwords, domain-wide, for the test's duration.
class LockoutThreshold {
public:
    LockoutThreshold(SambaAdServer& ad, int threshold) : ad_(ad) { set(threshold); }
    ~LockoutThreshold() { set(0); }

private:
    void set(int n) { ad_.replace(SambaAdServer::kBase, "lockoutThreshold", {std::to_string(n)}); }
    SambaAdServer& ad_;
};

}  // namespace

TEST_CASE("ad bind refusal: the directory's reasons are told apart") {
    SambaAdServer& ad = SambaAdServer::shared();
    std::string ou = ad.newOu();
    const std::string tag = ou.substr(4, ou.find(',') - 4);
    std::string ok = ad.addUser(ou, {.sam = "nia" + tag, .password = "Nia-Pass-1"});
    std::string change = ad.addUser(ou, {.sam = "oto" + tag, .password = "Oto-Pass-1"});
    std::string locked = ad.addUser(ou, {.sam = "pia" + tag, .password = "Pia-Pass-1"});
    rosterd::ldap::Directory directory(ad.config(ou));

    CHECK_FALSE(directory.verifyPassword(ok, "Nia-Pass-1").has_value());
    CHECK(directory.verifyPassword(ok, "wrong-Pass-1") == rosterd::ldap::BindRefusal::WrongCredentials);

    ad.replace(change, "pwdLastSet", {"0"});
    CHECK(directory.verifyPassword(change, "Oto-Pass-1") == rosterd::ldap::BindRefusal::MustChangePassword);
    CHECK(directory.verifyPassword(change, "wrong-Pass-1") == rosterd::ldap::BindRefusal::WrongCredentials);

    LockoutThreshold lockout(ad, 2);
    for (int i = 0; i < 2; ++i) directory.verifyPassword(locked, "wrong-Pass-1");
    CHECK(directory.verifyPassword(locked, "Pia-Pass-1") == rosterd::ldap::BindRefusal::Locked);
}

TEST_CASE("ad login refusal: must-change has its message; locked and wrong passwords the generic one") {
    AdEnv env(GENERATE(allDrivers()));
    const std::string quinn = env.name("quinn"), rex = env.name("rex"), sol = env.name("sol");
    std::string changeDn = env.addUser(quinn);
    env.addUser(rex);
    env.addUser(sol);
    env.ad.replace(changeDn, "pwdLastSet", {"0"});

    auto mustChange = env.login(quinn, AdEnv::passwordOf(quinn));
    INFO(mustChange.body);
    CHECK(mustChange.status == 400);
    CHECK(detailOf(mustChange) ==
          "Your directory password must be changed before you can sign in; change it, then sign in again.");
    // Without the right password nothing about the account is told.
    auto mustChangeWrong = env.login(quinn, "wrong-Pass-1");
    CHECK(mustChangeWrong.status == 400);
    CHECK(detailOf(mustChangeWrong) == kGeneric);

    auto wrong = env.login(rex, "wrong-Pass-1");
    auto unknown = env.login(env.name("nobody"), "wrong-Pass-1");
    INFO(wrong.body);
    CHECK(wrong.status == 400);
    CHECK(detailOf(wrong) == kGeneric);
    CHECK(unknown.status == wrong.status);
    CHECK(unknown.body == wrong.body);

    {
        LockoutThreshold lockout(env.ad, 2);
        for (int i = 0; i < 2; ++i) env.login(sol, "wrong-Pass-1");
        auto locked = env.login(sol, AdEnv::passwordOf(sol));
        INFO(locked.body);
        CHECK(locked.status == wrong.status);
        CHECK(locked.body == wrong.body);
    }
    CHECK(env.scalar("SELECT count(*) FROM users WHERE source = 'ldap'") == 0);
}
