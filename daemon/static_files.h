#pragma once
// Files from static/ compiled into the binary (cmake/embed_static.cmake).
#include <string_view>

namespace rosterd::daemon {

/// static/user.png: the PNG served as the picture of users without one of their own.
std::string_view defaultUserImage();

}  // namespace rosterd::daemon
