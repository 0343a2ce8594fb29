package dev.ssexporter.netlink.internal;

import static dev.ssexporter.netlink.internal.Layouts.U16;
import static dev.ssexporter.netlink.internal.Layouts.U32;
import static dev.ssexporter.netlink.internal.Layouts.U64;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct statx} as {@code statx(2)} fills it ({@code include/uapi/linux/stat.h}); the same
 * layout on every architecture, which {@code struct stat} is not. Only the fields the
 * {@code /proc} walk reads are named; the rest is padding:
 *
 * <pre>
 * struct statx {
 *     __u32 stx_mask;             // what the kernel filled in
 *     __u32 stx_blksize;
 *     __u64 stx_attributes;
 *     __u32 stx_nlink;
 *     __u32 stx_uid;
 *     __u32 stx_gid;
 *     __u16 stx_mode;             // file type and mode
 *     __u16 __spare0[1];
 *     __u64 stx_ino;              // inode number
 *     __u64 stx_size;             // for /proc/PID/fd: the open descriptors (Linux 6.2 and later)
 *     __u64 stx_blocks;
 *     __u64 stx_attributes_mask;
 *     struct statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;  // 16 bytes each
 *     __u32 stx_rdev_major, stx_rdev_minor;
 *     __u32 stx_dev_major;        // the device of the file system holding the file
 *     __u32 stx_dev_minor;
 *     ...                         // 256 bytes in all
 * };
 * </pre>
 */
public final class Statx {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            U32.withName("stx_mask"),
            MemoryLayout.paddingLayout(24),
            U16.withName("stx_mode"),
            MemoryLayout.paddingLayout(2),
            U64.withName("stx_ino"),
            U64.withName("stx_size"),
            MemoryLayout.paddingLayout(88),
            U32.withName("stx_dev_major"),
            U32.withName("stx_dev_minor"),
            MemoryLayout.paddingLayout(112)).withName("statx");

    /** {@code AT_EMPTY_PATH}: with an empty path, the file {@code dirfd} itself. */
    public static final int AT_EMPTY_PATH = 0x1000;
    /**
     * {@code AT_STATX_DONT_SYNC}: attributes as cached, never fetched from a network file
     * system's server (so a hung NFS mount cannot stall the walk).
     */
    public static final int AT_STATX_DONT_SYNC = 0x4000;
    /** {@code STATX_TYPE}: the file type bits of {@code stx_mode}. */
    public static final int STATX_TYPE = 0x1;
    /** {@code STATX_INO}. */
    public static final int STATX_INO = 0x100;
    /** {@code STATX_SIZE}. */
    public static final int STATX_SIZE = 0x200;
    /** {@code S_IFMT}, the file type bits of a mode. */
    public static final int S_IFMT = 0xF000;
    /** {@code S_IFSOCK}. */
    public static final int S_IFSOCK = 0xC000;

    public static final VarHandle MODE = Layouts.handle(LAYOUT, "stx_mode");
    public static final VarHandle INO = Layouts.handle(LAYOUT, "stx_ino");
    public static final VarHandle SIZE = Layouts.handle(LAYOUT, "stx_size");
    public static final VarHandle DEV_MAJOR = Layouts.handle(LAYOUT, "stx_dev_major");
    public static final VarHandle DEV_MINOR = Layouts.handle(LAYOUT, "stx_dev_minor");

    private Statx() {}
}
