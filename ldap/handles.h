#pragma once
// One RAII owner per libldap/liblber handle. Included only by ldap/*.cpp.
#include <lber.h>
#include <ldap.h>

#include <memory>

namespace rosterd::ldap {

struct LdapDeleter {
    void operator()(LDAP* ld) const { ldap_unbind_ext_s(ld, nullptr, nullptr); }
};
struct MessageDeleter {
    void operator()(LDAPMessage* m) const { ldap_msgfree(m); }
};
struct BerElementDeleter {
    void operator()(BerElement* b) const { ber_free(b, 0); }
};
struct BervalDeleter {
    void operator()(berval* v) const { ber_bvfree(v); }
};
struct ControlsDeleter {
    void operator()(LDAPControl** c) const { ldap_controls_free(c); }
};
struct ControlDeleter {
    void operator()(LDAPControl* c) const { ldap_control_free(c); }
};
struct LdapStringDeleter {
    void operator()(char* s) const { ldap_memfree(s); }
};
struct BerMemoryDeleter {
    void operator()(void* p) const { ber_memfree(p); }
};
struct DnDeleter {
    void operator()(LDAPDN dn) const { ldap_dnfree(dn); }
};

using LdapHandle = std::unique_ptr<LDAP, LdapDeleter>;
using MessageHandle = std::unique_ptr<LDAPMessage, MessageDeleter>;
using BerElementHandle = std::unique_ptr<BerElement, BerElementDeleter>;
using BervalHandle = std::unique_ptr<berval, BervalDeleter>;
using ControlsHandle = std::unique_ptr<LDAPControl*, ControlsDeleter>;
using ControlHandle = std::unique_ptr<LDAPControl, ControlDeleter>;
using LdapString = std::unique_ptr<char, LdapStringDeleter>;
/// Memory liblber allocated for the caller: a berval's contents, an array of bervals.
template <typename T>
using BerMemory = std::unique_ptr<T, BerMemoryDeleter>;
using DnHandle = std::unique_ptr<LDAPRDN, DnDeleter>;

}  // namespace rosterd::ldap
