package org.jbhyve.vmm.freebsd;

import org.jbhyve.vmm.GuestMemory;
import org.jbhyve.vmm.VmExit;
import org.jbhyve.vmm.x86.AccessType;
import org.jbhyve.vmm.x86.GuestMemoryAccess;
import org.jbhyve.vmm.x86.PageWalker;
import org.jbhyve.vmm.x86.PagingMode;
import org.jbhyve.vmm.x86.PagingState;
import org.jbhyve.vmm.x86.Translation;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.jbhyve.bindings.freebsd.vmm.vmm_h.*;

/**
 * String port I/O ({@code INS}/{@code OUTS}, with or without {@code REP}): {@code VM_EXITCODE_INOUT_STR}.
 *
 * <p>vmm hands these to userland undone: the exit carries the port, the element size, the direction, the
 * index register's value (rSI for OUTS, rDI for INS), the count (rCX with REP, else 1), the address size,
 * the segment (its register name and descriptor base), RFLAGS, CR0 and the paging state. What this class
 * does with them, per exit:
 * <ol>
 *   <li>{@link #begin} takes a batch of up to {@value #MAX_BATCH_BYTES} bytes of elements. For element
 *       {@code i} the offset is {@code index ± i*size} (minus when RFLAGS.DF is set), wrapped to the address
 *       size; the linear address adds the segment base (in 64-bit mode only for FS and GS, and must be
 *       canonical) and wraps at 4 GiB outside 64-bit mode; the emulator's {@link PageWalker} translates it
 *       with the guest's paging ({@code vm_guest_paging} of the exit, CR0 of the exit, CR4 and EFER from the
 *       vCPU), for a write (INS) or a read (OUTS), setting accessed/dirty bits as the processor would. An
 *       element that straddles a page is translated page by page. For OUTS the elements are read from
 *       guest RAM into the exit's data buffer. The batch stops at the first element that cannot be done
 *       (a fault, memory that is not RAM, an alignment check): if that is the first element, the fault is
 *       injected ({@code #PF} with CR2, {@code #GP(0)}/{@code #SS(0)} for a non-canonical address,
 *       {@code #AC(0)}) with the instruction restarted and no exit is returned; otherwise the batch is just
 *       shorter and the instruction, restarted, faults on its own later.</li>
 *   <li>The VMM sees one {@link VmExit.PortIo} with {@code count} = the batch's elements, exactly as KVM
 *       reports a string I/O exit.</li>
 *   <li>{@link #complete}, before the vCPU re-enters the guest: for INS, the values the VMM supplied are
 *       written to the translated guest addresses; then the index register and, with REP, rCX are updated
 *       in one {@code vm_set_register_set} (merged into the old value below 32-bit address size,
 *       zero-extended at 32, whole at 64), and if elements remain RIP is set back to the instruction, so
 *       the guest executes it again (and takes interrupts in between, as with the processor's own
 *       interruptible string instructions). Otherwise RIP is left to the kernel, which already points it
 *       past the instruction ({@code nextrip = rip + inst_length}, computed by {@code vm_run} in the
 *       kernel).</li>
 * </ol>
 * Not checked, as in the instruction emulator: segment limits and access rights, I/O permission bitmaps.
 * Unlike bhyve (16 elements per exit, each its own handler call), a batch is up to a page of data and the
 * VMM handles it with one exit.
 */
final class StringIo {
    /** Largest batch of element data per exit: one page, like KVM's data area. */
    static final int MAX_BATCH_BYTES = 4096;

    private static final long RFLAGS_DF = 1L << 10, RFLAGS_AC = 1L << 18, CR0_AM = 1L << 18;
    private static final int VECTOR_AC = 17, VECTOR_GP = 13, VECTOR_SS = 12, VECTOR_PF = 14;

    private final CpuAccess cpu;
    private final GuestMemory memory;
    private final PageWalker walker;
    private final MemorySegment data;
    private final VmExit.PortIo portIo;
    private final VmExit.InternalError internalError;

    // the exit being worked on
    private int port, size, count, addrsize;
    private boolean in, rep, down;
    private long index, rcx, rip, remaining;
    // the batch: element i is at gpa1[i] (len1[i] bytes) and, when it straddles a page, gpa2[i]
    private final long[] gpa1 = new long[MAX_BATCH_BYTES];
    private final long[] gpa2 = new long[MAX_BATCH_BYTES];
    private final int[] len1 = new int[MAX_BATCH_BYTES];
    private final int[] regs = new int[3];
    private final long[] vals = new long[3];
    private final long[] failure = new long[4];
    private String lastFailure;

    StringIo(CpuAccess cpu, GuestMemory memory, MemorySegment data, VmExit.PortIo portIo, VmExit.InternalError internalError) {
        if (data.byteSize() < MAX_BATCH_BYTES) throw new IllegalArgumentException("data buffer too small");
        this.cpu = cpu;
        this.memory = memory;
        this.walker = new PageWalker(GuestMemoryAccess.of(memory));
        this.data = data;
        this.portIo = portIo;
        this.internalError = internalError;
    }

