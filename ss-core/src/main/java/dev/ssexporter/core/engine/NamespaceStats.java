package dev.ssexporter.core.engine;

import java.util.Objects;

/**
 * One network namespace's part of a scrape that reads several.
 *
 * @param netns the {@code netns} label value: the namespace's name, or {@code net:[INODE]}
 * @param success whether this namespace's dump succeeded
 * @param socketsSeen sockets its dump reported (0 when it failed)
 * @param socketsSelected sockets of it that passed the selection
 * @param flows flow series it produced
 * @param errorsTotal its failures since the exporter started reading it: failed dumps, and for a
 *     listed namespace scrapes at which its file was gone or could not be opened
 * @param rtt the RTT histogram of its selected sockets; all zero when the dump failed
 */
public record NamespaceStats(String netns, boolean success, long socketsSeen, long socketsSelected, long flows,
                             long errorsTotal, RttHistogram rtt) {

    public NamespaceStats {
        Objects.requireNonNull(netns, "netns");
        Objects.requireNonNull(rtt, "rtt");
    }
}
