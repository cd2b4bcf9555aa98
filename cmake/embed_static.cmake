# Files under static/ that rosterd serves itself are compiled into the binary, like the
# migrations, so an installed rosterd needs nothing beside itself: static/user.png is the picture
# of users without one (GET /api/v1/users/{id}/profile/image).
set(ROSTERD_USER_PNG ${CMAKE_SOURCE_DIR}/static/user.png)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${ROSTERD_USER_PNG})
file(READ ${ROSTERD_USER_PNG} _png HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," _png_bytes "${_png}")
set(ROSTERD_STATIC_CPP ${CMAKE_BINARY_DIR}/generated/embedded_static.cpp)
file(CONFIGURE OUTPUT ${ROSTERD_STATIC_CPP} CONTENT
"// Generated from static/user.png by cmake/embed_static.cmake.
#include \"daemon/static_files.h\"
namespace rosterd::daemon {
std::string_view defaultUserImage() {
  static const char bytes[] = {@_png_bytes@};
  return std::string_view(bytes, sizeof bytes);
}
}  // namespace rosterd::daemon
" @ONLY)
