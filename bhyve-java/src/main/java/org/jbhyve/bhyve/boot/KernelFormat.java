package org.jbhyve.bhyve.boot;

import java.util.List;

import static org.jbhyve.bhyve.boot.ImageFile.hex;

/**
 * What kind of kernel image a file is, decided by content, in QEMU {@code -kernel}'s order: a valid
 * multiboot header in the first 8 KiB wins (a multiboot kernel is often also an ELF file), then the
 * bzImage signature, then ELF.
 */
public enum KernelFormat {
    MULTIBOOT,
    LINUX,
    ELF;

    /** The format of {@code image} (called {@code name} in messages); fails when it is none of them. */
    public static KernelFormat detect(String name, byte[] image) {
        if (MultibootHeader.find(image) >= 0) return MULTIBOOT;
        if (image.length >= 0x206 && image[0x202] == 'H' && image[0x203] == 'd' && image[0x204] == 'r'
                && image[0x205] == 'S') {
            return LINUX;
        }
        if (image.length >= 4 && image[0] == 0x7f && image[1] == 'E' && image[2] == 'L' && image[3] == 'F') return ELF;
        List<Integer> magics = MultibootHeader.magicOffsets(image);
        if (!magics.isEmpty()) {
            throw MultibootHeader.bad(name, "the multiboot header at offset " + hex(magics.getFirst())
                    + " has a wrong checksum (magic + flags + checksum must be 0 mod 2^32)");
        }
        throw new IllegalArgumentException("cannot boot " + name + ": it is neither a multiboot kernel (no header in"
                + " the first 8 KiB), a Linux bzImage (no \"HdrS\" at offset 0x202) nor an ELF file");
    }
}
