#include "support/slapd_server.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace rosterd::test {
namespace {

const char* kSkeleton = R"(dn: dc=example,dc=com
objectClass: dcObject
objectClass: organization
dc: example
o: Example

dn: ou=people,dc=example,dc=com
objectClass: organizationalUnit
ou: people

dn: ou=groups,dc=example,dc=com
objectClass: organizationalUnit
ou: groups

dn: ou=services,dc=example,dc=com
objectClass: organizationalUnit
ou: services

dn: cn=rosterd,ou=services,dc=example,dc=com
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: rosterd
userPassword: service-secret

)";

}  // namespace

std::string userDn(const std::string& uid) { return "uid=" + uid + "," + SlapdServer::kPeople; }
std::string groupDn(const std::string& cn) { return "cn=" + cn + "," + SlapdServer::kGroups; }

std::string peopleAndGroupsLdif(const std::vector<DirectoryUser>& users, const std::vector<DirectoryGroup>& groups) {
    std::string out;
    for (const auto& u : users) {
        out += "dn: " + userDn(u.uid) + "\nobjectClass: inetOrgPerson\nuid: " + u.uid + "\ncn: " + u.cn +
               "\nsn: " + u.cn + "\n";
        if (!u.mail.empty()) out += "mail: " + u.mail + "\n";
        if (!u.password.empty()) out += "userPassword: " + u.password + "\n";
        out += "\n";
    }
    for (const auto& g : groups) {
        out += "dn: " + groupDn(g.cn) + "\ncn: " + g.cn + "\n";
        if (g.posix) {
            out += "objectClass: posixGroup\ngidNumber: " + std::to_string(g.gidNumber) + "\n";
            for (const auto& m : g.memberUids) out += "memberUid: " + m + "\n";
        } else {
            out += "objectClass: groupOfNames\n";
            // groupOfNames needs at least one member; an empty group points at itself.
            if (g.memberUids.empty()) out += "member: " + groupDn(g.cn) + "\n";
            for (const auto& m : g.memberUids) out += "member: " + userDn(m) + "\n";
        }
        out += "\n";
    }
    return out;
}

SlapdServer::SlapdServer(SlapdOptions options) : options_(std::move(options)) {
    if (!std::filesystem::exists("/usr/sbin/slapd"))
        throw std::runtime_error("slapd is not installed (/usr/sbin/slapd missing); scripts/install-deps installs it");
    dir_ = makeTempDir("rosterd-slapd");
    std::filesystem::create_directories(dir_ + "/data");
    port_ = freePort();
    if (options_.tls) {
        tlsPort_ = freePort();
        while (tlsPort_ == port_) tlsPort_ = freePort();
        generateCertificates();
    }
    writeFile(servicePasswordFile(), std::string(kServicePassword) + "\n");
    writeConfig();
    writeFile(dir_ + "/data.ldif", std::string(kSkeleton) + options_.ldif);
    runChecked({"/usr/sbin/slapadd", "-q", "-f", dir_ + "/slapd.conf", "-l", dir_ + "/data.ldif"});
    start();
}

SlapdServer::~SlapdServer() {
    resume();
    process_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

void SlapdServer::generateCertificates() {
    auto ssl = [&](std::vector<std::string> args) {
        args.insert(args.begin(), "openssl");
        runChecked(args);
    };
    ssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=rosterd test CA", "-keyout",
         dir_ + "/ca.key", "-out", dir_ + "/ca.pem"});
    ssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=unrelated CA", "-keyout",
         dir_ + "/wrong-ca.key", "-out", dir_ + "/wrong-ca.pem"});
    ssl({"req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", dir_ + "/server.key", "-out",
         dir_ + "/server.csr"});
    writeFile(dir_ + "/server.ext",
              "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
              "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n");
    ssl({"x509", "-req", "-in", dir_ + "/server.csr", "-CA", dir_ + "/ca.pem", "-CAkey", dir_ + "/ca.key",
         "-CAcreateserial", "-days", "2", "-extfile", dir_ + "/server.ext", "-out", dir_ + "/server.pem"});
}

void SlapdServer::writeConfig() {
    std::string c;
    c += "include /etc/ldap/schema/core.schema\n";
    c += "include /etc/ldap/schema/cosine.schema\n";
    c += "include /etc/ldap/schema/inetorgperson.schema\n";
    c += "include /etc/ldap/schema/nis.schema\n";
    c += "pidfile " + dir_ + "/slapd.pid\n";
    c += "argsfile " + dir_ + "/slapd.args\n";
    c += "modulepath /usr/lib/ldap\nmoduleload back_mdb\nmoduleload syncprov\n";
    if (options_.memberOf) c += "moduleload memberof\n";
    if (options_.tls) {
        c += "TLSCACertificateFile " + caFile() + "\n";
        c += "TLSCertificateFile " + dir_ + "/server.pem\n";
        c += "TLSCertificateKeyFile " + dir_ + "/server.key\n";
    }
    c += "database mdb\n";
    c += "maxsize 4294967296\n";
    c += std::string("suffix \"") + kSuffix + "\"\n";
    c += std::string("rootdn \"") + kRootDn + "\"\n";
    c += std::string("rootpw ") + kRootPassword + "\n";
    c += "directory " + dir_ + "/data\n";
    c += "index objectClass,uid,cn,mail,memberUid,member eq\n";
    c += "index entryUUID,entryCSN eq\n";
    c += std::string("limits dn.exact=\"") + kServiceDn + "\" size=" + options_.serviceSizeLimit + " time=unlimited\n";
    c += "access to attrs=userPassword by self write by anonymous auth by * none\n";
    c += options_.access;
    c += "access to * by * read\n";
    c += "overlay syncprov\n";
    c += "syncprov-checkpoint 100 10\n";
    if (options_.memberOf) c += "overlay memberof\nmemberof-refint TRUE\n";
    if (options_.sessionLog > 0) c += "syncprov-sessionlog " + std::to_string(options_.sessionLog) + "\n";
    writeFile(dir_ + "/slapd.conf", c);
}

