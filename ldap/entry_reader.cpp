#include "ldap/entry_reader.h"

#include "ldap/handles.h"

namespace rosterd::ldap {

Entry readEntry(LDAP* ld, LDAPMessage* msg, bool withAttributes) {
    Entry e;
    LdapString dn(ldap_get_dn(ld, msg));
    if (dn) e.dn = dn.get();
    if (!withAttributes) return e;
    BerElement* rawBer = nullptr;
    for (char* rawAttr = ldap_first_attribute(ld, msg, &rawBer); rawAttr;
         rawAttr = ldap_next_attribute(ld, msg, rawBer)) {
        LdapString attr(rawAttr);
        BervalsHandle vals(ldap_get_values_len(ld, msg, attr.get()));
        auto& out = e.attributes[attr.get()];
        for (int i = 0; vals && vals.get()[i]; ++i) out.emplace_back(vals.get()[i]->bv_val, vals.get()[i]->bv_len);
    }
    BerElementHandle ber(rawBer);  // freed after the loop: ldap_next_attribute still reads it
    return e;
}

}  // namespace rosterd::ldap
