package dev.ssexporter.core.process;

import java.util.Arrays;

/**
 * The processes holding one socket open, sorted by pid. Usually one; several after a
 * {@code fork()} (pre-forking servers share their listening socket), none when the socket has no
 * known owner. Immutable; owners with the same single pid share one instance, so
 * {@link #pidList()} is built once per process, not once per socket.
 */
public final class SocketOwners {
    private static final SocketOwners NONE = new SocketOwners(new ProcessInfo[0]);

    private final ProcessInfo[] processes;
    private final String pidList;

    private SocketOwners(ProcessInfo[] processes) {
        this.processes = processes;
        StringBuilder sb = new StringBuilder(processes.length * 8);
        for (ProcessInfo p : processes) {
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(p.pid());
        }
        this.pidList = sb.toString();
    }

    /** No known owner. */
    public static SocketOwners none() {
        return NONE;
    }

    /** Owners from processes already sorted by pid with no pid twice (checked). */
    static SocketOwners of(ProcessInfo[] sortedByPid) {
        for (int i = 1; i < sortedByPid.length; i++) {
            if (sortedByPid[i].pid() <= sortedByPid[i - 1].pid()) {
                throw new IllegalArgumentException("owners must be sorted by pid without repeats: "
                        + Arrays.toString(sortedByPid));
            }
        }
        return sortedByPid.length == 0 ? NONE : new SocketOwners(sortedByPid);
    }

    /** Number of owning processes. */
    public int size() {
        return processes.length;
    }

    public boolean isEmpty() {
        return processes.length == 0;
    }

    /** The owner at {@code index}, in ascending pid order. */
    public ProcessInfo get(int index) {
        return processes[index];
    }

    /** The owners' pids, ascending, comma-separated without spaces: {@code "1,20,300"}; empty for none. */
    public String pidList() {
        return pidList;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SocketOwners s && Arrays.equals(s.processes, processes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(processes);
    }

    @Override
    public String toString() {
        return "SocketOwners[" + pidList + "]";
    }
}
