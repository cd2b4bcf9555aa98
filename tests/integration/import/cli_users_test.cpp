// `rosterd users import` and `rosterd users export` as an operator runs them, on both drivers.
#include <catch2/catch.hpp>
#include <filesystem>

#include "import_fixture.h"
#include "support/process.h"
#include "support/test_database.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {
struct Run {
    int code;
    std::string out;
};

Run rosterdCmd(const std::string& databaseUrl, std::vector<std::string> args) {
    std::vector<std::string> argv = {"env", "-u", "DATABASE_URL", "DATABASE_URL=" + databaseUrl,
                                     "ROSTERD_AUTH_BCRYPT_COST=4"};
    argv.push_back(ROSTERD_BINARY);
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = runCommand(argv);
    return {r.exitCode, r.output};
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}
}  // namespace

TEST_CASE("users import: partial failure exits 2 and writes the failed rows to FILE.errors.csv") {
    auto driver = GENERATE(allDrivers());
    TestDatabase db(driver);
    std::string dir = makeTempDir("rosterd-import");
    std::string file = dir + "/people.csv";
    writeFile(file,
              "Name,Email,Password,Role\r\n"
              "Ann,ann@example.com,correct horse,user\r\n"
              "Ben,ben@example.com,correct horse,boss\r\n"
              "\"Cy, Jr.\",cy@example.com,correct horse,admin\r\n"
              "Ann Again,ANN@example.com,correct horse,user\r\n");
    auto r = rosterdCmd(db.url(), {"users", "import", file});
    INFO(r.out);
    CHECK(r.code == 2);
    CHECK(contains(r.out, "progress: 4/4 rows done, 2 failed"));
    CHECK(contains(r.out, "imported " + file + ": 4 rows, 2 created, 2 failed"));
    CHECK(contains(r.out, "row 3 <ben@example.com>: role must be one of"));
    CHECK(contains(r.out, "row 5 <ann@example.com>: email ann@example.com is already used by row 2"));
    CHECK(contains(r.out, "failed rows written to " + dir + "/people.errors.csv"));

    auto errors = parseCsv(readFile(dir + "/people.errors.csv"));
    REQUIRE(errors.size() == 3);
    CHECK(errors[0] == std::vector<std::string>{"Row", "Error", "Name", "Email", "Password", "Role"});
    CHECK(errors[1][0] == "3");
    CHECK(errors[1][2] == "Ben");
    CHECK(errors[2][0] == "5");
    CHECK(std::filesystem::status(dir + "/people.errors.csv").permissions() ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));

    auto users = usersByEmail(db.store());
    CHECK(users.size() == 2);
    CHECK(users["cy@example.com"] == std::make_pair(std::string("Cy, Jr."), std::string("admin")));
    CHECK(createdEventEmails(db.store()) == std::multiset<std::string>{"ann@example.com", "cy@example.com"});

    // The errors file, corrected, imports cleanly; success removes the stale errors file.
    std::string fixed = dir + "/fixed.csv";
    writeFile(fixed, "Row,Error,Name,Email,Password,Role\r\n3,x,Ben,ben@example.com,correct horse,user\r\n");
    writeFile(dir + "/fixed.errors.csv", "stale");
    auto again = rosterdCmd(db.url(), {"users", "import", fixed});
    INFO(again.out);
    CHECK(again.code == 0);
    CHECK(contains(again.out, "1 rows, 1 created, 0 failed"));
    CHECK_FALSE(std::filesystem::exists(dir + "/fixed.errors.csv"));
}

TEST_CASE("users import --template prints the example file, which imports cleanly") {
    auto driver = GENERATE(allDrivers());
    TestDatabase db(driver);
    auto t = rosterdCmd(db.url(), {"users", "import", "--template"});
    CHECK(t.code == 0);
    CHECK(t.out == readFile(std::string(ROSTERD_SOURCE_DIR) + "/static/user-import.csv"));
    std::string dir = makeTempDir("rosterd-import");
    writeFile(dir + "/template.csv", t.out);
    auto r = rosterdCmd(db.url(), {"users", "import", dir + "/template.csv"});
    INFO(r.out);
    CHECK(r.code == 0);
    CHECK(usersByEmail(db.store()).size() == 3);
    CHECK(usersByEmail(db.store())["grace@example.com"].first == "Hopper, Grace");
}

