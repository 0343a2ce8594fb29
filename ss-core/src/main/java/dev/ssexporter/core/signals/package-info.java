/**
 * The opt-in per-flow TCP signals beyond the default five families: which {@code tcp_info}
 * member each one reads, in which base unit it is exported, and how the sockets that share a
 * flow label are combined.
 *
 * <pre>{@code
 * SignalAccumulator acc = SignalAccumulator.of(EnumSet.of(TcpSignal.MIN_RTT, TcpSignal.BYTES_ACKED));
 * acc.add(socket1.tcpInfo());
 * acc.add(socket2.tcpInfo());
 * SignalValues v = acc.toValues();
 * v.find(TcpSignal.MIN_RTT);    // the smaller of the two min RTTs, in seconds
 * }</pre>
 */
package dev.ssexporter.core.signals;
