package dev.ssexporter.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.ssexporter.netlink.FdProbe;
import dev.ssexporter.netlink.ProcFdReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The real {@code /proc} against {@code ss -p}: a child {@code python3} opens a listener and
 * {@value #CONNECTIONS} loopback connections (both ends its own), forks halfway so the first half
 * and the listener are held by two processes, and waits. For every one of those sockets the owners
 * {@link ProcessScanner} finds (pids and names) must equal what {@code ss -tinHpea} prints. The
 * sockets do not change while both look, so the comparison has no race.
 */
class ProcessScannerLiveTest {
    /** Enough that the parent holds more descriptors than one chunk of the walk. */
    private static final int CONNECTIONS = 200;

    /**
     * Listens, connects and accepts; forks after half; prints "PORT CHILDPID"; exits on stdin EOF.
     * With a second argument "sparse", the parent then moves every third socket to descriptor
     * 600 and up, leaving a hole at each old number and a gap before the new ones.
     */
    private static final String CHILD = """
            import os, socket, sys
            n = int(sys.argv[1])
            sparse = len(sys.argv) > 2 and sys.argv[2] == "sparse"
            srv = socket.socket()
            srv.bind(("127.0.0.1", 0))
            srv.listen(n + 8)
            port = srv.getsockname()[1]
            keep = [srv]
            def connect(k):
                for _ in range(k):
                    c = socket.create_connection(("127.0.0.1", port))
                    s, _ = srv.accept()
                    keep.extend([c, s])
            connect(n // 2)
            child = os.fork()
            if child == 0:
                sys.stdin.read()
                os._exit(0)
            connect(n - n // 2)
            if sparse:
                for i, s in enumerate(keep):
                    if i % 3 == 0:
                        fd = s.detach()
                        os.dup2(fd, 600 + i, inheritable=False)
                        os.close(fd)
            print(port, child, flush=True)
            sys.stdin.read()
            os.waitpid(child, 0)
            """;

    /** One owner in ss's {@code users:((...))}: name, pid, fd. Names are quoted, quotes escaped. */
    private static final Pattern SS_USER = Pattern.compile("\\(\"((?:[^\"\\\\]|\\\\.)*)\",pid=(\\d+),fd=\\d+\\)");
    private static final Pattern SS_INODE = Pattern.compile(" ino:(\\d+) ");

    @Test
    void ownersEqualSsForAChildsSockets() throws Exception {
        ownersEqualSs("dense");
    }

    /**
     * The same with holes in the parent's descriptor table, more than a quarter of its count, and
     * a gap: looking descriptors up by number gives up and lists the rest of the directory.
     */
    @Test
    void ownersEqualSsWhenTheDescriptorTableIsSparse() throws Exception {
        ownersEqualSs("sparse");
    }

    private void ownersEqualSs(String layout) throws Exception {
        requireSs();
        Process python = start("python3", "-c", CHILD, Integer.toString(CONNECTIONS), layout);
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8));
            String ready = out.readLine();
            if (ready == null) {
                fail("the python3 child exited before opening its sockets: "
                        + new String(python.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            String[] f = ready.trim().split(" ");
            int port = Integer.parseInt(f[0]);
            long parent = python.pid();
            long child = Long.parseLong(f[1]);

            if (layout.equals("sparse")) {
                try (ProcFdReader reader = ProcFdReader.open(Path.of("/proc"))) {
                    int count = reader.descriptorCount((int) parent);
                    FdProbe probe = reader.probe((int) parent, 0, 4096, count, ProbedFds.absentBudget(count),
                            new long[4096]);
                    assertThat(probe.open()).as("looked up by number, the holes exhaust the budget before all %d"
                            + " descriptors are found, so the walk lists the rest", count).isLessThan(count);
                }
            }
            ProcessScanner cached = ProcessScanner.create(Path.of("/proc"));
            cached.scan();  // fills the cache; the comparison below uses its second walk
            Map<Long, Set<String>> ss = ssOwners(port);
            ProcessTable once = ProcessScanner.scan(Path.of("/proc"));
            ProcessTable again = cached.scan();
            ProcessTable filtered = ProcessScanner.scan(Path.of("/proc"), ss::containsKey);

            assertThat(ss).as("ss lists the listener and both ends of every connection").hasSize(1 + 2 * CONNECTIONS);
            int shared = 0;
            for (Set<String> owners : ss.values()) {
                assertThat(owners).allMatch(o -> o.startsWith(parent + " ") || o.startsWith(child + " "));
                shared += owners.size() == 2 ? 1 : 0;
            }
            assertThat(shared).as("listener and the first half, held by parent and forked child")
                    .isEqualTo(1 + 2 * (CONNECTIONS / 2));
            assertThat(owners(once, ss.keySet())).isEqualTo(ss);
            assertThat(owners(again, ss.keySet())).isEqualTo(ss);
            assertThat(owners(filtered, ss.keySet())).isEqualTo(ss);
            assertThat(filtered.socketCount()).isEqualTo(ss.size());
            assertThat(filtered.processCount()).isEqualTo(2);
            assertThat(filtered.process((int) parent).orElseThrow().exeName()).startsWith("python3");
        } finally {
            python.getOutputStream().close();
            if (!python.waitFor(10, TimeUnit.SECONDS)) {
                python.descendants().forEach(ProcessHandle::destroyForcibly);
                python.destroyForcibly();
            }
        }
    }

    /** Our owners of {@code inodes}, as ss prints them: "PID NAME". */
    private static Map<Long, Set<String>> owners(ProcessTable t, Set<Long> inodes) {
        Map<Long, Set<String>> out = new TreeMap<>();
        for (long inode : inodes) {
            SocketOwners o = t.owners(inode);
            Set<String> s = new TreeSet<>();
            for (int i = 0; i < o.size(); i++) {
                s.add(o.get(i).pid() + " " + o.get(i).comm());
            }
            out.put(inode, s);
        }
        return out;
    }

    /** Inode to owners ("PID NAME") of every TCP socket on {@code port}, from {@code ss -tinHpea}. */
    private static Map<Long, Set<String>> ssOwners(int port) throws IOException, InterruptedException {
        Process ss = start("ss", "-tinHpea", "( sport = :" + port + " or dport = :" + port + " )");
        String text = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ss.waitFor()).as("ss exit status; stderr: %s",
                new String(ss.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        Map<Long, Set<String>> out = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || Character.isWhitespace(line.charAt(0))) {
                continue;  // -i's indented tcp_info lines
            }
            Matcher ino = SS_INODE.matcher(line);
            assertThat(ino.find()).as("ino: in %s", line).isTrue();
            Set<String> users = new TreeSet<>();
            Matcher u = SS_USER.matcher(line);
            while (u.find()) {
                users.add(u.group(2) + " " + u.group(1));
            }
            assertThat(users).as("users:((...)) in %s", line).isNotEmpty();
            out.put(Long.parseLong(ino.group(1)), users);
        }
        return out;
    }

    private static void requireSs() throws InterruptedException {
        try {
            Process p = start("ss", "-V");
            p.getInputStream().readAllBytes();
            assertThat(p.waitFor()).as("ss -V").isZero();
        } catch (IOException e) {
            fail("this test compares with `ss -p`, which is not installed: install iproute2 "
                    + "(apt-get install iproute2): " + e.getMessage());
        }
    }

    private static Process start(String... command) throws IOException {
        try {
            return new ProcessBuilder(command).start();
        } catch (IOException e) {
            if (command[0].equals("python3")) {
                throw new IOException("this test needs python3 on the PATH to open sockets in a child: " + e.getMessage(), e);
            }
            throw e;
        }
    }
}
