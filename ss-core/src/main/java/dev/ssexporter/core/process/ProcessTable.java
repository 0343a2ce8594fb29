package dev.ssexporter.core.process;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of which processes hold which sockets: socket inode to owning processes
 * (sorted by pid), and pid to process names. Built by {@link ProcessScanner#scan} from
 * {@code /proc}, or with {@link #builder()} in tests.
 *
 * <p>Only processes that hold at least one socket are recorded. Lookups by inode neither box nor
 * allocate, so {@link #owners(long)} is cheap enough to call once per socket.
 *
 * <pre>{@code
 * ProcessTable procs = ProcessScanner.scan(Path.of("/proc"));
 * SocketOwners owners = procs.owners(socket.inode());   // SocketOwners.none() when unknown
 * String pids = owners.pidList();                        // "1,20,300"
 * }</pre>
 */
public final class ProcessTable {
    private static final ProcessTable EMPTY = new ProcessTable(new LongObjectMap<>(0), Map.of(), 0);

    private final LongObjectMap<SocketOwners> ownersByInode;
    private final Map<Integer, ProcessInfo> processes;
    private final int skipped;

    private ProcessTable(LongObjectMap<SocketOwners> ownersByInode, Map<Integer, ProcessInfo> processes,
                         int skipped) {
        this.ownersByInode = ownersByInode;
        this.processes = processes;
        this.skipped = skipped;
    }

    /** A table that knows no process: every socket has no owner. */
    public static ProcessTable empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder(256);
    }

    /** A builder sized for about {@code expectedSockets} sockets, so the scanner's walk does not regrow it. */
    static Builder builder(int expectedSockets) {
        return new Builder(expectedSockets);
    }

    /** The processes holding socket {@code inode}; {@link SocketOwners#none()} when unknown or 0. */
    public SocketOwners owners(long inode) {
        SocketOwners o = ownersByInode.get(inode);
        return o == null ? SocketOwners.none() : o;
    }

    /** The process with {@code pid}, if it holds a socket. */
    public Optional<ProcessInfo> process(int pid) {
        return Optional.ofNullable(processes.get(pid));
    }

    /** Number of processes recorded (those holding at least one socket). */
    public int processCount() {
        return processes.size();
    }

    /** Number of socket inodes with at least one known owner. */
    public int socketCount() {
        return ownersByInode.size();
    }

    /** Processes the scan skipped because they vanished or denied access while it read them. */
    public int skipped() {
        return skipped;
    }

    @Override
    public String toString() {
        return "ProcessTable[processes=" + processes.size() + ", sockets=" + ownersByInode.size() + ", skipped="
                + skipped + "]";
    }

    /** Collects processes and their socket inodes; {@link #build()} checks and freezes them. */
    public static final class Builder {
        private final Map<Integer, ProcessInfo> processes = new HashMap<>();
        /**
         * Owner pids by inode. A socket with one owner (nearly all) points at that pid's shared
         * one-element array, so recording it allocates nothing; a second owner copies.
         */
        private final LongObjectMap<int[]> pidsByInode;
        private final LongObjectMap<int[]> singleByPid = new LongObjectMap<>(16);
        private int[] lastSingle = {0};
        private int skipped;

        private Builder(int expectedSockets) {
            pidsByInode = new LongObjectMap<>(Math.max(256, expectedSockets));
        }

        /** Records a process; a pid recorded twice keeps the later names. */
        public Builder process(int pid, String comm, String exeName) {
            return process(new ProcessInfo(pid, comm, exeName));
        }

        /** Records a process as it is (the scanner reuses one instance across walks); a pid recorded twice keeps the later. */
        public Builder process(ProcessInfo info) {
            processes.put(info.pid(), info);
            return this;
        }

        /**
         * Records that process {@code pid} holds socket {@code inode}. The process must be recorded
         * with {@link #process} before {@link #build()}.
         */
        public Builder socket(long inode, int pid) {
            if (inode <= 0) {
                throw new IllegalArgumentException("socket inode " + inode + " is not positive");
            }
            if (pid <= 0) {
                throw new IllegalArgumentException("pid " + pid + " is not positive");
            }
            int[] pids = pidsByInode.get(inode);
            if (pids == null) {
                pidsByInode.put(inode, single(pid));
            } else {
                for (int p : pids) {
                    if (p == pid) {
                        return this;
                    }
                }
                int[] more = Arrays.copyOf(pids, pids.length + 1);
                more[pids.length] = pid;
                pidsByInode.put(inode, more);
            }
            return this;
        }

        /** The shared {@code {pid}} array; consecutive calls (one process's sockets) hit the first test. */
        private int[] single(int pid) {
            if (lastSingle[0] == pid) {
                return lastSingle;
            }
            int[] s = singleByPid.get(pid);
            if (s == null) {
                s = new int[] {pid};
                singleByPid.put(pid, s);
            }
            lastSingle = s;
            return s;
        }

        /** Adds to the count of processes skipped. */
        public Builder skipped(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("skipped count " + count + " is negative");
            }
            skipped += count;
            return this;
        }

        /**
         * Freezes the table.
         *
         * @throws IllegalStateException when a socket names a pid that was never recorded
         */
        public ProcessTable build() {
            LongObjectMap<SocketOwners> singleOwners = new LongObjectMap<>(singleByPid.size());
            Map<Integer, ProcessInfo> holders = new HashMap<>();
            List<String> problems = new ArrayList<>(0);
            singleByPid.forEach((pid, pids) -> {
                ProcessInfo info = processes.get((int) pid);
                if (info != null) {
                    singleOwners.put(pid, SocketOwners.of(new ProcessInfo[] {info}));
                }
            });
            LongObjectMap<SocketOwners> owners = new LongObjectMap<>(pidsByInode.size());
            pidsByInode.forEach((inode, pids) -> {
                SocketOwners o = pids.length == 1 ? singleOwners.get(pids[0]) : several(pids);
                if (o == null) {
                    for (int pid : pids) {
                        if (!processes.containsKey(pid)) {
                            problems.add("socket " + inode + " names pid " + pid + ", which was not recorded");
                        }
                    }
                    return;
                }
                owners.put(inode, o);
                if (pids.length > 1) {
                    for (int i = 0; i < o.size(); i++) {
                        holders.put(o.get(i).pid(), o.get(i));
                    }
                }
            });
            if (!problems.isEmpty()) {
                throw new IllegalStateException(String.join("; ", problems));
            }
            singleOwners.forEach((pid, o) -> holders.put((int) pid, o.get(0)));
            return new ProcessTable(owners, Map.copyOf(holders), skipped);
        }

        /** Owners of a socket held by several processes; null when one of them was not recorded. */
        private SocketOwners several(int[] pids) {
            int[] sorted = pids.clone();
            Arrays.sort(sorted);
            ProcessInfo[] infos = new ProcessInfo[sorted.length];
            for (int i = 0; i < sorted.length; i++) {
                infos[i] = processes.get(sorted[i]);
                if (infos[i] == null) {
                    return null;
                }
            }
            return SocketOwners.of(infos);
        }
    }
}
