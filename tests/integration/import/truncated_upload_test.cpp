// Multipart uploads that are cut short (no closing boundary) or malformed import nothing.
#include <fstream>
#include <iterator>

#include "import_fixture.h"

using namespace rosterd;
using namespace rosterd::test;

TEST_CASE("a truncated multipart upload is refused whole and creates nobody") {
    auto driver = GENERATE(allDrivers());
    INFO("driver " << db::driverName(driver));
    TestServer server(driver);
    auto c = server.client();
    std::string admin = adminToken(c);
    std::string csv = "Name,Email,Password,Role\r\n";
    for (int i = 0; i < 20; ++i)
        csv += "User " + std::to_string(i) + ",user" + std::to_string(i) + "@example.com,correct horse,user\r\n";
    std::string boundary = "----rosterdBoundaryCut";
    std::string whole = multipartBody(boundary, csv);
    std::string type = "multipart/form-data; boundary=" + boundary;

    // Cut inside the last rows, and cut just before the closing boundary: both refused.
    for (std::size_t cut : {whole.find("user15@"), whole.rfind("\r\n--" + boundary + "--")}) {
        REQUIRE(cut != std::string::npos);
        auto r = postCsv(c, admin, whole.substr(0, cut), type);
        INFO(r.body);
        CHECK(r.status == 400);
        CHECK(r.body.find("incomplete") != std::string::npos);
        CHECK(userCount(server.app().store()) == 1);
    }
    // The whole body still imports every row.
    auto r = postCsv(c, admin, whole, type);
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(r.json()["created"] == 20);
    CHECK(userCount(server.app().store()) == 21);
}

TEST_CASE("a multipart upload whose boundary is empty or over 70 characters is refused at once") {
    TestServer server(db::Driver::Sqlite);
    auto c = server.client();
    std::string admin = adminToken(c);
    const std::string csv = "Name,Email,Password,Role\r\nAnn,ann@example.com,correct horse,user\r\n";
    for (const std::string& boundary : {std::string(), std::string(71, 'b')}) {
        auto r = postCsv(c, admin, multipartBody(boundary, csv), "multipart/form-data; boundary=" + boundary);
        INFO(r.body);
        CHECK(r.status == 400);
        CHECK(r.body.find("1 to 70 characters") != std::string::npos);
    }
    CHECK(userCount(server.app().store()) == 1);
}

TEST_CASE("a multipart upload with more parts than a form sends, or parts the reader loops on, is refused") {
    TestServer server(db::Driver::Sqlite);
    auto c = server.client();
    std::string admin = adminToken(c);
    std::string many;
    for (int i = 0; i < 17; ++i)
        many += "--b\r\nContent-Disposition: form-data; name=\"f" + std::to_string(i) + "\"\r\n\r\nx\r\n";
    many +=
        "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"u.csv\"\r\n\r\n"
        "Name,Email,Password,Role\r\nAnn,ann@example.com,correct horse,user\r\n--b--\r\n";
    auto r = postCsv(c, admin, many, "multipart/form-data; boundary=b");
    INFO(r.body);
    CHECK(r.status == 400);
    CHECK(r.body.find("more than 16 parts") != std::string::npos);

    // The body of the fuzzer's input fuzz/regressions/fuzz_multipart/empty-parts-loop: part headers
    // with NUL bytes after which the reader yielded empty parts for ever, holding a worker.
    std::ifstream in(std::string(ROSTERD_SOURCE_DIR) + "/fuzz/regressions/fuzz_multipart/empty-parts-loop",
                     std::ios::binary);
    std::string input((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE(input.size() == 173);
    auto looped = postCsv(c, admin, input.substr(input.find('\n') + 1), "multipart/form-data; boundary=b");
    INFO(looped.body);
    CHECK(looped.status == 400);
    CHECK(userCount(server.app().store()) == 1);
}
