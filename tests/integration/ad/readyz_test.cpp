// /readyz against a real Samba AD: ready with the service account's bind and a read of the user
// base (Samba has no "Who am I?"), not ready when the service password is wrong.
#include "ad_env.h"

using namespace rosterd;
using namespace rosterd::test;

TEST_CASE("ad readyz: 200 against Samba AD, 503 with a wrong service password") {
    SambaAdServer& ad = SambaAdServer::shared();
    std::string ou = ad.newOu();
    {
        TestServer server(db::Driver::Sqlite, ad.settings(ou));
        auto r = server.client().get("/readyz");
        INFO(r.body);
        CHECK(r.status == 200);
    }
    std::string wrong = ad.dir() + "/readyz-wrong.pw";
    writeFile(wrong, "not-the-password\n");
    TestServer server(db::Driver::Sqlite, ad.settings(ou, {{"ldap.bind_password_file", wrong}}));
    auto r = server.client().get("/readyz");
    INFO(r.body);
    CHECK(r.status == 503);
}
