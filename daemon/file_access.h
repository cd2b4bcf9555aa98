#pragma once
// Who may read a file: answered from owners and modes for a given account, so `check-config` run
// by root can tell what the service user will meet.
#include <string>
#include <vector>

namespace rosterd::daemon {

/// An account as the kernel checks it: uid, primary and supplementary groups.
struct Account {
    std::string name;
    unsigned uid = 0;
    std::vector<unsigned> gids;
};

/// The account named `name`; throws ConfigError when the system has no such user.
Account accountNamed(const std::string& name);
/// The account this process runs as.
Account currentAccount();

/// Empty when `account` can read `path` (every folder on the way searchable, the file readable),
/// else the reason, naming the file or folder that stops it.
std::string readProblem(const std::string& path, const Account& account);

}  // namespace rosterd::daemon
