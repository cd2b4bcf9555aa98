// Fuzzes LDAP escaping: an escaped filter value carries no unescaped filter syntax, a DN built
// around any value names exactly that value, and any DN that parses survives formatting.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "common/errors.h"
#include "ldap/escape.h"

namespace {

void check(bool ok) {
    if (!ok) std::abort();
}

void filterValue(const std::string& value) {
    std::string escaped = rosterd::ldap::escapeFilterValue(value);
    for (std::size_t i = 0; i < escaped.size(); ++i) {
        char c = escaped[i];
        check(c != '(' && c != ')' && c != '*' && c != '\0');
        if (c == '\\') {
            check(i + 2 < escaped.size());
            check(std::isxdigit(static_cast<unsigned char>(escaped[i + 1])) &&
                  std::isxdigit(static_cast<unsigned char>(escaped[i + 2])));
            i += 2;
        }
    }
    std::string filter = rosterd::ldap::equalityFilter("uid", value);
    check(filter == "(uid=" + escaped + ")");
}

void childDn(const std::string& value) {
    std::string dn;
    try {
        dn = rosterd::ldap::childDn("cn", value, "ou=people,dc=example,dc=com");
    } catch (const rosterd::Error&) {
        return;  // a value libldap cannot put in a DN (not UTF-8) is refused, not mangled
    }
    auto rdns = rosterd::ldap::parseDn(dn);
    check(rdns.size() == 4);
    check(rdns[0].size() == 1 && rdns[0][0].attribute == "cn" && rdns[0][0].value == value);
    check(rosterd::ldap::isUnder(dn, "ou=people,dc=example,dc=com"));
}

void parsedDn(const std::string& text) {
    std::vector<rosterd::ldap::Rdn> rdns;
    try {
        rdns = rosterd::ldap::parseDn(text);
    } catch (const rosterd::LdapError&) {
        return;
    }
    std::string formatted = rosterd::ldap::formatDn(rdns);
    check(rosterd::ldap::parseDn(formatted) == rdns);
    std::string normal = rosterd::ldap::normalizeDn(text);
    check(rosterd::ldap::sameDn(text, normal));
    check(rosterd::ldap::sameDn(text, text));
    check(rosterd::ldap::isUnder(text, text));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    filterValue(text);
    childDn(text);
    parsedDn(text);
    return 0;
}
