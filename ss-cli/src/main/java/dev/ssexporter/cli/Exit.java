package dev.ssexporter.cli;

/**
 * The exit codes of every command.
 *
 * <ul>
 *   <li>{@value #OK}: success; {@code serve} after SIGTERM or SIGINT.
 *   <li>{@value #FAILURE}: the command could not do its job: an invalid config, a port in use, the
 *       kernel's socket interface unavailable, a file that cannot be written.
 *   <li>{@value #USAGE}: the command line is wrong (unknown option, bad value); the usage follows
 *       on stderr. This is picocli's default for invalid input.
 * </ul>
 */
final class Exit {
    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 2;

    private Exit() {}
}
