#include "ldap/bind_refusal.h"

#include <cctype>

namespace rosterd::ldap {

BindRefusal bindRefusalOf(const std::string& diagnostic) {
    for (std::size_t at = diagnostic.find("data "); at != std::string::npos; at = diagnostic.find("data ", at + 1)) {
        std::size_t begin = at + 5, end = begin;
        while (end < diagnostic.size() && std::isxdigit(static_cast<unsigned char>(diagnostic[end]))) ++end;
        std::string code = diagnostic.substr(begin, end - begin);
        for (auto& ch : code) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        if (code == "775") return BindRefusal::Locked;
        if (code == "532") return BindRefusal::PasswordExpired;
        if (code == "773") return BindRefusal::MustChangePassword;
        if (code == "701") return BindRefusal::AccountExpired;
        if (code == "533") return BindRefusal::Disabled;
        if (!code.empty()) return BindRefusal::WrongCredentials;
    }
    return BindRefusal::WrongCredentials;
}

bool passwordWasRight(BindRefusal refusal) {
    return refusal != BindRefusal::WrongCredentials && refusal != BindRefusal::Locked;
}

const char* describe(BindRefusal refusal) {
    switch (refusal) {
        case BindRefusal::WrongCredentials:
            return "wrong credentials";
        case BindRefusal::Locked:
            return "account locked";
        case BindRefusal::PasswordExpired:
            return "password expired";
        case BindRefusal::MustChangePassword:
            return "password must be changed";
        case BindRefusal::AccountExpired:
            return "account expired";
        case BindRefusal::Disabled:
            return "account disabled";
    }
    return "refused";
}

}  // namespace rosterd::ldap
