package org.jbhyve.vmm;

import org.jbhyve.vmm.state.KernelState;

import java.util.List;
import java.util.Set;

/** A virtual machine: guest memory, vCPUs and interrupt lines. Closing it destroys it. */
public interface VirtualMachine extends AutoCloseable {
    VmConfig config();

    default String name() { return config().name(); }

    GuestMemory memory();

    List<Vcpu> vcpus();

    default Vcpu vcpu(int id) { return vcpus().get(id); }

    /** The platform devices the kernel emulates for this VM; the VMM supplies the others. */
    Set<PlatformDevice> kernelDevices();

    /** Drives interrupt line {@code irq} (an ISA IRQ 0-15 also reaches the PIC; 16-23 only the IOAPIC). */
    void setIrqLine(int irq, boolean asserted);

    default void assertIrq(int irq) { setIrqLine(irq, true); }

    default void deassertIrq(int irq) { setIrqLine(irq, false); }

    /** Raises and lowers line {@code irq}: an edge. */
    default void pulseIrq(int irq) {
        setIrqLine(irq, true);
        setIrqLine(irq, false);
    }

    /** Number of interrupt lines (IOAPIC pins). */
    int irqLineCount();

    /**
     * Maps extra guest memory outside RAM, such as a boot ROM ({@code readOnly}: guest writes become
     * MMIO exits) or its writable variable store. The range must not overlap RAM or another mapping.
     * The returned host memory stays valid until the VM is closed.
     */
    java.lang.foreign.MemorySegment mapMemory(String name, long gpa, long size, boolean readOnly);

    /**
     * The descriptor guest RAM is a shared mapping of, when it is one (memfd-backed RAM): lowmem at file
     * offset 0, highmem right after it.
     */
    default java.util.OptionalInt ramFd() {
        return java.util.OptionalInt.empty();
    }

    /**
     * Replaces guest RAM with {@code source}'s pages, as if the VM had been created with that
     * {@link VmConfig#backing()}: how a VM built ahead of time (a standby's) takes a snapshot's RAM. Only
     * for a VM whose vCPUs have never run and whose RAM nothing has written, because the old contents
     * are dropped (KVM: the file is mapped over the same host addresses, so memory slots and every
     * {@link GuestMemory} segment stay valid; FreeBSD: the file's non-zero blocks are copied in).
     *
     * @throws VmmException if the file does not cover the RAM or cannot be mapped; RAM is then unchanged
     */
    default void replaceRam(MemorySource.FilePrivate source) {
        throw new UnsupportedOperationException("this backend cannot replace guest RAM of an existing VM");
    }

    /**
     * Which {@code blockSize} pieces of RAM region {@code region} may hold non-zero bytes, found without
     * reading (or allocating) guest memory; every block not in the set is all zeros. Empty when the
     * backend cannot tell (then every block must be read). For a paused VM: the answer is for now.
     * A checkpoint uses it so that never-touched RAM is neither read nor allocated on the host.
     */
    default java.util.Optional<java.util.BitSet> ramBlocksWithData(GuestMemory.Region region, long blockSize) {
        return java.util.Optional.empty();
    }

    /**
     * Checks that every page of guest RAM can still be read. RAM mapped from a file (a restore) is a private
     * mapping of that file: truncated after the restore, every page past its new end is gone (the kernel
     * removes private copies too), and reading them raises SIGBUS, which code reading RAM in bulk (a checkpoint's checksums)
     * cannot survive. A checkpoint asks before it reads RAM.
     *
     * @throws VmmException naming the file and its lengths, when RAM is backed by a file now too short
     */
    default void checkRamReadable() {}

    /**
     * For RAM mapped from a file (a KVM restore): why that file's contents may have changed since the restore
     * checked it (its length or modification time is not what it was), or null when they have not, or RAM is not
     * a file mapping. Such a change shows through every page the guest has not written, and no dirty log sees
     * it. The lease ({@link #leaseRamFile()}) keeps writers out, but not where none could be taken, and not once
     * the kernel's lease-break-time has run out while a writer waits (for a checkpoint in progress, say). A
     * checkpoint asks once it has copied RAM: a change while it copied would leave pages in the snapshot that the
     * guest no longer had. A rename, a link or a chmod of the file changes nothing here.
     */
    default String ramFileRewritten() {
        return null;
    }

