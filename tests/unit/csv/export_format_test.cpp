#include <catch2/catch.hpp>
#include <sstream>

#include "accounts/user_export.h"
#include "accounts/user_import.h"
#include "common/csv_reader.h"

using namespace rosterd;

TEST_CASE("export times are ISO 8601 UTC and the file name carries the time") {
    CHECK(accounts::isoUtc(0) == "1970-01-01T00:00:00Z");
    CHECK(accounts::isoUtc(1'700'000'000) == "2023-11-14T22:13:20Z");
    CHECK(accounts::exportFileName(1'700'000'000) == "users-20231114T221320Z.csv");
}

TEST_CASE("the import template is CSV with the import header and three example rows") {
    std::istringstream in(accounts::kImportTemplate);
    csv::CsvReader r(in);
    std::vector<std::string> f;
    REQUIRE(r.next(f));
    CHECK(f == std::vector<std::string>{"Name", "Email", "Password", "Role"});
    int rows = 0;
    while (r.next(f)) {
        CHECK(f.size() == 4);
        ++rows;
    }
    CHECK(rows == 3);
}
