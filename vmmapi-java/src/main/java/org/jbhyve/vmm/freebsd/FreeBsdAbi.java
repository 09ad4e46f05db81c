package org.jbhyve.vmm.freebsd;

import org.jbhyve.bindings.freebsd.vmm.vm_memseg;
import org.jbhyve.bindings.freebsd.vmm.vm_memseg_fbsd14;
import org.jbhyve.bindings.freebsd.vmm.vmm_h;
import org.jbhyve.vmm.GuestMemory;
import org.jbhyve.vmm.VmmException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * The two memory-segment ABIs of FreeBSD's vmm that jbhyve speaks (shared/reference/freebsd-bhyve.md,
 * section 2, "Guest memory"):
 * <ul>
 *   <li>{@link #FREEBSD_15}: {@code struct vm_memseg} is 56 bytes (with the NUMA domain-set fields), so
 *       {@code VM_ALLOC_MEMSEG}/{@code VM_GET_MEMSEG} are 0x8038760E/0xC038760F, and the segment IDs are
 *       {@code VM_SYSMEM} 0..7 (one per domain), {@code VM_BOOTROM} 8, {@code VM_FRAMEBUFFER} 9,
 *       {@code VM_PCIROM} 10;</li>
 *   <li>{@link #FREEBSD_14}: a 32-byte {@code struct vm_memseg}, other request numbers (the size is part of
 *       the request), and the IDs 0/1/2/3.</li>
 * </ul>
 *
 * <p><b>How the backend chooses, at run time.</b> Not from the release number alone: the 56-byte struct
 * arrived during 15-CURRENT, so a {@code kern.osreldate} boundary would be a guess. Instead, once
 * {@code vm_setup_memory} has created the system-memory segment, {@link #probe} asks the kernel for it with
 * the FreeBSD 15 request ({@code VM_GET_MEMSEG}, 56 bytes). A kernel that has that ABI answers with the
 * segment (and its length, which is checked); one that does not know the request number answers ENOTTY
 * (vmm_dev.c's answer to any command missing from its tables), and the FreeBSD 14 request is tried next.
 * A FreeBSD 15 kernel with {@code COMPAT_FREEBSD14} also accepts the old request, which is why the new one
 * is asked first. {@code kern.osreldate} only goes into messages. Reading a segment is harmless, so the
 * probe has no side effect.
 *
 * <p><b>The length of the system-memory segment</b>, which the probe checks, depends on the libvmmapi that
 * allocated it, not only on the kernel. FreeBSD 14's {@code vm_setup_memory} allocates one object covering the
 * guest-physical range, hole included ({@code objsize = 4*GB + highmem} when RAM goes above 3 GiB, and maps each
 * range at segment offset = GPA). FreeBSD 15's ({@code vm_setup_memory} calls {@code vm_setup_memory_domains},
 * one segment per NUMA domain) allocates exactly the RAM size ({@code vm_alloc_memseg(ctx, segid, dom->size)})
 * and maps highmem at segment offset 3 GiB. So on {@link #FREEBSD_15} a guest of more than 3 GiB has a segment
 * of lowmem + highmem bytes; {@link #sysmemLengthMatches} also accepts the 14 length there, which a FreeBSD 14
 * libvmmapi (a 14 userland on a 15 kernel, through {@code COMPAT_FREEBSD14}) would have allocated.
 *
 * <p>libvmmapi itself is built for the ABI of the release it ships with; what jbhyve needs the answer for is
 * the segment IDs it passes to {@code vm_create_devmem}/{@code vm_mmap_memseg} (a boot ROM is segment 8 on
 * 15 and 1 on 14) and the struct it uses for its own {@code VM_GET_MEMSEG} calls.
 */
public enum FreeBsdAbi {
    FREEBSD_14(vmm_h.VM_GET_MEMSEG_FBSD14, vm_memseg_fbsd14.sizeof(), vmm_h.VM_SYSMEM_FBSD14, vmm_h.VM_BOOTROM_FBSD14,
            vmm_h.VM_FRAMEBUFFER_FBSD14, vmm_h.VM_PCIROM_FBSD14),
    FREEBSD_15(vmm_h.VM_GET_MEMSEG, vm_memseg.sizeof(), vmm_h.VM_SYSMEM, vmm_h.VM_BOOTROM, vmm_h.VM_FRAMEBUFFER,
            vmm_h.VM_PCIROM);

    private final long getMemseg;
    private final long memsegSize;
    private final int sysmem, bootrom, framebuffer, pcirom;

    FreeBsdAbi(long getMemseg, long memsegSize, int sysmem, int bootrom, int framebuffer, int pcirom) {
        this.getMemseg = getMemseg;
        this.memsegSize = memsegSize;
        this.sysmem = sysmem;
        this.bootrom = bootrom;
        this.framebuffer = framebuffer;
        this.pcirom = pcirom;
    }

    /** The {@code VM_GET_MEMSEG} request number of this ABI. */
    public long getMemsegRequest() { return getMemseg; }

    /** Bytes of this ABI's {@code struct vm_memseg}. */
    public long memsegSize() { return memsegSize; }

    /** The system-memory segment (domain 0). */
    public int sysmemSegment() { return sysmem; }

    /** The boot ROM device-memory segment. */
    public int bootromSegment() { return bootrom; }

    public int framebufferSegment() { return framebuffer; }

    public int pciromSegment() { return pcirom; }

    /** A memory segment as the kernel reports it: its length (0 when not allocated) and name (empty for system memory). */
    public record Memseg(int segid, long length, String name) {}

    /** {@code VM_GET_MEMSEG} for {@code segid} on VM device {@code fd} with this ABI's struct. */
    public Memseg getMemseg(Vmmapi api, int fd, int segid) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(memsegSize, 8);
            m.set(ValueLayout.JAVA_INT, vm_memseg.segid$offset(), segid); // same offsets in both layouts
            int e = api.ioctl(fd, getMemseg, m);
            if (e != 0) throw FreeBsdErrors.failed("VM_GET_MEMSEG (" + this + " layout)", "segment " + segid, e);
            return memseg(m, segid);
        }
    }

    static Memseg memseg(MemorySegment m, int segid) {
        long len = m.get(ValueLayout.JAVA_LONG, vm_memseg.len$offset());
        String name = m.asSlice(vm_memseg.name$offset(), 16).getString(0, StandardCharsets.US_ASCII);
        return new Memseg(segid, len, name);
    }

    /**
     * Whether {@code length}, the length {@code VM_GET_MEMSEG} reports for the system-memory segment, is what
     * {@code vm_setup_memory} allocates for {@code lowmem} bytes below 3 GiB and {@code highmem} bytes from
     * {@link GuestMemory#HIGHMEM_BASE} with this ABI's libvmmapi (see the class comment): on 14,
     * {@code highmem > 0 ? 4 GiB + highmem : lowmem}; on 15, {@code lowmem + highmem} (or the 14 length).
     */
    boolean sysmemLengthMatches(long length, long lowmem, long highmem) {
        long spanning = highmem > 0 ? GuestMemory.HIGHMEM_BASE + highmem : lowmem;
        return switch (this) {
            case FREEBSD_14 -> length == spanning;
            case FREEBSD_15 -> length == lowmem + highmem || length == spanning;
        };
    }

    /**
     * Finds the ABI of the kernel behind VM device {@code fd}, whose system memory has been set up by
     * {@code vm_setup_memory} with {@code lowmem} bytes at GPA 0 and {@code highmem} bytes at 4 GiB. See the class
     * comment.
     *
     * @param osreldate {@code kern.osreldate}, for the message only
     */
    public static FreeBsdAbi probe(Vmmapi api, int fd, long lowmem, long highmem, OptionalLong osreldate) {
        StringBuilder tried = new StringBuilder();
        for (FreeBsdAbi abi : new FreeBsdAbi[] {FREEBSD_15, FREEBSD_14}) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment m = a.allocate(abi.memsegSize, 8);
                m.set(ValueLayout.JAVA_INT, vm_memseg.segid$offset(), abi.sysmem);
                int e = api.ioctl(fd, abi.getMemseg, m);
                if (e == 0) {
                    Memseg seg = memseg(m, abi.sysmem);
                    if (!abi.sysmemLengthMatches(seg.length(), lowmem, highmem)) {
                        throw new VmmException("the " + abi + " VM_GET_MEMSEG request (0x" + Long.toHexString(abi.getMemseg)
                                + ") reports a system-memory segment of " + seg.length() + " bytes where vm_setup_memory"
                                + " set up " + lowmem + " bytes of lowmem and " + highmem + " of highmem; jbhyve does not"
                                + " understand this kernel's memory segments" + release(osreldate));
                    }
                    return abi;
                }
                tried.append(tried.isEmpty() ? "" : ", ").append(abi).append(" request 0x")
                        .append(Long.toHexString(abi.getMemseg)).append(": ").append(FreeBsdErrors.describe(e));
                if (e != FreeBsdErrors.ENOTTY) break;
            }
        }
        throw new VmmException("cannot tell which vm_memseg ABI this kernel's vmm speaks (" + tried + ")"
                + release(osreldate) + "; jbhyve knows the FreeBSD 14 and 15 ones");
    }

    private static String release(OptionalLong osreldate) {
        return osreldate.isPresent() ? " [kern.osreldate " + osreldate.getAsLong() + "]" : "";
    }
}
