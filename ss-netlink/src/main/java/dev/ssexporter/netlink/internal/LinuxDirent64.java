package dev.ssexporter.netlink.internal;

import static dev.ssexporter.netlink.internal.Layouts.U16;
import static dev.ssexporter.netlink.internal.Layouts.U64;
import static dev.ssexporter.netlink.internal.Layouts.U8;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * {@code struct linux_dirent64}, one directory entry as {@code getdents64(2)} writes it
 * ({@code include/linux/dirent.h}):
 *
 * <pre>
 * struct linux_dirent64 {
 *     u64            d_ino;     // 64-bit inode number
 *     s64            d_off;     // offset to the next entry
 *     unsigned short d_reclen;  // size of this record
 *     unsigned char  d_type;    // file type
 *     char           d_name[];  // NUL-terminated file name
 * };
 * </pre>
 *
 * The name starts at {@link #NAME_OFFSET}; the next record starts {@code d_reclen} bytes after
 * this one.
 */
public final class LinuxDirent64 {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            U64.withName("d_ino"),
            U64.withName("d_off"),
            U16.withName("d_reclen"),
            U8.withName("d_type")).withName("linux_dirent64");

    /** {@code offsetof(struct linux_dirent64, d_name)}: 19. */
    public static final int NAME_OFFSET = Layouts.size(LAYOUT);

    public static final VarHandle RECLEN = Layouts.handle(LAYOUT, "d_reclen");

    private LinuxDirent64() {}
}
