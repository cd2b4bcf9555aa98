// Stands in for <sqlite3.h> on every target but ldap/ and db/ (see rosterd_c_library_wall in CMakeLists.txt).
#error "<sqlite3.h> is wrapped by ldap/ or db/: include that module's C++ header instead"
