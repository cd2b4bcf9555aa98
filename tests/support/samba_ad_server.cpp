#include "support/samba_ad_server.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "common/encoding.h"

namespace rosterd::test {
std::string unicodePwd(const std::string& password) {
    std::string quoted = "\"" + password + "\"", wide;
    for (char ch : quoted) {
        wide += ch;
        wide += '\0';
    }
    return base64Encode(wide);
}

SambaAdServer& SambaAdServer::shared() {
    static SambaAdServer server;
    return server;
}

SambaAdServer::SambaAdServer() {
    if (!std::filesystem::exists("/usr/sbin/samba") || !std::filesystem::exists("/usr/bin/samba-tool"))
        throw std::runtime_error("Samba AD is not installed (samba, samba-ad-dc); scripts/install-deps installs it");
    if (loopbackPortOpen(636))
        throw std::runtime_error(
            "port 636 is taken: another directory (an earlier Samba AD test server?) listens there");
    dir_ = makeTempDir("rosterd-samba");
    std::filesystem::create_directories(dir_ + "/run");
    generateCertificates();
    provision();
    start();
    writeFile(servicePasswordFile(), std::string(kServicePassword) + "\n");
    add("dn: " + serviceDn() + "\nobjectClass: user\nsAMAccountName: " + kServiceSam +
        "\nuserPrincipalName: " + kServiceSam + "@" + kRealm + "\nunicodePwd:: " + unicodePwd(kServicePassword) +
        "\nuserAccountControl: 66048\n\n");  // normal account, password never expires
}

SambaAdServer::~SambaAdServer() {
    process_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

std::string SambaAdServer::serviceDn() const { return std::string("CN=") + kServiceSam + "," + kUsers; }

void SambaAdServer::generateCertificates() {
    auto ssl = [&](std::vector<std::string> args) {
        args.insert(args.begin(), "openssl");
        runChecked(args);
    };
    ssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=rosterd test AD CA", "-keyout",
         dir_ + "/ca.key", "-out", dir_ + "/ca.pem"});
    ssl({"req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", dir_ + "/server.key", "-out",
         dir_ + "/server.csr"});
    writeFile(dir_ + "/server.ext",
              "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
              "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n");
    ssl({"x509", "-req", "-in", dir_ + "/server.csr", "-CA", dir_ + "/ca.pem", "-CAkey", dir_ + "/ca.key",
         "-CAcreateserial", "-days", "2", "-extfile", dir_ + "/server.ext", "-out", dir_ + "/server.pem"});
    std::filesystem::permissions(dir_ + "/server.key",
                                 std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

void SambaAdServer::provision() {
    auto opt = [](const std::string& o) { return "--option=" + o; };
    runChecked({"samba-tool", "domain", "provision", "--targetdir=" + dir_, "--realm=CORP.EXAMPLE.COM",
                "--domain=" + std::string(kDomain), "--server-role=dc", "--dns-backend=NONE", "--use-rfc2307",
                std::string("--adminpass=") + kAdminPassword, opt("interfaces = lo"), opt("bind interfaces only = yes"),
                opt("pid directory = " + dir_ + "/run"), opt("server services = ldap"),
                opt("log file = " + dir_ + "/log.%m"), opt("tls enabled = yes"),
                opt("tls keyfile = " + dir_ + "/server.key"), opt("tls certfile = " + dir_ + "/server.pem"),
                opt("tls cafile = " + dir_ + "/ca.pem")});
}

void SambaAdServer::start() {
    // In the foreground and in this process group, so the server goes when the tests go.
    process_.emplace(std::vector<std::string>{"/usr/sbin/samba", "-s", dir_ + "/etc/smb.conf", "-M", "single", "-F",
                                              "--no-process-group"},
                     std::vector<std::string>{}, dir_ + "/samba.log");
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
        if (!process_->running())
            throw std::runtime_error("samba exited at start-up: " + readFile(dir_ + "/samba.log"));
        if (loopbackPortOpen(636) && loopbackPortOpen(3269)) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    throw std::runtime_error("samba did not listen within 60s: " + readFile(dir_ + "/samba.log"));
}

std::vector<std::string> SambaAdServer::asAdmin(const std::string& tool) const {
    return {"env", "LDAPTLS_CACERT=" + caFile(), tool, "-x", "-H", ldapsUrl(), "-D", kAdminUpn, "-w", kAdminPassword};
}

void SambaAdServer::add(const std::string& ldif) {
    std::string file = dir_ + "/add.ldif";
    writeFile(file, ldif);
    auto argv = asAdmin("ldapadd");
    argv.insert(argv.end(), {"-f", file});
    runChecked(argv);
}

void SambaAdServer::modify(const std::string& ldif) {
    std::string file = dir_ + "/change.ldif";
    writeFile(file, ldif);
    auto argv = asAdmin("ldapmodify");
    argv.insert(argv.end(), {"-f", file});
    runChecked(argv);
}

void SambaAdServer::replace(const std::string& dn, const std::string& attribute,
                            const std::vector<std::string>& values) {
    std::string ldif = "dn: " + dn + "\nchangetype: modify\nreplace: " + attribute + "\n";
    for (const auto& v : values) ldif += attribute + ": " + v + "\n";
    modify(ldif + "-\n");
}

std::string SambaAdServer::newOu() {
    std::string dn = "OU=t" + std::to_string(++ous_) + "," + kBase;
    add("dn: " + dn + "\nobjectClass: organizationalUnit\n\n");
    return dn;
}

std::string SambaAdServer::addUser(const std::string& ou, const AdUser& u) {
    std::string dn = "CN=" + u.sam + "," + ou;
    std::string ldif = "dn: " + dn + "\nobjectClass: user\nsAMAccountName: " + u.sam + "\nuserPrincipalName: " + u.sam +
                       "@" + kRealm + "\nmail: " + (u.mail.empty() ? u.sam + "@" + kRealm : u.mail) +
                       "\ndisplayName: " + (u.displayName.empty() ? u.sam : u.displayName) + "\n";
    if (!u.password.empty()) ldif += "unicodePwd:: " + unicodePwd(u.password) + "\n";
    ldif += "userAccountControl: " + std::to_string(u.userAccountControl) + "\n";
    if (!u.accountExpires.empty()) ldif += "accountExpires: " + u.accountExpires + "\n";
    ldif += u.extraLdif;
    if (!ldif.empty() && ldif.back() != '\n') ldif += "\n";
    add(ldif + "\n");
    return dn;
}

std::string SambaAdServer::addGroup(const std::string& ou, const std::string& name,
                                    const std::vector<std::string>& memberDns) {
    std::string dn = "CN=" + name + "," + ou;
    std::string ldif = "dn: " + dn + "\nobjectClass: group\nsAMAccountName: " + name + "\n";
    for (const auto& m : memberDns) ldif += "member: " + m + "\n";
    add(ldif + "\n");
    return dn;
}

ldap::LdapConfig SambaAdServer::config(const std::string& ou) const {
    ldap::LdapConfig c;
    c.serverType = ldap::ServerType::ActiveDirectory;
    ldap::applyServerTypeDefaults(c);
    c.enabled = true;
    c.urls = {ldapsUrl()};
    c.caFile = caFile();
    c.bindDn = std::string(kServiceSam) + "@" + kRealm;
    c.bindPasswordFile = servicePasswordFile();
    c.userBase = ou;
    c.groupBase = ou;
    c.timeout = std::chrono::milliseconds(5'000);
    return c;
}

std::map<std::string, std::string> SambaAdServer::settings(const std::string& ou,
                                                           std::map<std::string, std::string> extra) const {
    std::map<std::string, std::string> s = {{"ldap.enabled", "true"},
                                            {"ldap.server_type", "active_directory"},
                                            {"ldap.url", ldapsUrl()},
                                            {"ldap.ca_file", caFile()},
                                            {"ldap.bind_dn", std::string(kServiceSam) + "@" + kRealm},
                                            {"ldap.bind_password_file", servicePasswordFile()},
                                            {"ldap.user_base", ou},
                                            {"ldap.group_base", ou},
                                            {"ldap.timeout", "5s"}};
    for (auto& [k, v] : extra) s[k] = v;
    return s;
}

}  // namespace rosterd::test
