/**
 * Process attribution: which processes hold which sockets, found by walking {@code /proc}.
 *
 * <p>{@link dev.ssexporter.core.process.ProcessScanner} reads every process's
 * descriptors ({@code fd/*}: the inode of each socket, as its link {@code socket:[INODE]} names
 * it), and the name and {@code exe} of those holding a socket (cached between walks by pid and starttime when the scanner is kept), and returns an
 * immutable {@link dev.ssexporter.core.process.ProcessTable}. A socket record's inode then finds
 * its owners in constant time, without allocation. The walk costs a syscall per descriptor, so
 * the engine runs it only when the configuration needs it.
 *
 * <pre>{@code
 * ProcessScanner scanner = ProcessScanner.create(Path.of("/proc"));   // once
 * ProcessTable procs = scanner.scan();                                // per scrape
 * SocketOwners owners = procs.owners(socket.inode());
 * owners.pidList();              // "1,20,300", empty when unknown
 * owners.get(0).comm();          // "nginx"
 * procs.skipped();               // processes that vanished or denied access
 * }</pre>
 */
package dev.ssexporter.core.process;
