#include "sync/user_match.h"

namespace rosterd::sync {

UserMatch matchUser(const DirUser& d, const CurrentState& current, const CurrentIndex& index) {
    UserMatch m;
    auto it = index.byExternalId.find(d.id);
    if (it == index.byExternalId.end()) return m;
    m.current = it->second;
    const CurrentUser& c = current.users[m.current];
    if (d.dn != c.dn) m.differs |= UserMatch::Dn;
    if (d.username != c.username) m.differs |= UserMatch::Username;
    if (d.name != c.name) m.differs |= UserMatch::Name;
    if (d.email != c.email) m.differs |= UserMatch::Email;
    if (!c.active) m.differs |= UserMatch::Inactive;
    // No photo read leaves the stored picture as it is.
    if (d.profileImageUrl && accounts::user_store::profileImageHash(*d.profileImageUrl) != c.profileImageHash)
        m.differs |= UserMatch::ProfileImage;
    return m;
}

}  // namespace rosterd::sync
