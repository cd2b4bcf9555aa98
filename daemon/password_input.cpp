#include "daemon/password_input.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include "common/errors.h"

namespace rosterd::daemon {

std::string readPassword(const std::string& path) {
    std::string line;
    if (path.empty()) {
        std::getline(std::cin, line);
    } else {
        std::ifstream in(path, std::ios::binary);
        if (!in) throw InvalidInput("cannot read " + path + ": " + std::strerror(errno));
        std::getline(in, line);
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) throw InvalidInput("no password given (first line of " + (path.empty() ? "stdin" : path) + ")");
    return line;
}

}  // namespace rosterd::daemon