TEST_CASE("users import refuses files that are not CSV or too large, creating nothing") {
    auto driver = GENERATE(allDrivers());
    TestDatabase db(driver);
    std::string dir = makeTempDir("rosterd-import");
    writeFile(dir + "/binary.csv", std::string("\x7f"
                                               "ELF\x02\x01\x01\0\0\0",
                                               10));
    auto bin = rosterdCmd(db.url(), {"users", "import", dir + "/binary.csv"});
    CHECK(bin.code == 1);
    CHECK(contains(bin.out, "was not imported"));
    writeFile(dir + "/big.csv", "Name,Email,Password,Role\n" + std::string(2000, 'x') + "\n");
    auto big = rosterdCmd(db.url(), {"users", "import", dir + "/big.csv"});
    // Through the environment, as an operator would override the key.
    auto bigLimited = runCommand({"env", "DATABASE_URL=" + db.url(), "ROSTERD_IMPORT_MAX_BYTES=1000", ROSTERD_BINARY,
                                  "users", "import", dir + "/big.csv"});
    CHECK(bigLimited.exitCode == 1);
    CHECK(contains(bigLimited.output, "max_bytes"));
    CHECK(big.code == 2);  // within the default limit it is read, and the one bad row fails
    auto missing = rosterdCmd(db.url(), {"users", "import", dir + "/nope.csv"});
    CHECK(missing.code == 1);
    CHECK(rosterdCmd(db.url(), {"users", "import"}).code == 64);
    CHECK(userCount(db.store()) == 0);
}

TEST_CASE("users export writes every user to a file or to stdout") {
    auto driver = GENERATE(allDrivers());
    TestDatabase db(driver);
    std::string dir = makeTempDir("rosterd-export");
    writeFile(dir + "/in.csv",
              "Name,Email,Password,Role\n=SUM(A1),sum@example.com,correct horse,user\n\"Doe, "
              "Jane\",jane@example.com,correct horse,admin\n");
    REQUIRE(rosterdCmd(db.url(), {"users", "import", dir + "/in.csv"}).code == 0);

    auto r = rosterdCmd(db.url(), {"users", "export", "--output", dir + "/out.csv"});
    INFO(r.out);
    CHECK(r.code == 0);
    CHECK(contains(r.out, "exported 2 users to " + dir + "/out.csv"));
    auto rows = parseCsv(readFile(dir + "/out.csv"));
    REQUIRE(rows.size() == 3);
    CHECK(rows[0][0] == "ID");
    std::map<std::string, std::vector<std::string>> byEmail;
    for (std::size_t i = 1; i < rows.size(); ++i) byEmail[rows[i][2]] = rows[i];
    CHECK(byEmail["sum@example.com"][1] == "'=SUM(A1)");
    CHECK(byEmail["jane@example.com"][1] == "Doe, Jane");
    CHECK(byEmail["jane@example.com"][3] == "admin");
    CHECK_FALSE(std::filesystem::exists(dir + "/out.csv.tmp"));

    auto toStdout = runCommand({"sh", "-c",
                                std::string("env -u DATABASE_URL DATABASE_URL='") + db.url() + "' '" + ROSTERD_BINARY +
                                    "' users export 2>/dev/null"});
    CHECK(toStdout.exitCode == 0);
    CHECK(parseCsv(toStdout.output) == rows);
    CHECK(rosterdCmd(db.url(), {"users", "export", "--bogus"}).code == 64);
}

TEST_CASE("users import draws a progress bar with rate and ETA on a terminal") {
    auto driver = GENERATE(allDrivers());
    TestDatabase db(driver);
    std::string dir = makeTempDir("rosterd-import");
    std::string csv = "Name,Email,Password,Role\n";
    for (int i = 0; i < 5; ++i)
        csv += "T" + std::to_string(i) + ",t" + std::to_string(i) + "@example.com,correct horse,user\n";
    writeFile(dir + "/tty.csv", csv);
    // script(1) gives the command a pseudo-terminal, as an operator's shell would.
    std::string command = "env -u DATABASE_URL DATABASE_URL='" + db.url() + "' ROSTERD_AUTH_BCRYPT_COST=4 '" +
                          ROSTERD_BINARY + "' users import '" + dir + "/tty.csv'";
    auto r = runCommand({"script", "-qefc", command, "/dev/null"});
    INFO(r.output);
    CHECK(r.exitCode == 0);
    CHECK(contains(r.output, "\r[##############################] 5/5 rows"));
    CHECK(contains(r.output, "rows/s"));
    CHECK(contains(r.output, "ETA"));
    CHECK_FALSE(contains(r.output, "progress:"));
    CHECK(contains(r.output, "5 rows, 5 created, 0 failed"));
}
