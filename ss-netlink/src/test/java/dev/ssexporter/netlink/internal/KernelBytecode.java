package dev.ssexporter.netlink.internal;

import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.SocketRecord;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The kernel's handling of an {@code INET_DIAG_REQ_BYTECODE} program, re-implemented in Java from
 * {@code net/ipv4/inet_diag.c} for tests: {@link #audit} is {@code inet_diag_bc_audit} (for the
 * ops the compiler emits, plus the checks that catch bad jumps), {@link #run} is
 * {@code inet_diag_bc_run} over the entry the kernel builds from a socket.
 */
final class KernelBytecode {
    static final int EINVAL = 22;

    private KernelBytecode() {}

    /** 0 when the kernel would accept {@code program}, else the errno it answers with. */
    static int audit(byte[] program) {
        ByteBuffer b = ByteBuffer.wrap(program).order(ByteOrder.nativeOrder());
        int total = program.length;
        if (total < 4) {
            return EINVAL;
        }
        int pc = 0;
        int len = total;
        while (len > 0) {
            if (len < 4) {
                return EINVAL;
            }
            int code = b.get(pc) & 0xFF;
            int yes = b.get(pc + 1) & 0xFF;
            int no = b.getShort(pc + 2) & 0xFFFF;
            int minLen = 4;
            switch (code) {
                case InetDiagBcOp.S_COND, InetDiagBcOp.D_COND -> {
                    minLen += InetDiagHostcond.SIZE;
                    if (len < minLen) {
                        return EINVAL;
                    }
                    int family = b.get(pc + 4) & 0xFF;
                    int addrLen = switch (family) {
                        case 0 -> 0;
                        case 2 -> 4;
                        case 10 -> 16;
                        default -> -1;
                    };
                    if (addrLen < 0) {
                        return EINVAL;
                    }
                    minLen += addrLen;
                    if (len < minLen || (b.get(pc + 5) & 0xFF) > 8 * addrLen) {
                        return EINVAL;
                    }
                }
                case InetDiagBcOp.S_GE, InetDiagBcOp.S_LE, InetDiagBcOp.D_GE, InetDiagBcOp.D_LE -> {
                    minLen += 4;
                    if (len < minLen) {
                        return EINVAL;
                    }
                }
                case InetDiagBcOp.JMP, InetDiagBcOp.NOP -> { }
                default -> {
                    return EINVAL;
                }
            }
            if (code != InetDiagBcOp.NOP) {
                if (no < minLen || no > len + 4 || (no & 3) != 0) {
                    return EINVAL;
                }
                if (no < len && !validTarget(b, total, len - no)) {
                    return EINVAL;
                }
            }
            if (yes < minLen || yes > len + 4 || (yes & 3) != 0) {
                return EINVAL;
            }
            pc += yes;
            len -= yes;
        }
        return len == 0 ? 0 : EINVAL;
    }

    /** {@code valid_cc}: a jump must land where the chain of {@code yes} steps passes. */
    private static boolean validTarget(ByteBuffer b, int total, int remaining) {
        int pc = 0;
        int len = total;
        while (len >= 0) {
            if (remaining > len) {
                return false;
            }
            if (remaining == len) {
                return true;
            }
            if (pc + 1 >= b.limit()) {
                return false;
            }
            int yes = b.get(pc + 1) & 0xFF;
            if (yes < 4 || (yes & 3) != 0) {
                return false;
            }
            len -= yes;
            pc += yes;
        }
        return false;
    }

    /** Whether {@code socket} passes {@code program}, which must have passed {@link #audit}. */
    static boolean run(byte[] program, SocketRecord socket) {
        ByteBuffer b = ByteBuffer.wrap(program).order(ByteOrder.nativeOrder());
        byte[] saddr = entryAddress(socket.family(), socket.localAddress());
        byte[] daddr = entryAddress(socket.family(), socket.remoteAddress());
        int pc = 0;
        int len = program.length;
        while (len > 0) {
            int code = b.get(pc) & 0xFF;
            int port = code >= InetDiagBcOp.S_GE && code <= InetDiagBcOp.D_LE ? b.getShort(pc + 6) & 0xFFFF : 0;
            boolean yes = switch (code) {
                case InetDiagBcOp.NOP -> true;
                case InetDiagBcOp.JMP -> false;
                case InetDiagBcOp.S_GE -> socket.localPort() >= port;
                case InetDiagBcOp.S_LE -> socket.localPort() <= port;
                case InetDiagBcOp.D_GE -> socket.remotePort() >= port;
                case InetDiagBcOp.D_LE -> socket.remotePort() <= port;
                case InetDiagBcOp.S_COND -> hostCondition(b, pc, socket.family(), saddr, socket.localPort());
                case InetDiagBcOp.D_COND -> hostCondition(b, pc, socket.family(), daddr, socket.remotePort());
                default -> throw new AssertionError("op " + code + " at " + pc + " passed no audit");
            };
            int step = yes ? b.get(pc + 1) & 0xFF : b.getShort(pc + 2) & 0xFFFF;
            len -= step;
            pc += step;
        }
        return len == 0;
    }

    private static boolean hostCondition(ByteBuffer b, int pc, AddressFamily family, byte[] addr, int entryPort) {
        int condFamily = b.get(pc + 4) & 0xFF;
        int prefix = b.get(pc + 5) & 0xFF;
        int port = b.getInt(pc + 8);
        byte[] condAddr = new byte[condFamily == 10 ? 16 : condFamily == 2 ? 4 : 0];
        b.get(pc + 12, condAddr);
        if (port != -1 && port != entryPort) {
            return false;
        }
        if (condFamily != 0 && condFamily != family.code()) {
            if (family == AddressFamily.INET6 && condFamily == 2) {
                boolean mapped = true;
                for (int i = 0; i < 10; i++) {
                    mapped &= addr[i] == 0;
                }
                mapped &= addr[10] == (byte) 0xFF && addr[11] == (byte) 0xFF;
                return mapped && bitstringMatch(addr, 12, condAddr, prefix);
            }
            return false;
        }
        return prefix == 0 || bitstringMatch(addr, 0, condAddr, prefix);
    }

    private static boolean bitstringMatch(byte[] a, int from, byte[] cond, int bits) {
        for (int i = 0; i < bits; i++) {
            int bitA = (a[from + i / 8] >> (7 - i % 8)) & 1;
            int bitC = (cond[i / 8] >> (7 - i % 8)) & 1;
            if (bitA != bitC) {
                return false;
            }
        }
        return true;
    }

    /** The socket's address as the kernel's entry holds it: 4 bytes for AF_INET, 16 for AF_INET6. */
    private static byte[] entryAddress(AddressFamily family, InetAddress address) {
        byte[] a = address.getAddress();
        if (family == AddressFamily.INET || a.length == 16) {
            return a;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        System.arraycopy(a, 0, mapped, 12, 4);
        return mapped;
    }
}
