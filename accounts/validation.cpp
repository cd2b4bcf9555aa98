#include "accounts/validation.h"

#include <cctype>
#include <cstdio>

#include "accounts/password_hasher.h"
#include "accounts/user.h"
#include "common/case_fold.h"
#include "common/errors.h"
#include "common/log_safe.h"
#include "common/utf8.h"

namespace rosterd::accounts {
namespace {
std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

bool startsWithNoCase(const std::string& s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
    return true;
}

std::string hexCodePoint(char32_t cp) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
    return buf;
}

void validateHttpUrl(const std::string& url, std::size_t schemeLength) {
    validateText("profile_image_url", url, kMaxImageUrlChars);
    std::size_t hostStart = schemeLength;
    std::size_t hostEnd = url.find_first_of("/?#", hostStart);
    if (hostEnd == hostStart || hostStart >= url.size())
        throw InvalidInput("profile_image_url must name a host after " + url.substr(0, schemeLength));
    for (char c : url)
        if (c == ' ' || c == '"' || c == '<' || c == '>' || c == '\\' || c == '`')
            throw InvalidInput(std::string("profile_image_url must not contain '") + c + "'");
}

void validateDataUrl(const std::string& url) {
    if (url.size() > kMaxImageDataBytes)
        throw InvalidInput("profile_image_url is larger than " + std::to_string(kMaxImageDataBytes / 1024) +
                           " KiB; use a smaller image or an http(s) URL");
    std::size_t comma = url.find(',');
    std::string header = comma == std::string::npos ? url : url.substr(0, comma);
    bool knownType = false;
    for (const char* type :
         {"data:image/png;base64", "data:image/jpeg;base64", "data:image/gif;base64", "data:image/webp;base64"})
        if (header.size() == std::string_view(type).size() && startsWithNoCase(header, type)) knownType = true;
    if (!knownType || comma == std::string::npos)
        throw InvalidInput("a data: profile_image_url must be data:image/(png|jpeg|gif|webp);base64,...");
    std::size_t n = url.size() - comma - 1;
    if (n == 0 || n % 4 != 0) throw InvalidInput("profile_image_url carries malformed base64");
    for (std::size_t i = comma + 1; i < url.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(url[i]);
        bool pad = c == '=' && i + 2 >= url.size();
        if (!std::isalnum(c) && c != '+' && c != '/' && !pad)
            throw InvalidInput("profile_image_url carries malformed base64");
    }
}
}  // namespace

void validateText(const std::string& field, const std::string& value, std::size_t maxChars, bool multiLine) {
    std::size_t i = 0, count = 0;
    while (i < value.size()) {
        char32_t cp;
        if (!utf8::decode(value, i, cp))
            throw InvalidInput(field + " is not valid UTF-8 (byte " + std::to_string(i + 1) + ")");
        if (utf8::isControl(cp) && !(multiLine && (cp == '\n' || cp == '\t')))
            throw InvalidInput(field + " must not contain control characters (found " + hexCodePoint(cp) + ")");
        if (++count > maxChars)
            throw InvalidInput(field + " is longer than " + std::to_string(maxChars) + " characters");
    }
}

std::string normalizeEmail(const std::string& raw) {
    std::string e = trim(raw);
    if (e.size() > 254) throw InvalidInput("email address is longer than 254 bytes");
    validateText("email address", e, 254);
    e = foldCase(e);
    auto at = e.find('@');
    bool ok =
        !e.empty() && e.size() <= 254 && at != std::string::npos && at > 0 && at == e.rfind('@') && at + 1 < e.size();
    if (ok) {
        std::string domain = e.substr(at + 1);
        auto dot = domain.find('.');
        ok = dot != std::string::npos && dot > 0 && domain.back() != '.' && domain.find("..") == std::string::npos;
        for (unsigned char c : e)
            if (std::isspace(c) || std::iscntrl(c) || c == ',' || c == ';' || c == '<' || c == '>' || c == '"')
                ok = false;
    }
    if (!ok) throw InvalidInput("'" + logSafe(raw, 100) + "' is not a valid email address");
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
    validateText("name", n, kMaxNameChars);
    return n;
}

void validateProfileImageUrl(const std::string& url) {
    if (url.empty() || url == "/user.png") return;
    if (startsWithNoCase(url, "https://")) return validateHttpUrl(url, 8);
    if (startsWithNoCase(url, "http://")) return validateHttpUrl(url, 7);
    if (startsWithNoCase(url, "data:")) return validateDataUrl(url);
    throw InvalidInput(
        "profile_image_url must be an http(s) URL, a data:image/(png|jpeg|gif|webp);base64 URL or "
        "/user.png");
}

Role validateRole(const std::string& role) {
    if (auto r = parseRole(role)) return *r;
    throw InvalidInput("role must be one of pending, user, admin (got '" + logSafe(role, 64) + "')");
}

}  // namespace rosterd::accounts
