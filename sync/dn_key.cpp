#include "sync/dn_key.h"

#include <string>

#include "sync/directory.h"

namespace rosterd::sync {
namespace {
bool isUpper(char c) { return c >= 'A' && c <= 'Z'; }
}  // namespace

bool isDnKey(std::string_view dn) {
    bool afterComma = false;
    for (char c : dn) {
        if (isUpper(c) || (afterComma && c == ' ')) return false;
        afterComma = (c == ',');
    }
    return true;
}

std::size_t writeDnKey(std::string_view dn, char* out) {
    std::size_t n = 0;
    bool afterComma = false;
    for (char c : dn) {
        if (afterComma && c == ' ') continue;
        afterComma = (c == ',');
        out[n++] = isUpper(c) ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return n;
}

std::string dnKey(const std::string& dn) {
    std::string out(dn.size(), '\0');
    out.resize(writeDnKey(dn, out.data()));
    return out;
}

}  // namespace rosterd::sync
