#include "ldap/entry_reader.h"

#include "ldap/handles.h"
#include "ldap/ldap_error.h"

namespace rosterd::ldap {
// One pass over the message's BER with ldap_get_dn_ber/ldap_get_attribute_ber (as ldapsearch
// reads): ldap_get_values_len would scan the entry again for every attribute and copy every value.
Entry readEntry(LDAP* ld, LDAPMessage* msg, bool withAttributes) {
    Entry e;
    BerElement* rawBer = nullptr;
    berval dn{0, nullptr};
    int rc = ldap_get_dn_ber(ld, msg, &rawBer, &dn);
    BerElementHandle ber(rawBer);
    if (rc != LDAP_SUCCESS) throw LdapError(std::string("cannot decode a search entry: ") + ldap_err2string(rc), rc);
    if (dn.bv_val) e.dn.assign(dn.bv_val, dn.bv_len);
    if (!withAttributes) return e;
    berval attr{0, nullptr};
    for (;;) {
        berval* rawValues = nullptr;  // the last call (no more attributes) leaves it untouched
        rc = ldap_get_attribute_ber(ld, msg, ber.get(), &attr, &rawValues);
        BerMemory<berval> values(rawValues);  // the array only: values point into the message
        if (rc != LDAP_SUCCESS) break;
        if (!attr.bv_val) break;  // no more attributes
        auto& out = e.valuesOf(std::string(attr.bv_val, attr.bv_len));
        for (berval* v = values.get(); v && v->bv_val; ++v) out.emplace_back(v->bv_val, v->bv_len);
    }
    if (rc != LDAP_SUCCESS)
        throw LdapError("cannot decode the attributes of '" + e.dn + "': " + ldap_err2string(rc), rc);
    return e;
}

}  // namespace rosterd::ldap
