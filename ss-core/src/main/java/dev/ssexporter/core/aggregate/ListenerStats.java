package dev.ssexporter.core.aggregate;

import java.util.Objects;

/**
 * One listening endpoint in one dump: its accept queue, its backlog and the handshakes in
 * progress on it. Several listening sockets on one endpoint ({@code SO_REUSEPORT}) are summed.
 *
 * @param listener the {@code listener} label: {@code 0.0.0.0:8080}, {@code 10.0.0.1:443},
 *     {@code [::]:8080}
 * @param acceptQueue connections fully established and waiting for {@code accept()}
 *     ({@code idiag_rqueue} of the LISTEN socket)
 * @param backlog the most connections the accept queue holds ({@code idiag_wqueue} of the LISTEN
 *     socket: the {@code listen()} backlog capped by {@code net.core.somaxconn})
 * @param synRecv handshakes in progress: {@code SYN_RECV} sockets whose local endpoint is this
 *     listener's, or whose port is this wildcard listener's
 * @param sockets listening sockets on this endpoint, at least 1
 */
public record ListenerStats(String listener, long acceptQueue, long backlog, long synRecv, int sockets) {

    public ListenerStats {
        Objects.requireNonNull(listener, "listener");
        if (sockets < 1) {
            throw new IllegalArgumentException("a listener has at least one socket, got " + sockets);
        }
    }
}
