package org.jbhyve.bhyve.boot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.jbhyve.bhyve.boot.ImageFile.hex;

/**
 * The setup header of a Linux x86 bzImage (Documentation/arch/x86/boot.rst), read from offset 0x1f1
 * and checked against the file. Only protocol 2.06 and newer is accepted: that is the first with
 * {@code cmdline_size}, and everything jbhyve does (32/64-bit entry, no real-mode setup) is defined
 * for it. Fields a version does not have take the values the protocol says a loader must assume.
 *
 * @param setupSects      sectors of real-mode setup code after the boot sector (0 already turned into 4)
 * @param syssize         the protected-mode kernel's size in 16-byte paragraphs
 * @param version         protocol version, major in the high byte
 * @param headerEnd       file offset just past the setup header: 0x202 + the jump's displacement byte at 0x201
 * @param initrdAddrMax   highest address the initrd may occupy (inclusive)
 * @param prefAddress     where the kernel prefers to run; 0x100000 before 2.10
 * @param initSize        memory the kernel needs from its runtime start before it is up; 0 before 2.10
 */
record LinuxSetupHeader(int setupSects, long syssize, int version, int loadflags, long initrdAddrMax,
                        long kernelAlignment, boolean relocatable, int xloadflags,
                        long cmdlineSize, long prefAddress, long initSize, int headerEnd) {

    static final int MIN_VERSION = 0x0206;
    static final int SETUP_HEADER = 0x1f1;
    /** struct boot_params has room for the setup header up to here (edd_mbr_sig_buffer follows). */
    static final int BOOT_PARAMS_HEADER_LIMIT = 0x290;
    static final int HDRS = 0x53726448; // "HdrS"
    static final int LOADED_HIGH = 0x01, CAN_USE_HEAP = 0x80;
    static final int XLF_KERNEL_64 = 0x01;
    static final long LEGACY_LOAD_ADDRESS = 0x100000;

    /** Bytes before the protected-mode kernel: the boot sector plus the setup sectors. */
    int setupBytes() { return (setupSects + 1) * 512; }

    /** The kernel has the 64-bit entry point at its load address + 0x200. */
    boolean kernel64() { return (xloadflags & XLF_KERNEL_64) != 0; }

    String versionString() { return versionString(version); }

    static String versionString(int v) { return (v >> 8) + "." + String.format("%02d", v & 0xff); }

    static LinuxSetupHeader parse(String name, byte[] image) {
        if (image.length < 0x208) {
            throw bad(name, "file is " + image.length + " bytes, too short to hold a Linux setup header");
        }
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0x202) != HDRS) throw bad(name, "no \"HdrS\" signature at offset 0x202: not a bzImage");
        if ((b.getShort(0x1fe) & 0xffff) != 0xaa55) {
            throw bad(name, "boot_flag at offset 0x1fe is " + hex(b.getShort(0x1fe) & 0xffff) + ", not 0xaa55");
        }
        int version = b.getShort(0x206) & 0xffff;
        if (version < MIN_VERSION) {
            throw bad(name, "boot protocol " + versionString(version)
                    + " is too old; jbhyve needs 2.06 or newer (Linux 2.6.22 and later)");
        }
        int headerEnd = 0x202 + (image[0x201] & 0xff);
        int needed = version >= 0x020a ? 0x264 : 0x23c;
        if (headerEnd < needed) {
            throw bad(name, "the setup header ends at " + hex(headerEnd) + " but protocol "
                    + versionString(version) + " defines fields up to "
                    + hex(needed));
        }
        if (headerEnd > BOOT_PARAMS_HEADER_LIMIT) {
            throw bad(name, "the setup header claims to end at " + hex(headerEnd) + ", past the "
                    + hex(BOOT_PARAMS_HEADER_LIMIT) + " that struct boot_params has room for");
        }
        if (headerEnd > image.length) throw bad(name, "the file ends inside the setup header (truncated?)");

        int setupSects = image[0x1f1] & 0xff;
        if (setupSects == 0) setupSects = 4;
        long syssize = Integer.toUnsignedLong(b.getInt(0x1f4));
        int loadflags = image[0x211] & 0xff;
        if ((loadflags & LOADED_HIGH) == 0) {
            throw bad(name, "loadflags has no LOADED_HIGH bit: a zImage that must load at 0x10000, which jbhyve"
                    + " does not support");
        }
        long initrdAddrMax = Integer.toUnsignedLong(b.getInt(0x22c));
        long kernelAlignment = Integer.toUnsignedLong(b.getInt(0x230));
        boolean relocatable = image[0x234] != 0;
        int xloadflags = version >= 0x020c ? b.getShort(0x236) & 0xffff : 0;
        long cmdlineSize = Integer.toUnsignedLong(b.getInt(0x238));
        long prefAddress = version >= 0x020a ? b.getLong(0x258) : LEGACY_LOAD_ADDRESS;
        long initSize = version >= 0x020a ? Integer.toUnsignedLong(b.getInt(0x260)) : 0;
        LinuxSetupHeader h = new LinuxSetupHeader(setupSects, syssize, version, loadflags, initrdAddrMax,
                kernelAlignment, relocatable, xloadflags, cmdlineSize, prefAddress, initSize, headerEnd);

        if (h.setupBytes() >= image.length) {
            throw bad(name, "setup_sects says the real-mode part is " + h.setupBytes() + " bytes, but the file has only "
                    + image.length + " (truncated?)");
        }
        long payload = image.length - h.setupBytes();
        if (syssize * 16 > payload) {
            throw bad(name, "syssize says the protected-mode kernel is " + syssize * 16 + " bytes, but only " + payload
                    + " follow the setup code (truncated?)");
        }
        if (relocatable && (kernelAlignment == 0 || Long.bitCount(kernelAlignment) != 1)) {
            throw bad(name, "kernel_alignment " + hex(kernelAlignment) + " is not a power of two");
        }
        if (prefAddress < 0 || prefAddress >= 1L << 32) {
            throw bad(name, "pref_address " + hex(prefAddress) + " is above 4 GiB");
        }
        return h;
    }

    static IllegalArgumentException bad(String name, String why) {
        return new IllegalArgumentException("bad Linux bzImage " + name + ": " + why);
    }
}
