package dev.ssexporter.cli;

import dev.ssexporter.netlink.DumpExtension;
import dev.ssexporter.netlink.DumpQuery;
import dev.ssexporter.netlink.DumpStats;
import dev.ssexporter.netlink.SocketRecord;
import dev.ssexporter.netlink.SocketSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import picocli.CommandLine;

/** Runs the command line in-process and captures what it prints. */
final class Cli {
    private Cli() {}

    record Result(int exitCode, String out, String err) {}

    /** What picocli makes of {@code args} for the top command, without running it. */
    static ServeCommand parse(String... args) {
        ServeCommand serve = new ServeCommand();
        Main.commandLine(serve, CommandLine.defaultFactory()).parseArgs(args);
        return serve;
    }

    /** Runs {@code args} with the kernel as the socket source. */
    static Result run(String... args) {
        return run(new ServeCommand(), null, args);
    }

    /** Runs {@code args} with {@code dump} reading from {@code source}. */
    static Result run(SocketSource source, String... args) {
        return run(new ServeCommand(), source, args);
    }

    static Result run(ServeCommand serve, SocketSource source, String... args) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == DumpCommand.class && source != null) {
                    return cls.cast(new DumpCommand(source, index -> "if" + index));
                }
                return CommandLine.defaultFactory().create(cls);
            }
        };
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(serve, factory);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /**
     * A source that serves fixed records as the kernel would: only the query's families and
     * states, only those its filter passes, with only the extensions it asked for.
     */
    static final class FixedSource implements SocketSource {
        final List<SocketRecord> sockets;
        final List<DumpQuery> queries = new ArrayList<>();
        IOException failure;
        boolean interrupted;

        FixedSource(List<SocketRecord> sockets) {
            this.sockets = sockets;
        }

        @Override
        public DumpStats dump(DumpQuery query, Consumer<? super SocketRecord> sink) throws IOException {
            queries.add(query);
            if (failure != null) {
                throw failure;
            }
            long n = 0;
            Set<DumpExtension> ext = query.extensions();
            for (SocketRecord s : sockets) {
                if (query.families().contains(s.family()) && query.states().contains(s.state())
                        && query.filter().matches(s)) {
                    sink.accept(new SocketRecord(s.family(), s.state(), s.localAddress(), s.localPort(),
                            s.remoteAddress(), s.remotePort(), s.interfaceIndex(), s.cookie(), s.inode(), s.uid(),
                            s.rqueue(), s.wqueue(), s.timer(), s.retrans(), s.expiresMillis(),
                            ext.contains(DumpExtension.CONG) ? s.congestion() : null,
                            ext.contains(DumpExtension.MEMINFO) ? s.memInfo() : null,
                            ext.contains(DumpExtension.SKMEMINFO) ? s.skMemInfo() : null,
                            ext.contains(DumpExtension.INFO) ? s.tcpInfo() : null));
                    n++;
                }
            }
            return new DumpStats(n, 1, 0, interrupted);
        }
    }
}
