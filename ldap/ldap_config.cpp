#include "ldap/ldap_config.h"

#include <fstream>
#include <sstream>

#include "common/errors.h"

namespace rosterd::ldap {

std::string readBindPassword(const std::string& path) {
    if (path.empty()) return "";
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError("ldap.bind_password_file", "cannot read '" + path + "'");
    std::stringstream ss;
    ss << in.rdbuf();
    std::string pw = ss.str();
    if (!pw.empty() && pw.back() == '\n') pw.pop_back();
    if (!pw.empty() && pw.back() == '\r') pw.pop_back();
    return pw;
}

}  // namespace rosterd::ldap
