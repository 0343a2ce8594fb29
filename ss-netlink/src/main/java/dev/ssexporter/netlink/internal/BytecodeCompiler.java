package dev.ssexporter.netlink.internal;

import dev.ssexporter.netlink.SocketFilter;
import dev.ssexporter.netlink.SocketFilter.AllOf;
import dev.ssexporter.netlink.SocketFilter.AnyOf;
import dev.ssexporter.netlink.SocketFilter.LocalNetwork;
import dev.ssexporter.netlink.SocketFilter.LocalPortRange;
import dev.ssexporter.netlink.SocketFilter.Not;
import dev.ssexporter.netlink.SocketFilter.RemoteNetwork;
import dev.ssexporter.netlink.SocketFilter.RemotePortRange;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles a {@link SocketFilter} to the {@code inet_diag_bc_op} program of an
 * {@code INET_DIAG_REQ_BYTECODE} attribute, in native byte order (addresses in network order).
 *
 * <p>The program is laid out so that the kernel's audit ({@code inet_diag_bc_audit}) accepts it:
 *
 * <ul>
 *   <li>Every op's {@code yes} is its own length, so "true" falls through to the next op and the
 *       ops form one linear chain, which is the chain the audit walks. Only {@code no} jumps.
 *   <li>Every {@code no} is a positive multiple of 4, at least the op's length, and lands on the
 *       start of a later op, on the program's end (accept) or 4 bytes past it (reject). So
 *       jumps only go forward and the walk always ends.
 *   <li>A fragment for a sub-expression is "true" when control leaves it at its end, and jumps
 *       to an explicit accept or reject target otherwise; an op's target is resolved to a byte
 *       offset only when the whole program is laid out.
 * </ul>
 *
 * <p>Translation, per node: a port range is {@code S_GE}/{@code S_LE} (or {@code D_*}) ops
 * rejecting on failure, a bound of 0 or 65535 left out; a network is one {@code S_COND} or
 * {@code D_COND} with any port; {@code AllOf} concatenates; {@code AnyOf} puts a {@code JMP} to
 * accept after every member but the last, whose failure falls into the next member; {@code Not}
 * swaps accept and reject and ends in a {@code JMP} to reject. A filter that is true without any
 * op ({@code AllOf()}, a port range 0..65535, an {@code AnyOf} with such a member) compiles to
 * an empty program: no attribute is sent.
 */
public final class BytecodeCompiler {
    /**
     * The longest program a request can carry: {@code rta_len} is 16 bits and counts the 4-byte
     * header, and programs are whole ops.
     */
    public static final int MAX_LENGTH = 65528;

    private static final int ACCEPT = -1;
    private static final int REJECT = -2;
    private static final int PORT_OP_LENGTH = 2 * InetDiagBcOp.SIZE;

    private BytecodeCompiler() {}

    /**
     * The program for {@code filter}, empty when it matches every socket without a test.
     *
     * @throws IllegalArgumentException when the program exceeds {@link #MAX_LENGTH}
     */
    public static byte[] compile(SocketFilter filter) {
        Fragment f = fragment(filter);
        checkLength(f.length, filter);
        return f.layOut();
    }

    /** The program's length in bytes, without laying it out; may exceed {@link #MAX_LENGTH}. */
    public static int length(SocketFilter filter) {
        return fragment(filter).length;
    }

    /**
     * Checks that {@code filter} fits a request.
     *
     * @throws IllegalArgumentException when its program exceeds {@link #MAX_LENGTH}
     */
    public static void checkLength(SocketFilter filter) {
        checkLength(length(filter), filter);
    }

    private static void checkLength(int length, SocketFilter filter) {
        if (length > MAX_LENGTH) {
            String text = filter.toString();
            throw new IllegalArgumentException("the socket filter compiles to " + length + " bytes of inet_diag"
                    + " bytecode, more than the " + MAX_LENGTH + " a request attribute can carry: "
                    + (text.length() > 200 ? text.substring(0, 200) + "..." : text));
        }
    }

    /**
     * One op (with its operand) and where it jumps when false: {@link #ACCEPT}, {@link #REJECT},
     * or the offset of a later op within the enclosing fragment.
     */
    private record Op(int code, int length, int target, int port, byte[] address, int prefixLength) {
        static Op jump(int target) {
            return new Op(InetDiagBcOp.JMP, InetDiagBcOp.SIZE, target, 0, null, 0);
        }

        static Op portCompare(int code, int port) {
            return new Op(code, PORT_OP_LENGTH, REJECT, port, null, 0);
        }

        static Op hostCondition(int code, byte[] address, int prefixLength) {
            return new Op(code, InetDiagBcOp.SIZE + InetDiagHostcond.SIZE + address.length, REJECT, 0, address,
                    prefixLength);
        }