std::string SlapdServer::url() const { return "ldap://127.0.0.1:" + std::to_string(port_); }
std::string SlapdServer::ldapsUrl() const { return "ldaps://127.0.0.1:" + std::to_string(tlsPort_); }

ldap::LdapConfig SlapdServer::config() const {
    ldap::LdapConfig c;
    c.enabled = true;
    c.urls = {url()};
    c.bindDn = kServiceDn;
    c.bindPasswordFile = servicePasswordFile();
    c.userBase = kPeople;
    c.groupBase = kGroups;
    c.timeout = std::chrono::milliseconds(5'000);
    if (options_.tls) c.caFile = caFile();
    return c;
}

void SlapdServer::start() {
    if (process_ && process_->running()) return;
    std::string urls = url() + "/";
    if (options_.tls) urls += " " + ldapsUrl() + "/";
    // -d keeps slapd in the foreground so this process owns it; level 0 keeps the log quiet.
    process_.emplace(std::vector<std::string>{"/usr/sbin/slapd", "-d", "0", "-f", dir_ + "/slapd.conf", "-h", urls},
                     std::vector<std::string>{}, dir_ + "/slapd.log");
    waitUntilListening();
}

void SlapdServer::waitUntilListening() {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
        if (!process_->running())
            throw std::runtime_error("slapd exited at start-up: " + readFile(dir_ + "/slapd.log"));
        if (loopbackPortOpen(port_) && (!options_.tls || loopbackPortOpen(tlsPort_))) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    throw std::runtime_error("slapd did not listen within 30s: " + readFile(dir_ + "/slapd.log"));
}

void SlapdServer::stop() {
    resume();  // a paused slapd would only act on SIGTERM once continued
    if (process_) process_->stop();
    process_.reset();
}

void SlapdServer::kill() {
    if (process_) {
        process_->signal(SIGKILL);
        process_->wait(10'000);
    }
    process_.reset();
}

void SlapdServer::restart() {
    stop();
    start();
}

bool SlapdServer::running() { return process_ && process_->running(); }

void SlapdServer::pause() {
    if (process_) process_->signal(SIGSTOP);
}

void SlapdServer::resume() {
    if (process_) process_->signal(SIGCONT);
}

void SlapdServer::setServiceSizeLimit(const std::string& limit) {
    stop();
    options_.serviceSizeLimit = limit;
    writeConfig();
    start();
}

void SlapdServer::modify(const std::string& ldif) {
    std::string file = dir_ + "/change.ldif";
    writeFile(file, ldif);
    runChecked({"ldapmodify", "-x", "-H", url(), "-D", kRootDn, "-w", kRootPassword, "-f", file});
}

void SlapdServer::add(const std::string& ldif) {
    std::string file = dir_ + "/add.ldif";
    writeFile(file, ldif);
    runChecked({"ldapadd", "-x", "-H", url(), "-D", kRootDn, "-w", kRootPassword, "-f", file});
}

void SlapdServer::remove(const std::string& dn) {
    runChecked({"ldapdelete", "-x", "-H", url(), "-D", kRootDn, "-w", kRootPassword, dn});
}

void SlapdServer::rename(const std::string& dn, const std::string& newRdn) {
    modify("dn: " + dn + "\nchangetype: modrdn\nnewrdn: " + newRdn + "\ndeleteoldrdn: 1\n");
}

void SlapdServer::replace(const std::string& dn, const std::string& attribute, const std::vector<std::string>& values) {
    std::string ldif = "dn: " + dn + "\nchangetype: modify\nreplace: " + attribute + "\n";
    for (const auto& v : values) ldif += attribute + ": " + v + "\n";
    modify(ldif + "-\n");
}

SlapdServer& sharedSlapd(const std::string& ldif) {
    static std::mutex mutex;
    static std::map<std::string, std::unique_ptr<SlapdServer>> servers;  // stopped at exit
    static std::vector<std::unique_ptr<SlapdServer>> unshared;
    std::lock_guard lock(mutex);
    // ROSTERD_TEST_NO_SHARED_SLAPD=1 starts one per call (kept until exit), to measure the saving.
    if (const char* off = std::getenv("ROSTERD_TEST_NO_SHARED_SLAPD"); off && *off == '1')
        return *unshared.emplace_back(std::make_unique<SlapdServer>(SlapdOptions{.ldif = ldif}));
    auto& server = servers[ldif];
    if (!server) server = std::make_unique<SlapdServer>(SlapdOptions{.ldif = ldif});
    return *server;
}

}  // namespace rosterd::test
