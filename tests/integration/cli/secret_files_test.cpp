// check-config looks at every secret file the way the service user meets it: which one it cannot
// read (and why), which one is too open, each with the fix.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "support/process.h"

using namespace rosterd::test;

namespace {

CommandResult checkConfig(const std::string& ini, const std::string& user) {
    return runCommand({"env", "-u", "DATABASE_URL", ROSTERD_BINARY, "check-config", "--config", ini, "--user", user});
}

}  // namespace

TEST_CASE("check-config names the secret file the service user cannot read, and the one that is too open") {
    REQUIRE(::geteuid() == 0);
    std::string top = makeTempDir("rosterd-secrets");
    std::string jwt = top + "/jwt_secret";
    writeFile(jwt, "0123456789abcdefghijklmnopqrstuvwxyzABCDEF\n");
    ::chmod(jwt.c_str(), 0600);  // root:root 0600: fine for root, unreadable for the service user
    std::string ldapPassword = top + "/ldap.pw";
    writeFile(ldapPassword, "secret\n");
    ::chmod(ldapPassword.c_str(), 0644);  // readable by everyone
    std::string ini = top + "/rosterd.ini";
    writeFile(ini, "[database]\nurl = sqlite://" + top + "/r.db\n[auth]\njwt_secret_file = " + jwt +
                       "\n[ldap]\nenabled = true\nurl = ldap://127.0.0.1:1\nbind_dn = cn=rosterd,dc=example,dc=com\n"
                       "bind_password_file = " +
                       ldapPassword + "\nuser_base = ou=people,dc=example,dc=com\n");
    ::chmod(ini.c_str(), 0640);

    // As root the files read fine; as the service user the folder (mkdtemp's 0700) stops everything.
    auto r = checkConfig(ini, "nobody");
    INFO(r.output);
    CHECK(r.exitCode == 78);
    CHECK(r.output.find("files, as nobody reads them") != std::string::npos);
    CHECK(r.output.find("folder '" + top + "' is root:root (mode 0700) and nobody may not enter it") !=
          std::string::npos);

    ::chmod(top.c_str(), 0755);
    r = checkConfig(ini, "nobody");
    INFO(r.output);
    CHECK(r.exitCode == 78);
    // The INI: root:root 0640, as a manual install leaves it.
    CHECK(r.output.find("PROBLEM --config " + ini + " root:root (mode 0640)") != std::string::npos);
    CHECK(r.output.find("sudo chgrp nogroup '" + ini + "' && sudo chmod 0640 '" + ini + "'") != std::string::npos);
    CHECK(r.output.find("PROBLEM auth.jwt_secret_file " + jwt) != std::string::npos);
    CHECK(r.output.find("PROBLEM ldap.bind_password_file " + ldapPassword + " root:root (mode 0644)") !=
          std::string::npos);
    CHECK(r.output.find("a secret readable by everyone; fix: sudo chmod o-rwx '" + ldapPassword + "'") !=
          std::string::npos);
    CHECK(r.output.find("4 file problem(s)") == std::string::npos);
    CHECK(r.output.find("3 file problem(s)") != std::string::npos);

    // Fixed as the messages say: group-readable by the service user's group, nothing for others.
    for (const auto& f : {ini, jwt, ldapPassword}) {
        REQUIRE(::chown(f.c_str(), 0, kNobody) == 0);
        ::chmod(f.c_str(), 0640);
    }
    r = checkConfig(ini, "nobody");
    INFO(r.output);
    CHECK(r.exitCode == 0);
    CHECK(r.output.find("configuration is valid") != std::string::npos);
    CHECK(r.output.find("ok      ldap.bind_password_file " + ldapPassword + " root:nogroup (mode 0640)") !=
          std::string::npos);

    // Writable by its group is refused too (another member could replace the secret).
    ::chmod(ldapPassword.c_str(), 0660);
    r = checkConfig(ini, "nobody");
    CHECK(r.exitCode == 78);
    CHECK(r.output.find("it is writable by its group; fix: sudo chmod go-w '" + ldapPassword + "'") !=
          std::string::npos);

    CHECK(checkConfig(ini, "no-such-user-here").exitCode == 78);
}
