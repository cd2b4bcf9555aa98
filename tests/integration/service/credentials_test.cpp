// Secrets from systemd credentials: a *_file key saying "credential:NAME" reads
// $CREDENTIALS_DIRECTORY/NAME, as LoadCredential= provides it; a missing one stops the start.
#include <Poco/JWT/Signer.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "service_daemon.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

const char* const kJwtKey = "credential-jwt-key-0123456789-abcdefghijklmnopqrstuvwxyz";
const char* const kWebhookSecret = "whsec_c2VjcmV0LWZvci10aGUtd2ViaG9vay1yZWNlaXZlcg==";

/// A folder laid out like systemd's: private to the service, each credential mode 0400.
std::string credentialsFolder(const std::string& parent) {
    std::string dir = parent + "/credentials";
    std::filesystem::create_directory(dir);
    writeFile(dir + "/jwt-secret", std::string(kJwtKey) + "\n");
    writeFile(dir + "/hook-secret", std::string(kWebhookSecret) + "\n");
    ::chmod((dir + "/jwt-secret").c_str(), 0400);
    ::chmod((dir + "/hook-secret").c_str(), 0400);
    ::chmod(dir.c_str(), 0500);
    return dir;
}

/// The daemon's INI with jwt_secret_file naming the credential `jwt` and a webhook reading `hook`.
std::string credentialConfig(const ServiceDaemon& d, const std::string& jwt, const std::string& hook) {
    std::string text =
        d.configText("info", "[webhook.audit]\nurl = http://127.0.0.1:9/hook\nsecret_file = credential:" + hook + "\n");
    std::string path = "jwt_secret_file = " + d.dir() + "/jwt_secret";
    text.replace(text.find(path), path.size(), "jwt_secret_file = credential:" + jwt);
    return text;
}

}  // namespace

TEST_CASE("serve reads secrets named credential:NAME from $CREDENTIALS_DIRECTORY") {
    ServiceDaemon d;
    std::string dir = credentialsFolder(d.dir());
    d.writeConfig(credentialConfig(d, "jwt-secret", "hook-secret"));
    d.addEnv("CREDENTIALS_DIRECTORY=" + dir);
    d.startReady();
    const std::string token = signupAda(d.client());
    // The token is signed with the credential's key, and no key file was generated instead.
    Poco::JWT::Signer signer(kJwtKey);
    CHECK_NOTHROW(signer.verify(token));
    CHECK_FALSE(std::filesystem::exists(d.dir() + "/jwt_secret"));
    CHECK(d.client().get("/api/v1/auths/", token).status == 200);
    ::chmod(dir.c_str(), 0700);  // so the folder can be removed
}

TEST_CASE("a credential that is missing, or without $CREDENTIALS_DIRECTORY, is a configuration error naming it") {
    ServiceDaemon d;
    std::string dir = credentialsFolder(d.dir());
    std::string expected;
    SECTION("the credential is not in the folder") {
        d.writeConfig(credentialConfig(d, "jwt-secret", "other-hook"));
        d.addEnv("CREDENTIALS_DIRECTORY=" + dir);
        expected =
            "rosterd: configuration error: webhook.audit.secret_file: the credential 'other-hook' is missing "
            "from $CREDENTIALS_DIRECTORY '" +
            dir + "'; add LoadCredential=other-hook:/path/to/file to the unit\n";
    }
    SECTION("CREDENTIALS_DIRECTORY is not set") {
        d.writeConfig(credentialConfig(d, "jwt-secret", "hook-secret"));
        d.addEnv("CREDENTIALS_DIRECTORY=");
        expected =
            "rosterd: configuration error: auth.jwt_secret_file: 'credential:jwt-secret' names a systemd credential "
            "but $CREDENTIALS_DIRECTORY is not set; add LoadCredential=jwt-secret:/path/to/file to the unit (see "
            "docs/operations.md)\n";
    }
    SECTION("the folder is open to others") {
        d.writeConfig(credentialConfig(d, "jwt-secret", "hook-secret"));
        ::chmod(dir.c_str(), 0755);
        d.addEnv("CREDENTIALS_DIRECTORY=" + dir);
        expected = "rosterd: configuration error: auth.jwt_secret_file: $CREDENTIALS_DIRECTORY '" + dir +
                   "' is open to others (systemd creates it private to the service); run `chmod 700 " + dir + "`\n";
    }
    d.start();
    int code = d.process().wait(30000);
    CHECK(code == 78);
    CHECK(d.log() == expected);
    ::chmod(dir.c_str(), 0700);
}
