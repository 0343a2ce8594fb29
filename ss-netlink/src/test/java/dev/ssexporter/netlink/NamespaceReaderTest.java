package dev.ssexporter.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssexporter.netlink.SsCommand.SsSocket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readers opened inside network namespaces made with {@code ip netns add}, against the real
 * kernel: each sees exactly its namespace's sockets (compared with {@code ip netns exec NAME ss}),
 * from whichever thread dumps, and opening one leaves the caller's thread where it was.
 */
class NamespaceReaderTest {
    private static final Path OWN = Path.of("/proc/thread-self/ns/net");
    private static TestNetns two;
    private static TestNetns three;

    @BeforeAll
    static void namespaces() throws IOException, InterruptedException {
        two = TestNetns.create();
        three = TestNetns.create();
        two.startLoopback(2);
        three.startLoopback(3);
    }

    @AfterAll
    static void cleanUp() throws IOException {
        try {
            if (two != null) {
                two.close();
            }
        } finally {
            if (three != null) {
                three.close();
            }
        }
    }

    private static DumpQuery all() {
        return DumpQuery.of(EnumSet.allOf(AddressFamily.class), EnumSet.allOf(TcpState.class))
                .withExtensions(EnumSet.of(DumpExtension.INFO));
    }

    /** State, ports and inode: what identifies a socket in ss's output and in ours. */
    private static Set<String> keys(List<SocketRecord> records) {
        return records.stream().map(r -> r.state().ssName() + " " + r.localPort() + " " + r.remotePort() + " "
                + r.inode()).collect(Collectors.toSet());
    }

    private static Set<String> ssKeys(List<SsSocket> ss) {
        return ss.stream().map(s -> s.state() + " " + s.localPort() + " " + s.peerPort() + " " + s.values().get("ino"))
                .collect(Collectors.toSet());
    }

    private static long inode(Path p) throws IOException {
        return ((Number) Files.getAttribute(p, "unix:ino")).longValue();
    }

    @Test
    void eachReaderSeesItsOwnNamespaceAsSsDoes() throws Exception {
        long before = inode(OWN);
        try (SockDiagReader a = SockDiagReader.openInNamespace(two.path());
             SockDiagReader b = SockDiagReader.openInNamespace(three.path());
             SockDiagReader host = SockDiagReader.open()) {
            assertThat(inode(OWN)).as("the opening thread stays in its namespace").isEqualTo(before);
            assertThat(a.namespaceInode()).isEqualTo(inode(two.path()));
            assertThat(b.namespaceInode()).isEqualTo(inode(three.path()));
            assertThat(a.namespace()).contains(two.path());
            assertThat(host.namespace()).isEmpty();

            List<SocketRecord> inTwo = a.dumpAll(all());
            List<SocketRecord> inThree = b.dumpAll(all());
            // One listener plus two sockets per connection.
            assertThat(inTwo).hasSize(1 + 2 * 2);
            assertThat(inThree).hasSize(1 + 2 * 3);
            assertThat(keys(inTwo)).isEqualTo(ssKeys(SsCommand.runIn(two.name(), "")));
            assertThat(keys(inThree)).isEqualTo(ssKeys(SsCommand.runIn(three.name(), "")));
            assertThat(inTwo).allSatisfy(r -> assertThat(r.state() == TcpState.LISTEN || r.tcpInfo() != null).isTrue());

            Set<Long> hostInodes = host.dumpAll(all()).stream().map(SocketRecord::inode).collect(Collectors.toSet());
            assertThat(hostInodes).as("the host reader sees none of the namespaced sockets")
                    .doesNotContainAnyElementsOf(inTwo.stream().map(SocketRecord::inode).toList());
        }
    }

    @Test
    void aSocketStaysInItsNamespaceWhicheverThreadDumps() throws Exception {
        try (SockDiagReader a = SockDiagReader.openInNamespace(two.path());
             ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor();
             ExecutorService platform = Executors.newFixedThreadPool(2)) {
            Set<String> expected = ssKeys(SsCommand.runIn(two.name(), ""));
            assertThat(keys(virtual.submit(() -> a.dumpAll(all())).get())).isEqualTo(expected);
            assertThat(keys(platform.submit(() -> a.dumpAll(all())).get())).isEqualTo(expected);
            assertThat(keys(a.dumpAll(all()))).isEqualTo(expected);
            assertThat(platform.submit(() -> inode(OWN)).get()).isEqualTo(inode(OWN));
        }
    }

    @Test
    void aProcessNamespaceLinkWorksLikeTheName() throws Exception {
        Path link = Path.of("/proc", Long.toString(three.loopbackPid()), "ns", "net");
        try (SockDiagReader byPid = SockDiagReader.openInNamespace(link)) {
            assertThat(byPid.namespaceInode()).isEqualTo(inode(three.path()));
            assertThat(keys(byPid.dumpAll(all()))).isEqualTo(ssKeys(SsCommand.runIn(three.name(), "")));
        }
    }

    @Test
    void theSocketKeepsItsNamespaceAfterTheNameIsDeleted() throws Exception {
        try (TestNetns gone = TestNetns.create()) {
            gone.startLoopback(1);
            try (SockDiagReader r = SockDiagReader.openInNamespace(gone.path())) {
                long inode = r.namespaceInode();
                gone.delete();
                assertThat(Files.exists(gone.path())).isFalse();
                assertThat(r.dumpAll(all())).as("the namespace lives on; only TIME_WAIT remains of the connection")
                        .allSatisfy(s -> assertThat(s.state()).isEqualTo(TcpState.TIME_WAIT));
                assertThat(r.namespaceInode()).isEqualTo(inode);
            }
        }
    }

    @Test
    void aMissingPathFailsWithEnoent(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-netns");
        assertThatThrownBy(() -> SockDiagReader.openInNamespace(missing))
                .isInstanceOfSatisfying(ErrnoException.class, e -> {
                    assertThat(e.errnoName()).isEqualTo("ENOENT");
                    assertThat(e.getMessage()).contains("open(" + missing + ")");
                });
    }

    @Test
    void aFileThatIsNoNamespaceFailsWithEinval(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("plain"), "not a namespace");
        assertThatThrownBy(() -> SockDiagReader.openInNamespace(file))
                .isInstanceOfSatisfying(ErrnoException.class, e -> {
                    assertThat(e.errnoName()).isEqualTo("EINVAL");
                    assertThat(e.getMessage()).contains("setns(" + file + ", CLONE_NEWNET)");
                });
    }
}
