package dev.ssexporter.netlink;

/**
 * The {@code INET_DIAG_SKMEMINFO} attribute: the socket's {@code SK_MEMINFO_*} array, in bytes, as
 * {@code ss -m} prints it ({@code skmem:(r,rb,t,tb,f,w,o,bl,d)}).
 *
 * @param rmemAlloc {@code SK_MEMINFO_RMEM_ALLOC}
 * @param rcvBuf {@code SK_MEMINFO_RCVBUF}
 * @param wmemAlloc {@code SK_MEMINFO_WMEM_ALLOC}
 * @param sndBuf {@code SK_MEMINFO_SNDBUF}
 * @param fwdAlloc {@code SK_MEMINFO_FWD_ALLOC}
 * @param wmemQueued {@code SK_MEMINFO_WMEM_QUEUED}
 * @param optMem {@code SK_MEMINFO_OPTMEM}
 * @param backlog {@code SK_MEMINFO_BACKLOG}; -1 when the kernel's array is too short to hold it
 * @param drops {@code SK_MEMINFO_DROPS}; -1 when the kernel's array is too short to hold it
 */
public record SkMemInfo(long rmemAlloc, long rcvBuf, long wmemAlloc, long sndBuf, long fwdAlloc,
                        long wmemQueued, long optMem, long backlog, long drops) {}
