package dev.ssexporter.netlink;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * Something that lists TCP sockets: the kernel through {@link SockDiagReader}, or a fixed list in
 * tests and benchmarks.
 */
@FunctionalInterface
public interface SocketSource {

    /**
     * Streams every socket matching {@code query} to {@code sink}, in kernel order.
     *
     * @throws IOException when the dump fails; sockets already passed to {@code sink} are then an
     *     incomplete picture and the caller should discard them
     */
    DumpStats dump(DumpQuery query, Consumer<? super SocketRecord> sink) throws IOException;
}
