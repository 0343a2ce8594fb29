package dev.ssexporter.netlink;

/** The address families inet_diag reports TCP sockets for. */
public enum AddressFamily {
    /** {@code AF_INET}. */
    INET(2, 4),
    /** {@code AF_INET6}. */
    INET6(10, 16);

    private final int code;
    private final int addressBytes;

    AddressFamily(int code, int addressBytes) {
        this.code = code;
        this.addressBytes = addressBytes;
    }

    /** The kernel's {@code AF_*} number. */
    public int code() {
        return code;
    }

    /** Length of an address of this family, in bytes. */
    public int addressBytes() {
        return addressBytes;
    }

    /**
     * Maps a kernel {@code AF_*} number to a family.
     *
     * @throws IllegalArgumentException for a family inet_diag does not report TCP sockets in
     */
    public static AddressFamily ofCode(int code) {
        return switch (code) {
            case 2 -> INET;
            case 10 -> INET6;
            default -> throw new IllegalArgumentException(
                    "address family " + code + " is neither AF_INET (2) nor AF_INET6 (10)");
        };
    }
}