        Op retarget(int base, int onAccept, int onReject) {
            int t = switch (target) {
                case ACCEPT -> onAccept;
                case REJECT -> onReject;
                default -> target + base;
            };
            return new Op(code, length, t, port, address, prefixLength);
        }
    }

    /** Ops laid out one after another; true when control reaches the end. */
    private static final class Fragment {
        final List<Op> ops = new ArrayList<>();
        int length;

        boolean alwaysTrue() {
            return ops.isEmpty();
        }

        void add(Op op) {
            ops.add(op);
            length += op.length;
        }

        /** Appends {@code child}, mapping its accept and reject to targets of this fragment. */
        void append(Fragment child, int onAccept, int onReject) {
            int base = length;
            for (Op op : child.ops) {
                add(op.retarget(base, onAccept, onReject));
            }
        }

        byte[] layOut() {
            byte[] program = new byte[length];
            MemorySegment s = MemorySegment.ofArray(program);
            long at = 0;
            for (Op op : ops) {
                int target = switch (op.target) {
                    case ACCEPT -> length;
                    case REJECT -> length + InetDiagBcOp.SIZE;
                    default -> op.target;
                };
                long no = target - at;
                if (no < op.length || (no & 3) != 0) {
                    throw new IllegalStateException("op at " + at + " jumps by " + no + ": not forward past itself");
                }
                InetDiagBcOp.CODE.set(s, at, (byte) op.code);
                InetDiagBcOp.YES.set(s, at, (byte) op.length);
                InetDiagBcOp.NO.set(s, at, (short) no);
                long operand = at + InetDiagBcOp.SIZE;
                if (op.address != null) {
                    InetDiagHostcond.FAMILY.set(s, operand, (byte) (op.address.length == 4 ? 2 : 10));
                    InetDiagHostcond.PREFIX_LEN.set(s, operand, (byte) op.prefixLength);
                    InetDiagHostcond.PORT.set(s, operand, InetDiagHostcond.ANY_PORT);
                    MemorySegment.copy(op.address, 0, s, ValueLayout.JAVA_BYTE,
                            operand + InetDiagHostcond.ADDR_OFFSET, op.address.length);
                } else if (op.length == PORT_OP_LENGTH) {
                    // The port rides in the "no" of a second op; its code and yes stay 0.
                    InetDiagBcOp.NO.set(s, operand, (short) op.port);
                }
                at += op.length;
            }
            return program;
        }
    }

    private static Fragment fragment(SocketFilter filter) {
        Fragment f = new Fragment();
        switch (filter) {
            case LocalPortRange(int lower, int upper) -> ports(f, InetDiagBcOp.S_GE, InetDiagBcOp.S_LE, lower, upper);
            case RemotePortRange(int lower, int upper) -> ports(f, InetDiagBcOp.D_GE, InetDiagBcOp.D_LE, lower, upper);
            case LocalNetwork n -> f.add(Op.hostCondition(InetDiagBcOp.S_COND, n.address(), n.prefixLength()));
            case RemoteNetwork n -> f.add(Op.hostCondition(InetDiagBcOp.D_COND, n.address(), n.prefixLength()));
            case AllOf(List<SocketFilter> members) -> {
                for (int i = 0; i < members.size(); i++) {
                    Fragment m = fragment(members.get(i));
                    boolean last = i == members.size() - 1;
                    // A member's explicit accept continues with the next member.
                    f.append(m, last ? ACCEPT : f.length + m.length, REJECT);
                }
            }
            case AnyOf(List<SocketFilter> members) -> {
                List<Fragment> compiled = new ArrayList<>(members.size());
                for (SocketFilter m : members) {
                    Fragment c = fragment(m);
                    if (c.alwaysTrue()) {
                        return c;
                    }
                    compiled.add(c);
                }
                if (compiled.isEmpty()) {
                    f.add(Op.jump(REJECT));
                }
                for (int i = 0; i < compiled.size(); i++) {
                    Fragment m = compiled.get(i);
                    if (i == compiled.size() - 1) {
                        f.append(m, ACCEPT, REJECT);
                    } else {
                        // Failure falls into the next member, right after the jump to accept.
                        f.append(m, ACCEPT, f.length + m.length + InetDiagBcOp.SIZE);
                        f.add(Op.jump(ACCEPT));
                    }
                }
            }
            case Not(SocketFilter inner) -> {
                f.append(fragment(inner), REJECT, ACCEPT);
                f.add(Op.jump(REJECT));
            }
        }
        return f;
    }

    private static void ports(Fragment f, int geCode, int leCode, int lower, int upper) {
        if (lower > 0) {
            f.add(Op.portCompare(geCode, lower));
        }
        if (upper < 65535) {
            f.add(Op.portCompare(leCode, upper));
        }
    }
}
