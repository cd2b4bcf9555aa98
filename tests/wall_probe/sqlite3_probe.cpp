// Must not compile: only ldap/ and db/ include the C libraries' headers (the c_library_wall tests in
// tests/CMakeLists.txt build this file and expect the wall's #error).
#include <sqlite3.h>
