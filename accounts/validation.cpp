#include "accounts/validation.h"

#include <algorithm>
#include <cctype>

#include "accounts/password_hasher.h"
#include "accounts/user.h"
#include "common/errors.h"

namespace rosterd::accounts {
namespace {
std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}
}  // namespace

std::string normalizeEmail(const std::string& raw) {
    std::string e = trim(raw);
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return std::tolower(c); });
    auto at = e.find('@');
    bool ok = !e.empty() && e.size() <= 254 && at != std::string::npos && at > 0 && at == e.rfind('@') &&
              at + 1 < e.size();
    if (ok) {
        std::string domain = e.substr(at + 1);
        auto dot = domain.find('.');
        ok = dot != std::string::npos && dot > 0 && domain.back() != '.' && domain.find("..") == std::string::npos;
        for (unsigned char c : e)
            if (std::isspace(c) || std::iscntrl(c) || c == ',' || c == ';' || c == '<' || c == '>' || c == '"') ok = false;
    }
    if (!ok) throw InvalidInput("'" + raw + "' is not a valid email address");
    return e;
}

void validatePassword(const std::string& password, std::size_t minLength) {
    if (password.size() > kBcryptMaxBytes)
        throw InvalidInput("password is longer than 72 bytes, which bcrypt cannot use in full");
    if (password.size() < minLength)
        throw InvalidInput("password must be at least " + std::to_string(minLength) + " characters");
    if (password.find('\0') != std::string::npos) throw InvalidInput("password contains a NUL byte");
}

std::string normalizeName(const std::string& raw) {
    std::string n = trim(raw);
    if (n.empty()) throw InvalidInput("name must not be empty");
    if (n.size() > 255) throw InvalidInput("name is longer than 255 characters");
    return n;
}

void validateRole(const std::string& role) {
    if (!isValidRole(role)) throw InvalidInput("role must be one of pending, user, admin (got '" + role + "')");
}

}  // namespace rosterd::accounts
