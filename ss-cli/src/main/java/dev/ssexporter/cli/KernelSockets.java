package dev.ssexporter.cli;

import dev.ssexporter.netlink.DumpQuery;
import dev.ssexporter.netlink.DumpStats;
import dev.ssexporter.netlink.SockDiagReader;
import dev.ssexporter.netlink.SocketRecord;
import dev.ssexporter.netlink.SocketSource;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * The kernel as a {@link SocketSource} for one command: probes {@link SockDiagReader}, then opens
 * a reader for the dump and closes it after.
 */
final class KernelSockets implements SocketSource {

    /**
     * @throws DumpCommand.UnavailableException with the probe's cause when sockets cannot be read here
     */
    @Override
    public DumpStats dump(DumpQuery query, Consumer<? super SocketRecord> sink) throws IOException {
        var availability = SockDiagReader.probe();
        if (!availability.available()) {
            throw new DumpCommand.UnavailableException(availability.unavailabilityCause());
        }
        try (SockDiagReader reader = SockDiagReader.open()) {
            return reader.dump(query, sink);
        }
    }
}
