/**
 * Linux TCP socket statistics from the kernel's {@code NETLINK_SOCK_DIAG} (inet_diag), the
 * interface {@code ss -ti} uses, read with {@code java.lang.foreign}: kernel bytes to immutable
 * records, and nothing more.
 *
 * <pre>{@code
 * SockDiagReader.Availability availability = SockDiagReader.probe();
 * if (!availability.available()) {
 *     System.err.println("no socket statistics: " + availability.unavailabilityCause());
 *     return;
 * }
 * try (SockDiagReader reader = SockDiagReader.open()) {
 *     DumpStats stats = reader.dump(DumpQuery.connected(), socket -> {
 *         if (socket.hasTcpInfo()) {
 *             long rttMicros = socket.tcpInfo().get(TcpInfoField.RTT);
 *             System.out.println(socket.remoteAddress().getHostAddress() + ":" + socket.remotePort()
 *                     + " " + socket.state().ssName() + " rtt=" + rttMicros + "us");
 *         }
 *     });
 *     if (stats.interrupted()) {
 *         // the socket table changed while the kernel walked it: a socket may be missing or twice
 *     }
 * }
 * }</pre>
 *
 * <p>The JVM must be started with {@code --enable-native-access=ALL-UNNAMED} (or the jar's
 * manifest must say {@code Enable-Native-Access: ALL-UNNAMED}); {@link SockDiagReader#probe()}
 * says so when it is missing and the JVM refuses.
 *
 * <p>Ask only for what is read, and let the kernel drop the rest: a query can name the
 * {@link DumpExtension}s it needs and carry a {@link SocketFilter}, which the kernel runs on every
 * socket (as {@code ss} does with its filter expressions) before copying it out:
 *
 * <pre>{@code
 * DumpQuery q = DumpQuery.connected()
 *         .withExtensions(EnumSet.of(DumpExtension.INFO))
 *         .withFilter(SocketFilter.anyOf(SocketFilter.localPorts(443, 443), SocketFilter.remotePorts(443, 443)));
 * }</pre>
 *
 * <p>Types: {@link SockDiagReader} is the {@link SocketSource} that talks to the kernel;
 * {@link DumpQuery} says what to ask for; each socket is a {@link SocketRecord} with its
 * {@link TcpInfo}, {@link MemInfo} and {@link SkMemInfo}; {@link DumpStats} says what a dump cost
 * and whether it was consistent. Failures are {@link NetlinkException}s. Everything that touches
 * native memory lives in {@code dev.ssexporter.netlink.internal}, which is not API.
 */
package dev.ssexporter.netlink;
