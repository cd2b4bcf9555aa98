#include "ldap/attribute_name.h"

namespace rosterd::ldap {
namespace {

// ASCII only, whatever the locale.
bool isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isKeyChar(char c) { return isAlpha(c) || isDigit(c) || c == '-'; }

// number = DIGIT / ( LDIGIT 1*DIGIT ): no leading zero.
bool isNumber(std::string_view s) {
    if (s.empty() || (s.size() > 1 && s.front() == '0')) return false;
    for (char c : s)
        if (!isDigit(c)) return false;
    return true;
}

bool isNumericOid(std::string_view s) {
    std::size_t parts = 0;
    while (true) {
        const auto dot = s.find('.');
        if (!isNumber(s.substr(0, dot))) return false;
        ++parts;
        if (dot == std::string_view::npos) return parts >= 2;
        s.remove_prefix(dot + 1);
    }
}

bool isDescriptor(std::string_view s) {
    if (s.empty() || !isAlpha(s.front())) return false;
    for (char c : s)
        if (!isKeyChar(c)) return false;
    return true;
}

}  // namespace

bool isAttributeDescription(std::string_view name) {
    const auto semi = name.find(';');
    const std::string_view type = name.substr(0, semi);
    if (!isDescriptor(type) && !isNumericOid(type)) return false;
    if (semi == std::string_view::npos) return true;
    std::string_view options = name.substr(semi + 1);
    while (true) {
        const auto next = options.find(';');
        const std::string_view option = options.substr(0, next);
        if (option.empty()) return false;
        for (char c : option)
            if (!isKeyChar(c)) return false;
        if (next == std::string_view::npos) return true;
        options.remove_prefix(next + 1);
    }
}

}  // namespace rosterd::ldap
