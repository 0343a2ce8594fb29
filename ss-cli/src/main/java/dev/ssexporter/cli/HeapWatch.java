package dev.ssexporter.cli;

import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Warns when the old generation is still nearly full right after a full collection: the heap is
 * too small for what this host's sockets and config make the exporter hold, and a scrape with a
 * few more sockets will end it with an {@code OutOfMemoryError} (the launcher's JVM exits on
 * one). The JVM checks this itself after each collection (a collection usage threshold), so
 * nothing polls; the warning repeats only when the usage has dropped below the threshold and
 * crossed it again.
 */
final class HeapWatch {
    private static final System.Logger LOG = System.getLogger(HeapWatch.class.getName());
    /** Warn above this share of the old generation's maximum, after a collection. */
    static final double DEFAULT_FRACTION = 0.8;
    private static final AtomicBoolean LISTENING = new AtomicBoolean();

    private HeapWatch() {}

    /**
     * Sets the threshold on the old-generation pools and starts listening (once per JVM; a later
     * call only moves the threshold); the names of the pools watched, empty when the collector
     * offers none (then nothing is watched).
     */
    static List<String> install(double fraction) {
        List<String> watched = new ArrayList<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            long max = pool.getUsage().getMax();
            if (pool.getType() == MemoryType.HEAP && isOld(pool.getName()) && max > 0
                    && pool.isCollectionUsageThresholdSupported()) {
                pool.setCollectionUsageThreshold(Math.max(1, (long) (max * fraction)));
                watched.add(pool.getName());
            }
        }
        if (!watched.isEmpty() && LISTENING.compareAndSet(false, true)) {
            ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).addNotificationListener((n, ignored) -> {
                if (MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(n.getType())) {
                    MemoryNotificationInfo info = MemoryNotificationInfo.from((CompositeData) n.getUserData());
                    LOG.log(Level.WARNING, message(info.getPoolName(), info.getUsage().getUsed(),
                            info.getUsage().getMax()));
                }
            }, null, null);
        }
        return watched;
    }

    static String message(String pool, long used, long max) {
        return String.format(Locale.ROOT, "the heap is nearly full after a full collection (%s: %.1f of %.1f MB): with a"
                + " few more sockets the exporter will run out of memory; give it a larger heap (bin/ss-exporter:"
                + " SS_EXPORTER_HEAP, see docs/cli.md) or export fewer flows (logic.selection, pid_condensed,"
                + " logic.limits.maxFlows)", pool, used / 1048576.0, max / 1048576.0);
    }

    /** The serial, parallel and G1 collectors' old generation pools. */
    private static boolean isOld(String poolName) {
        return poolName.contains("Old Gen") || poolName.contains("Tenured Gen");
    }
}
