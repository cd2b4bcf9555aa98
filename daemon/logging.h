#pragma once
// Logging to stderr. Under systemd (JOURNAL_STREAM set) lines carry no timestamp and start with a
// "<N>" syslog priority so journald records each line's level; elsewhere they are timestamped.
#include <string>

namespace rosterd::daemon {

/// Whether stderr is connected to the journal (JOURNAL_STREAM names our stderr's device:inode).
bool stderrIsJournal();
/// The spdlog pattern for the given destination.
std::string logPattern(bool journal);
/// Creates (or reconfigures) the default "rosterd" logger on stderr at `level`.
void configureLogging(const std::string& level);
/// Changes the level of the running logger (SIGHUP).
void setLogLevel(const std::string& level);
/// Flushes everything written so far.
void flushLogs();

}  // namespace rosterd::daemon
