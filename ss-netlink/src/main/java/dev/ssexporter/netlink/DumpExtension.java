package dev.ssexporter.netlink;

/**
 * A per-socket attribute a dump can ask the kernel for, one bit of {@code idiag_ext} each. Each
 * costs kernel time and reply bytes for every socket, so ask only for what is read: the exporter
 * needs {@link #INFO} alone.
 *
 * <pre>{@code
 * DumpQuery q = DumpQuery.connected().withExtensions(EnumSet.of(DumpExtension.INFO));
 * }</pre>
 */
public enum DumpExtension {
    /** {@code INET_DIAG_INFO}: {@code struct tcp_info}, read as {@link SocketRecord#tcpInfo()}. */
    INFO(2),
    /** {@code INET_DIAG_CONG}: the congestion control algorithm's name, {@link SocketRecord#congestion()}. */
    CONG(4),
    /** {@code INET_DIAG_MEMINFO}: {@code struct inet_diag_meminfo}, {@link SocketRecord#memInfo()}. */
    MEMINFO(1),
    /** {@code INET_DIAG_SKMEMINFO}: the {@code SK_MEMINFO_*} array, {@link SocketRecord#skMemInfo()}. */
    SKMEMINFO(7);

    private final int attributeType;

    DumpExtension(int attributeType) {
        this.attributeType = attributeType;
    }

    /**
     * The attribute's {@code INET_DIAG_*} type in {@code include/uapi/linux/inet_diag.h}; the
     * request asks for it with bit {@code 1 << (type - 1)} of {@code idiag_ext}.
     */
    public int attributeType() {
        return attributeType;
    }
}