    /** Why the last {@link #begin} returned an {@link VmExit.InternalError}, or null. */
    String lastFailure() { return lastFailure; }

    /**
     * Starts the {@code VM_EXITCODE_INOUT_STR} exit in {@code exit}. Returns the {@link VmExit.PortIo} to hand to
     * the VMM (then call {@link #complete} before the next entry), an {@link VmExit.InternalError} when the
     * string cannot be done at all (its first element is not in guest RAM, or the paging structures are not),
     * or null when there is nothing for the VMM to do and the guest can be re-entered (a fault was injected, or
     * the count was zero).
     */
    VmExit begin(MemorySegment exit) {
        int bits = exit.get(ValueLayout.JAVA_SHORT, ExitLayout.INOUT_BITS) & 0xffff;
        size = bits & 7;
        in = (bits & 1 << 3) != 0;
        rep = (bits & 1 << 5) != 0;
        port = exit.get(ValueLayout.JAVA_SHORT, ExitLayout.INOUT_PORT) & 0xffff;
        rip = exit.get(ValueLayout.JAVA_LONG, ExitLayout.RIP);
        addrsize = exit.get(ValueLayout.JAVA_INT, ExitLayout.STR_ADDRSIZE);
        index = exit.get(ValueLayout.JAVA_LONG, ExitLayout.STR_INDEX);
        rcx = exit.get(ValueLayout.JAVA_LONG, ExitLayout.STR_COUNT);
        long rflags = exit.get(ValueLayout.JAVA_LONG, ExitLayout.STR_RFLAGS);
        long cr0 = exit.get(ValueLayout.JAVA_LONG, ExitLayout.STR_CR0);
        int segName = exit.get(ValueLayout.JAVA_INT, ExitLayout.STR_SEG_NAME);
        long segBase = exit.get(ValueLayout.JAVA_LONG, ExitLayout.STR_SEG_BASE);
        long cr3 = exit.get(ValueLayout.JAVA_LONG, ExitLayout.STR_PAGING + ExitLayout.PAGING_CR3);
        int cpl = exit.get(ValueLayout.JAVA_INT, ExitLayout.STR_PAGING + ExitLayout.PAGING_CPL);
        int cpuMode = exit.get(ValueLayout.JAVA_INT, ExitLayout.STR_PAGING + ExitLayout.PAGING_CPU_MODE);
        PagingMode pagingMode = PagingMode.fromFreeBsd(exit.get(ValueLayout.JAVA_INT,
                ExitLayout.STR_PAGING + ExitLayout.PAGING_MODE));
        lastFailure = null;

        if ((size != 1 && size != 2 && size != 4) || (addrsize != 2 && addrsize != 4 && addrsize != 8)
                || pagingMode == null || cpl < 0 || cpl > 3) {
            return fail("INOUT_STR exit with element size " + size + ", address size " + addrsize + ", paging mode "
                    + exit.get(ValueLayout.JAVA_INT, ExitLayout.STR_PAGING + ExitLayout.PAGING_MODE) + ", cpl " + cpl,
                    0, 0);
        }
        long amask = FreeBsdState.mask(addrsize);
        long total = rep ? rcx & amask : 1;
        if (total == 0) {
            remaining = 0;
            count = 0;
            return null; // REP with a zero count: nothing happens; the kernel's RIP is already past it
        }
        boolean mode64 = cpuMode == CPU_MODE_64BIT;
        down = (rflags & RFLAGS_DF) != 0;
        boolean alignmentChecks = cpl == 3 && (cr0 & CR0_AM) != 0 && (rflags & RFLAGS_AC) != 0;
        PagingState paging = pagingMode == PagingMode.FLAT ? PagingState.flat()
                : PagingState.fromRegisters(pagingMode, cr3, cpl, cr0, cpu.register(VM_REG_GUEST_CR4),
                cpu.register(VM_REG_GUEST_EFER), rflags);
        AccessType access = in ? AccessType.WRITE : AccessType.READ;
        long base = mode64 ? (segName == VM_REG_GUEST_FS || segName == VM_REG_GUEST_GS ? segBase : 0) : segBase;

        int max = (int) Math.min(total, MAX_BATCH_BYTES / size);
        int n = 0;
        long cachedPage = -1, cachedGpaPage = 0;
        while (n < max) {
            long offset = (down ? index - (long) n * size : index + (long) n * size) & amask;
            long linear = mode64 ? base + offset : (base + offset) & 0xffff_ffffL;
            if (mode64 && !PageWalker.canonical(linear, paging.mode() == PagingMode.LEVEL5 ? 57 : 48)) {
                if (n == 0) {
                    cpu.injectException(segName == VM_REG_GUEST_SS ? VECTOR_SS : VECTOR_GP, true, 0, true);
                    return null;
                }
                break;
            }
            if (alignmentChecks && (linear & (size - 1)) != 0) {
                if (n == 0) {
                    cpu.injectException(VECTOR_AC, true, 0, true);
                    return null;
                }
                break;
            }
            int first = (int) Math.min(size, 4096 - (linear & 0xfff));
            long g1, g2 = 0;
            // first piece
            long page = linear & ~0xfffL;
            if (page == cachedPage) {
                g1 = cachedGpaPage | (linear & 0xfff);
            } else {
                Translation t = walker.translate(paging, linear, access);
                if (!(t instanceof Translation.Mapped m)) {
                    if (n == 0) return fault(t, linear, segName);
                    break;
                }
                g1 = m.gpa();
                cachedPage = page;
                cachedGpaPage = g1 & ~0xfffL;
            }
            if (first < size) { // straddles a page boundary: the rest is on the next linear page
                long next = mode64 ? linear + first : (linear + first) & 0xffff_ffffL;
                Translation t = walker.translate(paging, next, access);
                if (!(t instanceof Translation.Mapped m)) {
                    if (n == 0) return fault(t, next, segName);
                    break;
                }
                g2 = m.gpa();
                cachedPage = next & ~0xfffL;
                cachedGpaPage = g2 & ~0xfffL;
            }
            if (!memory.isRam(g1, first) || (first < size && !memory.isRam(g2, size - first))) {
                if (n == 0) {
                    return fail((in ? "rep ins" : "rep outs") + " on port 0x" + Integer.toHexString(port)
                            + " at linear address 0x" + Long.toHexString(linear) + " (guest physical 0x"
                            + Long.toHexString(first < size && memory.isRam(g1, first) ? g2 : g1)
                            + ") is not guest RAM; string I/O to device memory is not supported", linear, g1);
                }
                break;
            }
            gpa1[n] = g1;
            gpa2[n] = g2;
            len1[n] = first;
            n++;
        }
        count = n;
        remaining = total - n;
        if (in) {
            data.asSlice(0, (long) n * size).fill((byte) 0xff); // what an unanswered IN reads: all ones
        } else {
            for (int i = 0; i < n; i++) {
                long at = (long) i * size;
                MemorySegment.copy(memory.readSlice(gpa1[i], len1[i]), 0, data, at, len1[i]);
                if (len1[i] < size) MemorySegment.copy(memory.readSlice(gpa2[i], size - len1[i]), 0, data, at + len1[i],
                        size - len1[i]);
            }
        }
        portIo.set(port, size, in, n, data, 0);
        return portIo;
    }

