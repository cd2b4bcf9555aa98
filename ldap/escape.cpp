#include "ldap/escape.h"

#include <algorithm>
#include <cctype>

#include "common/csv_reader.h"
#include "common/errors.h"
#include "ldap/handles.h"

namespace rosterd::ldap {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

}  // namespace

std::string escapeFilterValue(std::string_view value) {
    berval in{static_cast<ber_len_t>(value.size()), const_cast<char*>(value.data())};
    berval out{0, nullptr};
    if (ldap_bv2escaped_filter_value(&in, &out) != 0) throw LdapError("cannot escape filter value", LDAP_NO_MEMORY);
    std::string s(out.bv_val ? out.bv_val : "", out.bv_len);
    ber_memfree(out.bv_val);
    return s;
}

std::string equalityFilter(const std::string& attribute, std::string_view value) {
    return "(" + attribute + "=" + escapeFilterValue(value) + ")";
}

std::vector<Rdn> parseDn(const std::string& dn) {
    // libldap reads a C string: a NUL would end the DN early and leave a different one parsed.
    if (dn.find('\0') != std::string::npos)
        throw LdapError("not a valid DN: it holds a NUL byte", LDAP_INVALID_DN_SYNTAX);
    LDAPDN raw = nullptr;
    int rc = ldap_str2dn(dn.c_str(), &raw, LDAP_DN_FORMAT_LDAPV3);
    DnHandle owned(raw);
    if (rc != LDAP_SUCCESS)
        throw LdapError("'" + dn + "' is not a valid DN: " + ldap_err2string(rc), LDAP_INVALID_DN_SYNTAX);
    std::vector<Rdn> out;
    for (int i = 0; raw && raw[i]; ++i) {
        Rdn rdn;
        for (int j = 0; raw[i][j]; ++j) {
            const LDAPAVA* ava = raw[i][j];
            rdn.push_back({std::string(ava->la_attr.bv_val, ava->la_attr.bv_len),
                           std::string(ava->la_value.bv_val, ava->la_value.bv_len)});
            // LDAPv3 DNs are UTF-8: a value that is not could never be formatted or compared again.
            if (!csv::isValidUtf8(rdn.back().value))
                throw LdapError("not a valid DN: a value is not UTF-8", LDAP_INVALID_DN_SYNTAX);
        }
        out.push_back(std::move(rdn));
    }
    return out;
}

std::string formatDn(const std::vector<Rdn>& rdns) {
    // Build libldap's own DN structure on the stack and let ldap_dn2str do the escaping.
    std::vector<std::vector<LDAPAVA>> avas(rdns.size());
    std::vector<std::vector<LDAPAVA*>> rdnPtrs(rdns.size());
    std::vector<LDAPRDN> dnPtrs;
    for (std::size_t i = 0; i < rdns.size(); ++i) {
        for (const Ava& a : rdns[i]) {
            // Held to the same rule as parseDn (libldap's own check lets through bytes above U+10FFFF).
            if (!csv::isValidUtf8(a.value))
                throw LdapError("cannot format DN: a value is not UTF-8", LDAP_INVALID_DN_SYNTAX);
            LDAPAVA ava{};
            ava.la_attr = {static_cast<ber_len_t>(a.attribute.size()), const_cast<char*>(a.attribute.data())};
            ava.la_value = {static_cast<ber_len_t>(a.value.size()), const_cast<char*>(a.value.data())};
            ava.la_flags = LDAP_AVA_STRING;
            avas[i].push_back(ava);
        }
        for (auto& ava : avas[i]) rdnPtrs[i].push_back(&ava);
        rdnPtrs[i].push_back(nullptr);
        dnPtrs.push_back(rdnPtrs[i].data());
    }
    dnPtrs.push_back(nullptr);
    char* out = nullptr;
    int rc = ldap_dn2str(dnPtrs.data(), &out, LDAP_DN_FORMAT_LDAPV3);
    LdapString owned(out);
    if (rc != LDAP_SUCCESS) throw LdapError(std::string("cannot format DN: ") + ldap_err2string(rc), rc);
    return out ? std::string(out) : std::string();
}

std::string childDn(const std::string& attribute, const std::string& value, const std::string& parent) {
    std::vector<Rdn> rdns = parent.empty() ? std::vector<Rdn>{} : parseDn(parent);
    rdns.insert(rdns.begin(), Rdn{{attribute, value}});
    return formatDn(rdns);
}

std::string normalizeDn(const std::string& dn) {
    auto rdns = parseDn(dn);
    for (auto& rdn : rdns)
        for (auto& ava : rdn) ava.attribute = lower(ava.attribute);
    return formatDn(rdns);
}

bool sameDn(const std::string& a, const std::string& b) { return lower(normalizeDn(a)) == lower(normalizeDn(b)); }

bool isUnder(const std::vector<Rdn>& dn, const std::vector<Rdn>& base) {
    if (base.size() > dn.size()) return false;
    auto norm = [](Rdn r) {
        for (auto& ava : r) {
            ava.attribute = lower(ava.attribute);
            ava.value = lower(ava.value);
        }
        return r;
    };
    for (std::size_t i = 0; i < base.size(); ++i)
        if (norm(dn[dn.size() - base.size() + i]) != norm(base[i])) return false;
    return true;
}

bool isUnder(const std::string& dn, const std::string& base) { return isUnder(parseDn(dn), parseDn(base)); }

}  // namespace rosterd::ldap
