package dev.ssexporter.netlink;

/**
 * The {@code INET_DIAG_MEMINFO} attribute, {@code struct inet_diag_meminfo}: queue memory in bytes.
 *
 * @param rmem bytes in the receive queue ({@code idiag_rmem})
 * @param wmem bytes in the write queue ({@code idiag_wmem})
 * @param fmem bytes allocated in advance ({@code idiag_fmem})
 * @param tmem bytes queued for transmission ({@code idiag_tmem})
 */
public record MemInfo(long rmem, long wmem, long fmem, long tmem) {}
