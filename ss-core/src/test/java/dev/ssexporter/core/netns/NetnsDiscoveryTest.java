package dev.ssexporter.core.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery over a fake {@code /proc} of symlinks and a fake {@code /var/run/netns}. */
class NetnsDiscoveryTest {
    @TempDir
    Path root;

    private Path proc() {
        return root.resolve("proc");
    }

    private Path named() {
        return root.resolve("netns");
    }

    /** {@code proc/PID/ns/net -> net:[INODE]}, as the kernel shows it (the target never exists). */
    private void process(long pid, String linkText) throws IOException {
        Path ns = Files.createDirectories(proc().resolve(Long.toString(pid)).resolve("ns"));
        Files.createSymbolicLink(ns.resolve("net"), Path.of(linkText));
    }

    /** A named namespace file; its inode stands for the namespace's. */
    private long name(String name) throws IOException {
        Path f = Files.createFile(Files.createDirectories(named()).resolve(name));
        return ((Number) Files.getAttribute(f, "unix:ino")).longValue();
    }

    private List<NetnsTarget> discover() throws IOException {
        return new NetnsDiscovery(proc(), named()).discover().namespaces();
    }

    @Test
    void processesInOneNamespaceGiveOneTargetThroughTheLowestPid() throws IOException {
        process(300, "net:[4026531840]");
        process(20, "net:[4026531840]");
        process(1000, "net:[4026532500]");
        Files.createDirectories(proc().resolve("self"));
        Files.createDirectories(proc().resolve("sys"));
        assertThat(discover()).containsExactly(
                new NetnsTarget("net:[4026531840]", proc().resolve("20/ns/net"), 4026531840L),
                new NetnsTarget("net:[4026532500]", proc().resolve("1000/ns/net"), 4026532500L));
    }

    @Test
    void aNamedNamespaceKeepsItsNameWhenProcessesAreInIt() throws IOException {
        long blue = name("blue");
        long red = name("red");
        process(7, "net:[" + blue + "]");
        process(8, "net:[4026531840]");
        assertThat(discover()).containsExactly(
                new NetnsTarget("blue", named().resolve("blue"), blue),
                new NetnsTarget("red", named().resolve("red"), red),
                new NetnsTarget("net:[4026531840]", proc().resolve("8/ns/net"), 4026531840L));
    }

    @Test
    void noNamedDirectoryIsNoError() throws IOException {
        process(1, "net:[4026531840]");
        assertThat(discover()).hasSize(1);
    }

    @Test
    void vanishedAndOddLinksAreSkipped() throws IOException {
        process(1, "net:[4026531840]");
        process(2, "mnt:[4026531841]");
        process(3, "net:[not-a-number]");
        Files.createDirectories(proc().resolve("4"));
        assertThat(discover()).extracting(NetnsTarget::inode).containsExactly(4026531840L);
    }

    @Test
    void linksThatCannotBeReadAreCounted() throws IOException {
        process(1, "net:[4026531840]");
        // readlink fails on what is not a link, as it fails with EACCES on another user's process.
        Files.createFile(Files.createDirectories(proc().resolve("2").resolve("ns")).resolve("net"));
        NetnsDiscovery.Found found = new NetnsDiscovery(proc(), named()).discover();
        assertThat(found.unreadable()).isEqualTo(1);
        assertThat(found.namespaces()).hasSize(1);
    }

    @Test
    void aProcRootThatCannotBeListedFails() {
        assertThatThrownBy(() -> new NetnsDiscovery(root.resolve("nope"), named()).discover())
                .isInstanceOf(IOException.class);
    }

    @Test
    void linkTextIsParsedStrictly() {
        assertThat(NetnsDiscovery.parseLink("net:[4026531840]")).isEqualTo(4026531840L);
        assertThat(NetnsDiscovery.parseLink("net:[]")).isEqualTo(-1);
        assertThat(NetnsDiscovery.parseLink("net:4026531840")).isEqualTo(-1);
        assertThat(NetnsDiscovery.parseLink("uts:[4026531838]")).isEqualTo(-1);
        assertThat(NetnsTarget.inodeLabel(4026531840L)).isEqualTo("net:[4026531840]");
    }

    @Test
    void capabilitiesComeFromCapEff(@TempDir Path dir) throws IOException {
        Path status = Files.writeString(dir.resolve("status"), "Name:\tjava\nCapPrm:\t0\nCapEff:\t0000000000280000\n");
        Capabilities caps = Capabilities.read(status);
        assertThat(caps.has(Capabilities.CAP_SYS_ADMIN)).isTrue();
        assertThat(caps.has(Capabilities.CAP_SYS_PTRACE)).isTrue();
        assertThat(caps.has(12)).isFalse();
        Path none = Files.writeString(dir.resolve("none"), "CapEff:\t0000000000080000\n");
        assertThat(Capabilities.read(none).has(Capabilities.CAP_SYS_ADMIN)).isFalse();
        assertThat(Capabilities.read(none).has(Capabilities.CAP_SYS_PTRACE)).isTrue();
        assertThatThrownBy(() -> Capabilities.read(Files.writeString(dir.resolve("bad"), "CapEff:\txyz\n")))
                .hasMessageContaining("not hexadecimal");
        assertThatThrownBy(() -> Capabilities.read(Files.writeString(dir.resolve("empty"), "Name: x\n")))
                .hasMessageContaining("no CapEff");
    }
}
