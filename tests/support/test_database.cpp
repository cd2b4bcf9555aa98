#include "support/test_database.h"

#include <cstdlib>
#include <filesystem>

#include "support/postgres_server.h"
#include "support/process.h"

namespace rosterd::test {

std::string freshDatabaseUrl(db::Driver driver) {
    if (driver == db::Driver::Postgres) return PostgresServer::instance().freshDatabaseUrl();
    return "sqlite://" + makeTempDir("rosterd-sqlite") + "/rosterd.db";
}

namespace {

// The SQLite file every migrated test database starts as, migrated on first use; removed at exit.
class MigratedSqliteFile {
public:
    static const std::string& path() {
        static MigratedSqliteFile file;
        return file.path_;
    }
    ~MigratedSqliteFile() {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }

private:
    MigratedSqliteFile() : dir_(makeTempDir("rosterd-sqlite-template")), path_(dir_ + "/rosterd.db") {
        db::StoreConfig config;
        config.url = "sqlite://" + path_;
        config.poolSize = 1;
        db::Store::open(config)->migrate();  // closed here: the file is whole, its journal folded in
    }
    std::string dir_;
    std::string path_;
};

}  // namespace

std::string migratedDatabaseUrl(db::Driver driver) {
    // ROSTERD_TEST_NO_TEMPLATE=1 migrates every database from scratch, to measure what copies save.
    if (const char* off = std::getenv("ROSTERD_TEST_NO_TEMPLATE"); off && *off == '1') {
        std::string url = freshDatabaseUrl(driver);
        db::StoreConfig config;
        config.url = url;
        config.poolSize = 1;
        db::Store::open(config)->migrate();
        return url;
    }
    if (driver == db::Driver::Postgres) return PostgresServer::instance().migratedDatabaseUrl();
    const std::string dir = makeTempDir("rosterd-sqlite");
    std::filesystem::copy_file(MigratedSqliteFile::path(), dir + "/rosterd.db");
    return "sqlite://" + dir + "/rosterd.db";
}

TestDatabase::TestDatabase(db::Driver driver, bool migrate) : driver_(driver) {
    url_ = migrate ? migratedDatabaseUrl(driver) : freshDatabaseUrl(driver);
    if (driver == db::Driver::Sqlite) dir_ = std::filesystem::path(url_.substr(9)).parent_path().string();
    db::StoreConfig config;
    config.url = url_;
    config.poolSize = 4;
    store_ = db::Store::open(config);
    if (migrate) store_->migrate();
}

TestDatabase::~TestDatabase() {
    store_.reset();
    if (!dir_.empty()) {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
}

}  // namespace rosterd::test
