package org.jbhyve.bhyve.boot;

import org.jbhyve.vmm.GuestMemory;

/**
 * Guest RAM as a boot loader plans against it, before the VM exists: bhyve's split of RAM into
 * lowmem at GPA 0 (at most 3 GiB) and highmem at 4 GiB. Knowing it up front lets every loader check
 * that an image fits before a VM is created or a byte is written.
 */
public record RamLayout(long lowmemBytes, long highmemBytes) {
    public RamLayout {
        if (lowmemBytes <= 0 || lowmemBytes > GuestMemory.LOWMEM_LIMIT || highmemBytes < 0
                || (highmemBytes > 0 && lowmemBytes != GuestMemory.LOWMEM_LIMIT)) {
            throw new IllegalArgumentException("not a bhyve RAM layout: lowmem " + lowmemBytes + ", highmem "
                    + highmemBytes);
        }
    }

    /** The layout the VMM gives a guest of {@code totalBytes} of RAM. */
    public static RamLayout of(long totalBytes) {
        return new RamLayout(GuestMemory.lowmemSize(totalBytes), GuestMemory.highmemSize(totalBytes));
    }

    public static RamLayout of(GuestMemory memory) {
        return new RamLayout(memory.lowmemSize(), memory.highmemSize());
    }

    /** End (exclusive) of lowmem: the highest RAM a 32-bit structure can use. */
    public long lowmemEnd() { return lowmemBytes; }

    public long totalBytes() { return lowmemBytes + highmemBytes; }

    /** True when {@code [gpa, gpa+length)} lies inside one RAM region (the rule {@link GuestMemory} enforces). */
    public boolean isRam(long gpa, long length) {
        if (gpa < 0 || length < 0 || gpa + length < gpa) return false;
        long end = gpa + length;
        if (end <= lowmemBytes) return true;
        return highmemBytes > 0 && gpa >= GuestMemory.HIGHMEM_BASE && end <= GuestMemory.HIGHMEM_BASE + highmemBytes;
    }

    /** Fails with {@link IllegalStateException} when {@code vm}'s RAM is not what the plan was made for. */
    void requireSameAs(GuestMemory memory, String planned) {
        RamLayout actual = of(memory);
        if (!actual.equals(this)) {
            throw new IllegalStateException(planned + " was prepared for " + describe() + " of RAM, but the VM has "
                    + actual.describe());
        }
    }

    String describe() {
        return (totalBytes() >> 20) + " MiB";
    }
}
