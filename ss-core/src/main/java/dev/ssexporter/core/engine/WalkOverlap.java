package dev.ssexporter.core.engine;

import dev.ssexporter.core.process.PendingScan;
import dev.ssexporter.core.process.ProcessTable;
import dev.ssexporter.netlink.SocketRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Lets the {@code /proc} walk run while the socket dump streams in. Sockets arriving before the
 * walk is done are held, in order, and handed on once the process table is there; from then on
 * they go straight through. At most {@link #MAX_HELD} are held: when that many wait, or the dump
 * ends first, the dumping thread joins the walk (taking part in what is left of it) instead of
 * holding more, which bounds the memory however many sockets there are.
 *
 * <p>The order in which the sink sees the sockets is the dump's, as without the overlap.
 */
final class WalkOverlap implements Consumer<SocketRecord> {
    /**
     * A few hundred bytes each with their {@code tcp_info}: a few megabytes held at most, small
     * next to the launcher's 40 MB heap. Past this the dumping thread helps the walk instead.
     */
    static final int MAX_HELD = 8_192;

    private final Consumer<SocketRecord> sink;
    private final PendingScan walk;
    private final Function<PendingScan, ProcessTable> join;
    private final Consumer<ProcessTable> tableReady;
    private List<SocketRecord> held = new ArrayList<>();

    /**
     * @param sink receives every socket, after {@code tableReady} has been called
     * @param join joins the walk; never throws (a failed walk gives an empty table)
     * @param tableReady receives the table once, before the first socket reaches {@code sink}
     */
    WalkOverlap(Consumer<SocketRecord> sink, PendingScan walk, Function<PendingScan, ProcessTable> join,
                Consumer<ProcessTable> tableReady) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.walk = Objects.requireNonNull(walk, "walk");
        this.join = Objects.requireNonNull(join, "join");
        this.tableReady = Objects.requireNonNull(tableReady, "tableReady");
    }

    @Override
    public void accept(SocketRecord s) {
        if (held != null) {
            if (held.size() < MAX_HELD && !walk.isDone()) {
                held.add(s);
                return;
            }
            finish();
        }
        sink.accept(s);
    }

    /** Joins the walk if not done yet and hands on what is held; call once the dump has ended. */
    void finish() {
        if (held == null) {
            return;
        }
        List<SocketRecord> pending = held;
        held = null;
        tableReady.accept(join.apply(walk));
        for (SocketRecord s : pending) {
            sink.accept(s);
        }
    }
}
