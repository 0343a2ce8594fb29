package dev.ssexporter.cli.e2e;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed {@code flow} label value: {@code (SRC#ip|port)(DST#ip|port)} (raw_endpoint) or
 * {@code (pid[,pid...])(DST#ip|port)} (pid_condensed). Exactly one of {@link #local()} and
 * {@link #pids()} is set.
 */
record FlowLabel(String text, Endpoint local, List<Long> pids, Endpoint remote) {
    private static final Pattern RAW = Pattern.compile("\\(SRC#([^|()]+)\\|(\\d+)\\)\\(DST#([^|()]+)\\|(\\d+)\\)");
    private static final Pattern CONDENSED = Pattern.compile("\\((\\d+(?:,\\d+)*)\\)\\(DST#([^|()]+)\\|(\\d+)\\)");

    /** Parses {@code text}; fails on anything that is neither documented form. */
    static FlowLabel parse(String text) {
        Matcher m = RAW.matcher(text);
        if (m.matches()) {
            return new FlowLabel(text, Endpoint.of(m.group(1), Integer.parseInt(m.group(2))), null,
                    Endpoint.of(m.group(3), Integer.parseInt(m.group(4))));
        }
        m = CONDENSED.matcher(text);
        if (m.matches()) {
            List<Long> pids = Arrays.stream(m.group(1).split(",")).map(Long::valueOf).toList();
            return new FlowLabel(text, null, pids, Endpoint.of(m.group(2), Integer.parseInt(m.group(3))));
        }
        throw new AssertionError("flow label in neither documented format: \"" + text + "\"");
    }

    /** The raw_endpoint label of a socket. */
    static String raw(Endpoint local, Endpoint remote) {
        return "(SRC#" + local.text() + ")(DST#" + remote.text() + ")";
    }

    /** The pid_condensed label of the sockets of {@code pid} to {@code remote}. */
    static String condensed(long pid, Endpoint remote) {
        return "(" + pid + ")(DST#" + remote.text() + ")";
    }

    boolean isRaw() {
        return local != null;
    }

    /** Whether either end of a raw label is {@code e}, or the remote end of a condensed one. */
    boolean touches(Endpoint e) {
        return e.equals(remote) || e.equals(local);
    }
}
