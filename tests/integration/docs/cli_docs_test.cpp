// The command line as documented: every command `rosterd --help` lists appears in the README and
// in the man page, so neither falls behind the program again.
#include <catch2/catch.hpp>
#include <sstream>

#include "support/process.h"

using namespace rosterd::test;

namespace {

/// The command names under "commands:" in --help ("serve", "users import", ...).
std::vector<std::string> helpCommands() {
    auto help = runCommand({ROSTERD_BINARY, "--help"});
    REQUIRE(help.exitCode == 0);
    std::vector<std::string> out;
    std::istringstream in(help.output);
    std::string line;
    bool inCommands = false;
    while (std::getline(in, line)) {
        if (line == "commands:") {
            inCommands = true;
            continue;
        }
        if (!inCommands) continue;
        if (line.empty()) break;
        // "  users import FILE.csv | --template   summary": the name is the words before an
        // argument (upper case, '[' or '-').
        // The summary starts after a run of spaces (or, after a long synopsis, with the words
        // that follow its arguments).
        std::string head = line.substr(2);
        head = head.substr(0, head.find("  "));
        std::istringstream words(head);
        std::string w, name;
        while (words >> w) {
            if (w[0] == '[' || w[0] == '-' || std::isupper(static_cast<unsigned char>(w[0]))) break;
            name += (name.empty() ? "" : " ") + w;
        }
        out.push_back(name);
    }
    return out;
}

/// The man page's text with roff escapes for '-' removed ("check\-config" -> "check-config").
std::string manText() {
    std::string raw = readFile(std::string(ROSTERD_SOURCE_DIR) + "/docs/rosterd.8");
    std::string out;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '\\' && i + 1 < raw.size() && raw[i + 1] == '-') continue;
        out.push_back(raw[i]);
    }
    return out;
}

}  // namespace

TEST_CASE("every command in --help is in the README and the man page") {
    auto commands = helpCommands();
    REQUIRE(commands.size() >= 8);
    std::string readme = readFile(std::string(ROSTERD_SOURCE_DIR) + "/README.md");
    std::string man = manText();
    for (const auto& c : commands) {
        INFO("command: " << c);
        CHECK(readme.find("  " + c) != std::string::npos);
        CHECK(man.find(".B " + c) != std::string::npos);
    }
}