    private VmExit fault(Translation t, long linear, int segName) {
        switch (t) {
            case Translation.PageFault pf -> {
                cpu.setRegister(VM_REG_GUEST_CR2, pf.linear());
                cpu.injectException(VECTOR_PF, true, pf.errorCode(), true);
                return null;
            }
            case Translation.NonCanonical nc -> {
                cpu.injectException(segName == VM_REG_GUEST_SS ? VECTOR_SS : VECTOR_GP, true, 0, true);
                return null;
            }
            case Translation.Failed f -> {
                return fail((in ? "rep ins" : "rep outs") + " on port 0x" + Integer.toHexString(port) + ": "
                        + f.reason(), linear, 0);
            }
            case Translation.Mapped m -> throw new AssertionError(m);
        }
    }

    private VmExit fail(String why, long linear, long gpa) {
        lastFailure = why + " (rip 0x" + Long.toHexString(rip) + ")";
        count = 0;
        remaining = 0;
        failure[0] = port;
        failure[1] = rip;
        failure[2] = linear;
        failure[3] = gpa;
        internalError.set(1, failure, 4);
        return internalError;
    }

    /**
     * Finishes the batch {@link #begin} handed out: stores the VMM's INS values in guest RAM, advances the index
     * register and rCX, and restarts the instruction if elements remain.
     */
    void complete() {
        int n = count;
        if (n == 0) return;
        if (in) {
            for (int i = 0; i < n; i++) {
                long at = (long) i * size;
                memory.write(gpa1[i], data, at, len1[i]);
                if (len1[i] < size) memory.write(gpa2[i], data, at + len1[i], size - len1[i]);
            }
        }
        long moved = (long) n * size;
        int k = 0;
        regs[k] = in ? VM_REG_GUEST_RDI : VM_REG_GUEST_RSI;
        vals[k++] = FreeBsdState.merge(index, down ? index - moved : index + moved, addrsize);
        if (rep) {
            regs[k] = VM_REG_GUEST_RCX;
            vals[k++] = FreeBsdState.merge(rcx, (rcx & FreeBsdState.mask(addrsize)) - n, addrsize);
        }
        if (remaining != 0) {
            regs[k] = VM_REG_GUEST_RIP;
            vals[k++] = rip;
        }
        cpu.setRegisters(k, regs, vals);
        count = 0;
    }

    /** Elements of the current batch. */
    int batch() { return count; }

    /** Elements left after the current batch. */
    long remaining() { return remaining; }
}
