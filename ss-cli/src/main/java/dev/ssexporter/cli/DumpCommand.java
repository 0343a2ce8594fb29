package dev.ssexporter.cli;

import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.DumpExtension;
import dev.ssexporter.netlink.DumpQuery;
import dev.ssexporter.netlink.DumpStats;
import dev.ssexporter.netlink.SocketFilter;
import dev.ssexporter.netlink.SocketRecord;
import dev.ssexporter.netlink.SocketSource;
import dev.ssexporter.netlink.TcpState;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ss-exporter dump}: the current TCP sockets, as a table ({@link SocketTable}) or as JSON
 * Lines ({@link JsonLines}).
 *
 * <pre>
 * ss-exporter dump                      # connected sockets, IPv4 and IPv6
 * ss-exporter dump --json --port 8020   # sockets with 8020 on either side, one JSON object a line
 * ss-exporter dump -a -4                # every IPv4 socket, LISTEN and TIME-WAIT included
 * ss-exporter dump --state estab --state time-wait
 * </pre>
 */
@Command(name = "dump",
        description = {
            "Prints the current TCP sockets from the kernel (NETLINK_SOCK_DIAG), like ss -tin.",
            "Without --state or --all: the connected states, i.e. all but LISTEN, TIME-WAIT, UNCONN, "
                    + "NEW-SYN-RECV and BOUND-INACTIVE."
        },
        sortOptions = false,
        usageHelpAutoWidth = true)
final class DumpCommand implements Callable<Integer> {

    /** Thrown by the socket source when the kernel's socket interface cannot be used at all. */
    static final class UnavailableException extends IOException {
        UnavailableException(String cause) {
            super(cause);
        }
    }

    @Option(names = "--json", description = "One JSON object per socket per line (JSON Lines) with every field "
            + "the kernel sent, instead of the table.")
    boolean json;

    @ArgGroup(exclusive = true)
    StateSelection stateSelection;

    static final class StateSelection {
        @Option(names = "--state", paramLabel = "STATE", converter = Converters.State.class,
                completionCandidates = Converters.StateNames.class,
                description = "Only sockets in STATE; repeatable. An ss name (estab, syn-sent, time-wait, "
                        + "listen, ...) or an enum name (ESTABLISHED, TIME_WAIT, ...), any case.")
        List<TcpState> states = new ArrayList<>();

        @Option(names = {"-a", "--all"}, description = "Sockets in every state, LISTEN and TIME-WAIT included.")
        boolean all;
    }

    @Option(names = "-4", description = "IPv4 sockets only.")
    boolean ipv4;

    @Option(names = "-6", description = "IPv6 sockets only (including those with IPv4-mapped addresses).")
    boolean ipv6;

    @Option(names = "--port", paramLabel = "PORT", converter = Converters.Port.class,
            description = "Only sockets with PORT as local or peer port; repeatable (any of them matches).")
    List<Integer> ports = new ArrayList<>();

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    private final SocketSource source;
    private final IntFunction<String> interfaceNames;

    DumpCommand() {
        this(new KernelSockets(), SocketTable.systemInterfaceNames());
    }

    /** Test seam: sockets from {@code source}, interface names from {@code interfaceNames}. */
    DumpCommand(SocketSource source, IntFunction<String> interfaceNames) {
        this.source = source;
        this.interfaceNames = interfaceNames;
    }

    /**
     * What the options ask the kernel for. The kernel applies {@code --port} itself (a socket
     * filter, as {@code ss '( sport = :P or dport = :P )'} does), so on a busy host only the
     * matching sockets are copied out; the table asks only for {@code tcp_info} and the congestion
     * algorithm, JSON for every extension.
     */
    DumpQuery query() {
        Set<AddressFamily> families = EnumSet.noneOf(AddressFamily.class);
        if (ipv4) {
            families.add(AddressFamily.INET);
        }
        if (ipv6) {
            families.add(AddressFamily.INET6);
        }
        if (families.isEmpty()) {
            families = EnumSet.allOf(AddressFamily.class);
        }
        Set<TcpState> states;
        if (stateSelection != null && stateSelection.all) {
            states = EnumSet.allOf(TcpState.class);
        } else if (stateSelection != null && !stateSelection.states.isEmpty()) {
            states = EnumSet.copyOf(stateSelection.states);
        } else {
            states = TcpState.connected();
        }
        DumpQuery query = DumpQuery.of(families, states);
        if (!json) {
            query = query.withExtensions(EnumSet.of(DumpExtension.INFO, DumpExtension.CONG));
        }
        if (!ports.isEmpty()) {
            List<SocketFilter> eitherSide = new ArrayList<>();
            for (int port : new LinkedHashSet<>(ports)) {
                eitherSide.add(SocketFilter.localPorts(port, port));
                eitherSide.add(SocketFilter.remotePorts(port, port));
            }
            query = query.withFilter(SocketFilter.anyOf(eitherSide));
        }
        return query;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // Both stream: JSON writes each socket as the kernel sends it; the table keeps only the
        // text of each row, since its column widths are known only at the end.
        SocketTable table = new SocketTable(interfaceNames);
        StringBuilder line = new StringBuilder(2048);
        Consumer<SocketRecord> sink = json
                ? s -> {
                    line.setLength(0);
                    JsonLines.append(line, s);
                    out.append(line).append('\n');
                }
                : table::add;
        DumpStats stats;
        try {
            stats = source.dump(query(), sink);
        } catch (UnavailableException e) {
            out.flush();
            err.println("ss-exporter: the kernel's TCP socket interface (NETLINK_SOCK_DIAG) is unavailable: "
                    + e.getMessage());
            return Exit.FAILURE;
        } catch (IOException e) {
            out.flush();
            err.println("ss-exporter: cannot read the TCP sockets from the kernel: " + e.getMessage());
            return Exit.FAILURE;
        }
        if (!json) {
            table.print(out);
        }
        out.flush();
        if (stats.interrupted()) {
            err.println("ss-exporter: note: the socket table changed during the dump (NLM_F_DUMP_INTR), "
                    + "so a socket may be missing or listed twice");
        }
        return Exit.OK;
    }
}
