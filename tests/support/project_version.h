#pragma once
// The version CMakeLists.txt's project(VERSION ...) declares: what --version, /api/config and
// /api/version must all say.
#include <string>

#include "support/process.h"

namespace rosterd::test {

/// project(rosterd VERSION x.y.z) read from the source tree's CMakeLists.txt; "" when not found.
inline std::string projectVersion() {
    const std::string cmake = readFile(std::string(ROSTERD_SOURCE_DIR) + "/CMakeLists.txt");
    const std::string key = "project(rosterd VERSION ";
    auto at = cmake.find(key);
    if (at == std::string::npos) return "";
    at += key.size();
    return cmake.substr(at, cmake.find(' ', at) - at);
}

}  // namespace rosterd::test
