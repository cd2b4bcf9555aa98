#include "daemon/cli.h"

int main(int argc, char** argv) { return rosterd::daemon::runCli(argc, argv); }
