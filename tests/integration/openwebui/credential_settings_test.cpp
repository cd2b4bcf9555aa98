// A bind password stored through the LDAP settings form is written to a file rosterd reads; when
// the JWT key is a systemd credential, that file goes to the state directory, since systemd's
// credentials directory is read-only to the service.
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>

#include "openwebui_fixture.h"
#include "support/process.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

/// Sets an environment variable for the life of the object (before the server reads it).
class ScopedEnv {
public:
    ScopedEnv(const char* name, const std::string& value) : name_(name) { ::setenv(name, value.c_str(), 1); }
    ~ScopedEnv() { ::unsetenv(name_); }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    const char* name_;
};

}  // namespace

TEST_CASE("openwebui: with the JWT key from a credential, a stored bind password goes to the state directory") {
    std::string dir = makeTempDir("rosterd-credential-settings");
    std::string credentials = dir + "/credentials", state = dir + "/state";
    std::filesystem::create_directories(credentials);
    std::filesystem::create_directories(state);
    writeFile(credentials + "/jwt", "credential-jwt-key-0123456789-abcdefghijklmnopqrstuvwxyz\n");
    ::chmod(credentials.c_str(), 0700);
    ::chmod((credentials + "/jwt").c_str(), 0400);
    ScopedEnv credentialsEnv("CREDENTIALS_DIRECTORY", credentials);
    ScopedEnv stateEnv("STATE_DIRECTORY", state);
    {
        TestServer s(db::Driver::Sqlite, {{"auth.jwt_secret_file", "credential:jwt"}});
        auto c = s.client();
        std::string admin = signupToken(c, "Ada", "ada@example.com");
        ok(owui(c, "POST", "/api/v1/auths/admin/config/ldap/server", admin, ldapServerForm()));
        std::string file = s.app().config()->ldap.bindPasswordFile;
        INFO(file);
        CHECK(file.rfind(state + "/", 0) == 0);
        CHECK(readFile(file) == "s3cret-bind-pw");
        CHECK(std::filesystem::directory_iterator(credentials)->path().filename() == "jwt");  // nothing added
    }
    std::filesystem::remove_all(dir);
}
