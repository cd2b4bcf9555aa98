// docs/openapi.yaml must describe every route the server registers.
#include <catch2/catch.hpp>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "support/process.h"
#include "support/test_server.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

struct DocumentedPath {
    std::set<std::string> methods;  ///< upper-case
    std::string block;              ///< the path's YAML text (for its parameters)
};

/// Reads the `paths:` mapping of the document: two-space keys are paths, four-space keys under
/// them are operations. The file keeps to that block layout.
std::map<std::string, DocumentedPath> documentedPaths(const std::string& yaml) {
    static const std::regex pathLine(R"(^  ['"]?(/[^'":]*)['"]?:\s*$)");
    static const std::regex methodLine(R"(^    (get|put|post|delete|patch|head|options):.*$)");
    std::map<std::string, DocumentedPath> out;
    std::istringstream in(yaml);
    std::string line, current;
    bool inPaths = false;
    while (std::getline(in, line)) {
        if (!line.empty() && line[0] != ' ' && line[0] != '#') {
            inPaths = line == "paths:";
            current.clear();
            continue;
        }
        if (!inPaths) continue;
        std::smatch m;
        if (std::regex_match(line, m, pathLine)) {
            current = m[1];
            CHECK(out.count(current) == 0);  // each path once
            out[current];
        } else if (!current.empty()) {
            if (std::regex_match(line, m, methodLine)) {
                std::string method = m[1];
                for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                out[current].methods.insert(method);
            }
            out[current].block += line + "\n";
        }
    }
    return out;
}

}  // namespace

TEST_CASE("every registered route is described in docs/openapi.yaml, with its path parameters") {
    TestServer s(db::Driver::Sqlite);
    auto documented = documentedPaths(readFile(std::string(ROSTERD_SOURCE_DIR) + "/docs/openapi.yaml"));
    REQUIRE(documented.size() > 10);
    auto routes = s.app().router().routes();
    REQUIRE(!routes.empty());
    static const std::regex param(R"(\{([a-z_]+)\})");
    for (const auto& route : routes) {
        INFO("route " << route);
        auto space = route.find(' ');
        std::string method = route.substr(0, space);
        std::string pattern = route.substr(space + 1);
        auto it = documented.find(pattern);
        REQUIRE(it != documented.end());
        CHECK(it->second.methods.count(method) == 1);
        for (auto p = std::sregex_iterator(pattern.begin(), pattern.end(), param); p != std::sregex_iterator(); ++p) {
            std::string name = (*p)[1];
            bool declared = it->second.block.find("{name: " + name + ", in: path") != std::string::npos ||
                            (name == "id" && it->second.block.find("#/components/parameters/Id") != std::string::npos);
            INFO("path parameter " << name);
            CHECK(declared);
        }
    }
}

TEST_CASE("every documented operation is served (no stale entries)") {
    TestServer s(db::Driver::Sqlite);
    auto documented = documentedPaths(readFile(std::string(ROSTERD_SOURCE_DIR) + "/docs/openapi.yaml"));
    auto routes = s.app().router().routes();
    std::set<std::string> registered(routes.begin(), routes.end());
    for (const auto& [path, doc] : documented) {
        CHECK_FALSE(doc.methods.empty());
        for (const auto& m : doc.methods) {
            INFO("documented " << m << " " << path);
            std::string route = m;
            route.append(" ").append(path);
            CHECK(registered.count(route) == 1);
        }
    }
}

TEST_CASE("every registered route is in docs/api.md's tables, and every route there is served") {
    TestServer s(db::Driver::Sqlite);
    std::string apiMd = readFile(std::string(ROSTERD_SOURCE_DIR) + "/docs/api.md");
    // A table row: "| GET, POST | `/path?query`, `/other` | ...": every method with every path (each
    // up to its query string).
    static const std::regex row(
        R"(^\| *((?:GET|PUT|POST|DELETE|PATCH)(?:, *(?:GET|PUT|POST|DELETE|PATCH))*) *\| *([^|]+)\|)");
    static const std::regex method(R"(GET|PUT|POST|DELETE|PATCH)");
    static const std::regex path(R"(`(/[^`?]*)[^`]*`)");
    std::set<std::string> documented;
    std::istringstream in(apiMd);
    std::string line;
    while (std::getline(in, line)) {
        std::smatch m;
        if (!std::regex_search(line, m, row)) continue;
        std::string methods = m[1], paths = m[2];
        for (auto mi = std::sregex_iterator(methods.begin(), methods.end(), method); mi != std::sregex_iterator();
             ++mi) {
            for (auto pi = std::sregex_iterator(paths.begin(), paths.end(), path); pi != std::sregex_iterator(); ++pi) {
                documented.insert((*mi).str() + " " + (*pi)[1].str());
            }
        }
    }
    REQUIRE(documented.size() > 10);
    auto routes = s.app().router().routes();
    std::set<std::string> registered(routes.begin(), routes.end());
    for (const auto& route : registered) {
        INFO("route missing from docs/api.md: " << route);
        CHECK(documented.count(route) == 1);
    }
    for (const auto& route : documented) {
        INFO("docs/api.md lists a route the server does not serve: " << route);
        CHECK(registered.count(route) == 1);
    }
}
