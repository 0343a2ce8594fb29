package dev.ssexporter.netlink.internal;

import dev.ssexporter.netlink.ErrnoException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Opens a {@code NETLINK_SOCK_DIAG} socket inside another network namespace.
 *
 * <p>{@code setns(2)} moves only the calling thread, and a socket belongs for its whole life to the
 * network namespace its creator was in when it called {@code socket(2)}. So each opening runs on a
 * platform thread of its own that is used for nothing else: it opens the namespace file, enters the
 * namespace, opens and binds the netlink socket, reads which namespace it is now in, and ends. The
 * caller's thread (and every other thread of the JVM) stays where it was, and the returned socket
 * can be used from any thread afterwards: it keeps dumping the namespace it was created in.
 *
 * <p>The open socket holds a reference on its namespace: the kernel keeps the namespace alive as
 * long as the socket is open, even when the last process in it has exited and its name is gone.
 * Whoever holds the socket must close it when the namespace is no longer wanted.
 *
 * <p>Needs {@code CAP_SYS_ADMIN} for {@code setns} ({@code EPERM} otherwise), and for a
 * {@code /proc/PID/ns/net} of another user's process the right to inspect it
 * ({@code CAP_SYS_PTRACE}; {@code EACCES} otherwise).
 */
public final class NetnsOpener {
    /** {@code CLONE_NEWNET}: the namespace type {@code setns} is asked to enter. */
    static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    /** This thread's network namespace, whichever {@code /proc} the exporter is told to walk. */
    private static final Path OWN_NETNS = Path.of("/proc/thread-self/ns/net");

    private NetnsOpener() {}

    /**
     * A socket opened in a namespace.
     *
     * @param socket the bound netlink socket
     * @param inode the inode of the namespace the socket belongs to, as read from inside it
     */
    public record Opened(NetlinkSocket socket, long inode) {
        public Opened {
            Objects.requireNonNull(socket, "socket");
        }
    }

    /**
     * Opens a socket in the network namespace {@code nsPath} refers to (a {@code /var/run/netns/NAME}
     * bind mount or a {@code /proc/PID/ns/net} link).
     *
     * @throws ErrnoException when a call fails: {@code open} with {@code ENOENT} (the namespace or
     *     process is gone) or {@code EACCES}; {@code setns} with {@code EPERM} (no
     *     {@code CAP_SYS_ADMIN}) or {@code EINVAL} (the file is not a network namespace)
     * @throws IOException when the namespace entered cannot be identified
     */
    public static Opened open(Path nsPath) throws IOException {
        Objects.requireNonNull(nsPath, "nsPath");
        LibC.checkAvailable();
        Outcome outcome = new Outcome();
        Thread t = Thread.ofPlatform().daemon().name("ss-netns-open").unstarted(() -> outcome.run(nsPath));
        t.start();
        joinUninterruptibly(t);
        return outcome.result();
    }

    /**
     * Waits until {@code thread} has ended even when the caller is interrupted meanwhile: the
     * thread is short, and its socket must never leak. The caller's interrupt is kept.
     */
    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the opening thread produced: a socket or the failure. */
    private static final class Outcome {
        private Opened opened;
        private Throwable failure;

        /** Runs on the dedicated thread; the thread ends right after, still in the namespace. */
        void run(Path nsPath) {
            try (Arena arena = Arena.ofConfined()) {
                String path = nsPath.toString();
                int nsFd = LibC.open(arena, path, O_RDONLY | O_CLOEXEC, "open(" + path + ")");
                try {
                    LibC.setns(arena, nsFd, CLONE_NEWNET, "setns(" + path + ", CLONE_NEWNET)");
                } finally {
                    LibC.close(arena, nsFd, "close(fd=" + nsFd + ", " + path + ")");
                }
                long inode = ((Number) Files.getAttribute(OWN_NETNS, "unix:ino")).longValue();
                opened = new Opened(NetlinkSocket.open(), inode);
            } catch (IOException | RuntimeException | Error e) {
                failure = e;
            }
        }

        Opened result() throws IOException {
            return switch (failure) {
                case null -> opened;
                case IOException e -> throw e;
                case RuntimeException e -> throw e;
                case Error e -> throw e;
                default -> throw new IllegalStateException(failure);
            };
        }
    }
}
