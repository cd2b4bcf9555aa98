// `rosterd keys rotate [--key-file FILE]`: a new random JWT key becomes the current one and the
// key it replaces becomes the previous one (dropping the key that was previous before), so a
// reload signs with the new key while the tokens signed before keep working until they expire.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <stdexcept>

#include "accounts/signing_keys.h"
#include "accounts/token_service.h"
#include "common/errors.h"
#include "daemon/cli.h"
#include "daemon/credentials.h"

namespace rosterd::daemon {
namespace {

/// Writes `content` to `path` through a temporary file and a rename, with the owner and group of
/// `like` and its mode without any bits for others or group write (at most 0640).
void writeKeyFile(const std::string& path, const std::string& content, const struct stat& like) {
    std::string tmp = path + ".tmp";
    ::unlink(tmp.c_str());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot create '" + tmp + "': " + std::strerror(errno));
    auto fail = [&](const std::string& what) {
        std::string reason = std::strerror(errno);
        ::close(fd);
        ::unlink(tmp.c_str());
        throw std::runtime_error(what + " '" + tmp + "': " + reason);
    };
    std::string line = content + "\n";
    if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) fail("cannot write");
    if ((like.st_uid != ::geteuid() || like.st_gid != ::getegid()) && ::fchown(fd, like.st_uid, like.st_gid) != 0)
        fail("cannot give the owner of the key to");
    if (::fchmod(fd, like.st_mode & 0640) != 0) fail("cannot set the mode of");
    if (::fsync(fd) != 0) fail("cannot flush");
    ::close(fd);
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        std::string reason = std::strerror(errno);
        ::unlink(tmp.c_str());
        throw std::runtime_error("cannot replace '" + path + "': " + reason);
    }
}

}  // namespace

int runKeysRotate(CliContext& ctx) {
    std::string keyFile;
    for (std::size_t i = 0; i < ctx.args.size(); ++i) {
        const std::string& a = ctx.args[i];
        if (a == "--key-file" && i + 1 < ctx.args.size()) {
            keyFile = ctx.args[++i];
        } else if (a.rfind("--key-file=", 0) == 0) {
            keyFile = a.substr(11);
        } else {
            std::cerr << "usage: rosterd keys rotate [--key-file FILE]\n";
            return kExitUsage;
        }
    }
    std::string current = keyFile;
    std::string previous = keyFile.empty() ? "" : keyFile + ".previous";
    if (keyFile.empty()) {
        Config config = ctx.loadConfig();
        current = config.auth.jwtSecretFile;
        previous = config.auth.jwtPreviousSecretFile;
        // systemd's copies are read-only and made at each start: the source files are what rotates.
        if (isCredentialPath(current) || isCredentialPath(previous))
            throw ConfigError("auth.jwt_secret_file",
                              "the JWT keys are systemd credentials; rotate the files the unit's LoadCredential= "
                              "lines read with `rosterd keys rotate --key-file FILE` (FILE.previous gets the old key)");
    }
    struct stat st {};
    if (::stat(current.c_str(), &st) != 0)
        throw std::runtime_error("'" + current + "' does not exist: there is no key to rotate (rosterd creates it at " +
                                 "its first start)");
    std::string old = accounts::TokenService::readSecretFile(current);
    std::string dropped;
    std::error_code ec;
    if (std::filesystem::exists(previous, ec))
        dropped = accounts::keyIdOf(accounts::TokenService::readSecretFile(previous, "auth.jwt_previous_secret_file"));
    // The previous file first: the current file is never missing, which a start would take for a
    // first start and fill with a new key.
    writeKeyFile(previous, old, st);
    std::string fresh = accounts::TokenService::newSecret();
    writeKeyFile(current, fresh, st);

    std::cout << "new JWT key " << accounts::keyIdOf(fresh) << " written to " << current << "\n"
              << "the key it replaces, " << accounts::keyIdOf(old) << ", is now the previous key in " << previous
              << "\n";
    if (!dropped.empty() && dropped != accounts::keyIdOf(old))
        std::cout << "the key " << dropped << " is no longer accepted: tokens it signed stop working\n";
    std::cout << "apply it with `systemctl reload rosterd` on every replica (a restart when the keys are systemd "
                 "credentials);\ntokens signed by the previous key keep working until they expire\n";
    return kExitOk;
}

}  // namespace rosterd::daemon
