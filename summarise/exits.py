"""The command's exit codes, in one light module (the CLI's help names them before anything heavy loads)."""

EXIT_OK = 0  # the digest was written (warnings about skipped inputs are allowed)
EXIT_FAILED = 1  # nothing to summarise, or the digest could not be written
EXIT_USAGE = 2  # a bad option, value or config file
EXIT_LOCKED = 75  # sysexits' EX_TEMPFAIL: another run holds the output folder; try again later
EXIT_TERMINATED = 143  # 128 + SIGTERM, as a shell reports a process SIGTERM ended
