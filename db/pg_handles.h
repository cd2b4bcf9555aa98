#pragma once
// RAII owners for libpq handles; only db/*.cpp include this.
#include <libpq-fe.h>

#include <memory>

namespace rosterd::db {

struct PgConnCloser {
    void operator()(PGconn* c) const { PQfinish(c); }
};
struct PgResultClearer {
    void operator()(PGresult* r) const { PQclear(r); }
};
struct PgConninfoFreer {
    void operator()(PQconninfoOption* o) const { PQconninfoFree(o); }
};
using PgConn = std::unique_ptr<PGconn, PgConnCloser>;
using PgResult = std::unique_ptr<PGresult, PgResultClearer>;
using PgConninfo = std::unique_ptr<PQconninfoOption, PgConninfoFreer>;

}  // namespace rosterd::db
