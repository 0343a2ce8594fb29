package dev.ssexporter.netlink.internal;

import dev.ssexporter.netlink.AddressFamily;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A recorded dump: the raw {@code recvmsg} datagrams of one {@code SOCK_DIAG_BY_FAMILY} request,
 * with what the parser needs to check them (family, sequence number, port ID).
 *
 * <p>File format, all header integers little-endian:
 *
 * <pre>
 * "SSNLCAP1"           8 bytes of ASCII magic
 * u32 family           2 (AF_INET) or 10 (AF_INET6)
 * u32 seq              the request's nlmsg_seq
 * u32 portId           the socket's port ID
 * u32 count            number of datagrams
 * count times: u32 length, then length bytes exactly as recvmsg returned them
 * </pre>
 */
record Capture(AddressFamily family, int seq, int portId, List<byte[]> datagrams) {
    static final String MAGIC = "SSNLCAP1";

    byte[] toBytes() {
        int size = 8 + 16 + datagrams.stream().mapToInt(d -> 4 + d.length).sum();
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC.getBytes(StandardCharsets.US_ASCII));
        b.putInt(family.code()).putInt(seq).putInt(portId).putInt(datagrams.size());
        for (byte[] d : datagrams) {
            b.putInt(d.length).put(d);
        }
        return b.array();
    }

    static Capture read(InputStream in) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[8];
        b.get(magic);
        if (!MAGIC.equals(new String(magic, StandardCharsets.US_ASCII))) {
            throw new IOException("not a capture: magic " + new String(magic, StandardCharsets.US_ASCII));
        }
        AddressFamily family = AddressFamily.ofCode(b.getInt());
        int seq = b.getInt();
        int portId = b.getInt();
        int count = b.getInt();
        List<byte[]> datagrams = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] d = new byte[b.getInt()];
            b.get(d);
            datagrams.add(d);
        }
        if (b.hasRemaining()) {
            throw new IOException(b.remaining() + " bytes after the last datagram");
        }
        return new Capture(family, seq, portId, datagrams);
    }

    static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
