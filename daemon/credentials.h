#pragma once
// Secrets handed over by systemd (LoadCredential=, SetCredentialEncrypted=): any *_file key may say
// "credential:NAME" instead of a path, meaning the file NAME in $CREDENTIALS_DIRECTORY.
#include <string>

namespace rosterd::daemon {

/// The prefix that makes a *_file value name a systemd credential.
inline constexpr const char* kCredentialPrefix = "credential:";

/// The path `value` stands for: "credential:NAME" becomes $CREDENTIALS_DIRECTORY/NAME, anything
/// else is a path already. Throws ConfigError naming `key` when the name is not a plain file name,
/// $CREDENTIALS_DIRECTORY is unset, the directory is open to others, or the credential is missing
/// (unless `mustExist` is false, for an optional file).
std::string secretFilePath(const std::string& key, const std::string& value, bool mustExist = true);

/// Whether `path` lies in $CREDENTIALS_DIRECTORY: systemd made that directory private to the
/// service, so the file's own owner and mode say nothing (it may be readable through an ACL).
bool isCredentialPath(const std::string& path);

}  // namespace rosterd::daemon