    /**
     * For RAM mapped from a file: takes a read lease on it, so that the kernel tells this process (SIGIO)
     * before anyone opens the file for writing or truncates it, and holds them back until the lease is given
     * up (at most {@code /proc/sys/fs/lease-break-time}). A truncation removes a private mapping's pages past
     * the new end, the guest's own writes included, and a rewrite shows through the pages the guest has not
     * written: the VMM must {@link #detachRamFromFile()} first. Returns null when the lease is held, else why
     * not ("EAGAIN (the file is open for writing)").
     *
     * @throws VmmException when the file was written or truncated between its mapping and the lease
     */
    default String leaseRamFile() {
        return "guest RAM is not mapped from a file";
    }

    /** True when guest RAM is a mapping of a file (a KVM restore), which {@link #leaseRamFile()} can guard. */
    default boolean ramMappedFromFile() {
        return false;
    }

    /** Gives up the lease {@link #leaseRamFile()} took, when RAM cannot be copied out: the writer goes ahead. */
    default void releaseRamFileLease() {}

    /** True when RAM is mapped from a file whose lease a writer or a truncation is breaking. */
    default boolean ramFileLeaseBroken() {
        return false;
    }

    /**
     * Copies guest RAM out of the file it is mapped from into memory of its own, mapped at the same host
     * addresses, and lets the file go (its lease too). Nothing may touch RAM meanwhile: pause the vCPUs and
     * devices first. Returns false when RAM was not file-backed.
     */
    default boolean detachRamFromFile() {
        return false;
    }

    /**
     * Starts logging which guest RAM pages the guest writes (and the kernel on its behalf, e.g. a
     * paravirtual clock page), for a live checkpoint. Returns false when this backend cannot; a checkpoint
     * then copies RAM with the guest paused. The VMM's own writes are not in this log:
     * {@link GuestMemory#startWriteLog()} has those.
     */
    default boolean startDirtyLog() {
        return false;
    }

    /**
     * Takes the dirty log of {@code region} (one of {@code memory().regions()}): the pages written since
     * {@link #startDirtyLog()} or the previous call, which this call clears. Bit {@code p % 64} of word
     * {@code p / 64} is the page at {@code region.gpa() + p * 4096}.
     */
    default long[] takeDirtyLog(GuestMemory.Region region) {
        throw new UnsupportedOperationException("this backend has no dirty-page log");
    }

    /** Stops the dirty-page log (idempotent). */
    default void stopDirtyLog() {}

    /** Delivers an MSI: {@code address} in the 0xfeexxxxx window, {@code data} the message. */
    void sendMsi(long address, int data);

    /**
     * Takes the VM-wide state that the hypervisor's kernel keeps outside the vCPUs: the in-kernel
     * interrupt controllers and timers and the guest clock, as opaque blobs for a snapshot to store.
     * Which blobs there are depends on the backend and on {@link #kernelDevices()}; on KVM see
     * {@link org.jbhyve.vmm.kvm.KvmKernelState}.
     *
     * <p>Stop every vCPU first ({@link Vcpu#kick()}, {@link Vcpu#run()} returned
     * {@link VmExit.Stopped}), and stop the device models that raise interrupt lines, so that the
     * interrupt controllers do not change between this call and the vCPUs' {@link Vcpu#saveState()}.
     * Timers in the kernel keep counting; that is what their saved state expresses.
     */
    List<KernelState> saveKernelState();

    /** The names {@link #saveKernelState()} produces on this backend (what a snapshot reader must accept). */
    List<String> kernelStateNames();

    /**
     * Puts back blobs from {@link #saveKernelState()}, in the order the backend needs whatever the
     * order of the list. Meant for a fresh VM with the same configuration whose vCPUs have not run. The
     * recommended place is after every vCPU's {@link Vcpu#restoreState} and just before the vCPUs run:
     * the guest clock then restarts at the last moment. (On KVM, restoring it before the vCPUs works
     * too; the tests run both orders.)
     *
     * <p>Every blob is checked before any is applied: an unknown name, a name given twice, a version
     * this backend does not know, a blob of the wrong size, or a blob for a device this VM does not
     * have (an interrupt controller without the in-kernel irqchip) fails with
     * {@link IllegalArgumentException} and changes nothing. Blobs missing from the list are left as
     * they are.
     */
    void restoreKernelState(List<KernelState> states);

    @Override
    void close();
}
