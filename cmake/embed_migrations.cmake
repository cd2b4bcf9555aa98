# Migrations live as plain .sql files in db/migrations; they are compiled into the binary so an
# installed rosterd needs nothing beside itself. NNNN_name.sql serves both drivers;
# NNNN_name.sqlite.sql / NNNN_name.postgresql.sql hold a driver's own variant.
file(GLOB ROSTERD_MIGRATION_FILES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/db/migrations/*.sql)
list(SORT ROSTERD_MIGRATION_FILES)
set(_entries "")
foreach(f ${ROSTERD_MIGRATION_FILES})
  get_filename_component(fname ${f} NAME)
  file(READ ${f} body)
  string(REGEX REPLACE "\\.sql$" "" stem ${fname})
  set(driver "")
  if(stem MATCHES "\\.(sqlite|postgresql)$")
    set(driver ${CMAKE_MATCH_1})
    string(REGEX REPLACE "\\.(sqlite|postgresql)$" "" stem ${stem})
  endif()
  string(APPEND _entries "    {\"${stem}\", \"${driver}\", R\"rosterdsql(${body})rosterdsql\"},\n")
endforeach()
set(ROSTERD_MIGRATIONS_CPP ${CMAKE_BINARY_DIR}/generated/embedded_migrations.cpp)
file(CONFIGURE OUTPUT ${ROSTERD_MIGRATIONS_CPP} CONTENT
"// Generated from db/migrations/*.sql by cmake/embed_migrations.cmake.
#include \"db/migrations.h\"
namespace rosterd::db {
const std::vector<MigrationSource>& embeddedMigrations() {
  static const std::vector<MigrationSource> all = {
@_entries@  };
  return all;
}
}  // namespace rosterd::db
" @ONLY)
