#pragma once
// Following a quick start of docs/ldap.md: its rosterd.ini taken from the document, adapted to this
// machine key by key, and the rosterd binary run as its steps run it.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/http_client.h"
#include "support/process.h"

namespace rosterd::test {

/// The first ```ini block after `heading` in `markdown`, without the list item's indentation.
inline std::string iniBlockAfter(const std::string& markdown, const std::string& heading) {
    auto at = markdown.find("\n" + heading + "\n");
    if (at == std::string::npos) throw std::runtime_error("docs/ldap.md has no heading '" + heading + "'");
    std::istringstream in(markdown.substr(at + heading.size() + 2));
    std::string line, block, indent;
    bool inside = false;
    while (std::getline(in, line)) {
        auto start = line.find_first_not_of(' ');
        std::string text = start == std::string::npos ? "" : line.substr(start);
        if (!inside) {
            if (text.rfind("## ", 0) == 0) break;  // the next section: no block in this one
            if (text == "```ini") {
                inside = true;
                indent = line.substr(0, start);
            }
            continue;
        }
        if (text == "```") return block;
        block += (line.rfind(indent, 0) == 0 ? line.substr(indent.size()) : line) + "\n";
    }
    throw std::runtime_error("no complete ```ini block under '" + heading + "' in docs/ldap.md");
}

/// `ini` with `key`'s value in `[section]` replaced; the key must be there already, so the
/// document keeps every setting a newcomer has to adapt.
inline std::string withValue(const std::string& ini, const std::string& section, const std::string& key,
                             const std::string& value) {
    std::istringstream in(ini);
    std::string line, out, current;
    bool replaced = false;
    while (std::getline(in, line)) {
        if (!line.empty() && line.front() == '[') current = line.substr(1, line.find(']') - 1);
        auto eq = line.find('=');
        if (current == section && eq != std::string::npos && line[0] != '#' &&
            line.substr(0, line.find_last_not_of(' ', eq - 1) + 1) == key) {
            line = key + " = " + value;
            replaced = true;
        }
        out += line + "\n";
    }
    if (!replaced) throw std::runtime_error("the quick start's rosterd.ini has no [" + section + "] " + key);
    return out;
}

/// The value of `key` in `[section]` ("" when absent).
inline std::string valueOf(const std::string& ini, const std::string& section, const std::string& key) {
    std::istringstream in(ini);
    std::string line, current;
    while (std::getline(in, line)) {
        if (!line.empty() && line.front() == '[') current = line.substr(1, line.find(']') - 1);
        auto eq = line.find('=');
        if (current != section || eq == std::string::npos || line[0] == '#') continue;
        if (line.substr(0, line.find_last_not_of(' ', eq - 1) + 1) != key) continue;
        auto v = line.find_first_not_of(' ', eq + 1);
        return v == std::string::npos ? "" : line.substr(v);
    }
    return "";
}

/// `rosterd --config INI ARGS...` as the quick start runs it; `stdinFile` is redirected to stdin.
inline CommandResult runRosterd(const std::string& ini, const std::vector<std::string>& args,
                                const std::string& stdinFile = "") {
    std::vector<std::string> argv = {"sh",
                                     "-c",
                                     "in=$1; shift; if [ -n \"$in\" ]; then exec \"$@\" < \"$in\"; else exec \"$@\" "
                                     "</dev/null; fi",
                                     "sh",
                                     stdinFile,
                                     "env",
                                     "-u",
                                     "DATABASE_URL",
                                     ROSTERD_BINARY,
                                     "--config",
                                     ini};
    argv.insert(argv.end(), args.begin(), args.end());
    return runCommand(argv);
}

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

inline bool waitUntilReady(const HttpClient& client, ChildProcess& daemon) {
    for (int i = 0; i < 200 && daemon.running(); ++i) {
        try {
            if (client.get("/readyz").status == 200) return true;
        } catch (const std::exception&) {
            // not listening yet
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

/// The quick start's rosterd.ini made local, as a newcomer adapts it: this machine's addresses, a
/// store and key file in a new folder, and the service password in a one-line file of mode 0640.
struct LocalQuickStart {
    std::string dir;      ///< the folder holding the store, the key, the password file and the ini
    int port = 0;         ///< [server] listen's port
    std::string iniFile;  ///< dir + "/rosterd.ini"
};
inline LocalQuickStart placeQuickStart(std::string ini, const std::string& dirPrefix, const std::string& ldapsUrl,
                                       const std::string& caFile, const std::string& servicePassword) {
    LocalQuickStart q;
    q.dir = makeTempDir(dirPrefix);
    q.port = freePort();
    writeFile(q.dir + "/ldap_password", servicePassword + "\n");
    ::chmod((q.dir + "/ldap_password").c_str(), 0640);
    ini = withValue(ini, "server", "listen", "127.0.0.1:" + std::to_string(q.port));
    ini = withValue(ini, "database", "url", "sqlite://" + q.dir + "/rosterd.db");
    ini = withValue(ini, "auth", "jwt_secret_file", q.dir + "/jwt_secret");
    ini = withValue(ini, "ldap", "url", ldapsUrl);
    ini = withValue(ini, "ldap", "ca_file", caFile);
    ini = withValue(ini, "ldap", "bind_password_file", q.dir + "/ldap_password");
    q.iniFile = q.dir + "/rosterd.ini";
    writeFile(q.iniFile, ini);
    return q;
}

/// The quick start's step 2, `check-config --connect`: every step ok, and the user base holds `users`.
inline void checkConnects(const std::string& iniFile, const std::string& users) {
    auto check = runRosterd(iniFile, {"check-config", "--connect"});
    INFO(check.output);
    REQUIRE(check.exitCode == 0);
    CHECK_FALSE(contains(check.output, "FAIL"));
    CHECK(contains(check.output, users));
}

}  // namespace rosterd::test
