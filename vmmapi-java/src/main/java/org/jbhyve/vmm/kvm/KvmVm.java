package org.jbhyve.vmm.kvm;

import org.jbhyve.bindings.libc.Errno;
import org.jbhyve.bindings.libc.libc_h;
import org.jbhyve.bindings.linux.kvm.*;
import org.jbhyve.vmm.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.jbhyve.bindings.linux.kvm.kvm_h.*;

/** A KVM virtual machine. */
public final class KvmVm implements VirtualMachine {
    /**
     * Where KVM puts the three-page TSS and the identity-map page that VMX needs for real mode on old
     * CPUs: just below the 16 MiB that bhyve reserves under 4 GiB for the boot ROM, so neither can
     * collide with RAM (which stops at 3 GiB) or a ROM image.
     */
    static final long IDENTITY_MAP_ADDR = 0xfeffc000L;
    static final long TSS_ADDR = 0xfeffd000L;
    /** IOAPIC pins of KVM's in-kernel IOAPIC. */
    static final int IOAPIC_PINS = 24;

    private final KvmHypervisor hv;
    private final KvmFd vm;
    private final VmConfig config;
    private final Arena memoryArena = Arena.ofShared();
    private final GuestMemory memory;
    private volatile int memfd;
    /** The file guest RAM is a private mapping of (a snapshot), kept open to ask it for holes; else -1. */
    private volatile int ramFile = -1;
    private volatile MemorySource.FilePrivate ramFileSource;
    private final List<Vcpu> vcpus;
    private final Set<PlatformDevice> kernelDevices;
    private final MemorySegment irqLevel = Arena.ofAuto().allocate(kvm_irq_level.layout());
    private final Object irqLock = new Object();
    private final int xsaveSize;
    private final List<long[]> extraMappings = new ArrayList<>();
    private volatile boolean closed;
    private volatile boolean dirtyLogging;

    KvmVm(KvmHypervisor hv, KvmFd vm, VmConfig config) {
        this.hv = hv;
        this.vm = vm;
        this.config = config;
        int fdForMemory = -1;
        List<Vcpu> created = new ArrayList<>();
        try {
            vm.ioctl("KVM_SET_IDENTITY_MAP_ADDR", KVM_SET_IDENTITY_MAP_ADDR, longArg(IDENTITY_MAP_ADDR));
            vm.ioctl("KVM_SET_TSS_ADDR", KVM_SET_TSS_ADDR, TSS_ADDR);
            if (config.kernelIrqchip()) {
                vm.ioctl("KVM_CREATE_IRQCHIP", KVM_CREATE_IRQCHIP, 0L);
                try (Arena a = Arena.ofConfined()) {
                    MemorySegment pit = kvm_pit_config.allocate(a);
                    kvm_pit_config.flags(pit, KVM_PIT_SPEAKER_DUMMY);
                    vm.ioctl("KVM_CREATE_PIT2", KVM_CREATE_PIT2, pit);
                }
                kernelDevices = EnumSet.of(PlatformDevice.LAPIC, PlatformDevice.IOAPIC, PlatformDevice.PIC_8259,
                        PlatformDevice.PIT_8254);
            } else {
                kernelDevices = EnumSet.noneOf(PlatformDevice.class);
            }
            long low = GuestMemory.lowmemSize(config.memoryBytes());
            long high = GuestMemory.highmemSize(config.memoryBytes());
            MemorySegment lowHost, highHost = null;
            // if/else, not a pattern switch over the sealed MemorySource: linking such a switch's enum and
            // class constants takes a cold bhyve -r 10-15 ms of interpreted bootstrap code.
            MemorySource backing = config.backing();
            if (backing instanceof MemorySource.FilePrivate f) {
                ramFile = KvmMemory.openRamFile(f, low, high);
                ramFileSource = f;
                MemorySegment[] mapped = KvmMemory.mapFilePrivate(ramFile, f, low, high, memoryArena);
                lowHost = mapped[0];
                highHost = mapped[1];
            } else if (backing == MemoryBacking.MEMFD) {
                fdForMemory = KvmMemory.memfd("jbhyve:" + config.name(), config.memoryBytes());
                lowHost = KvmMemory.mapShared(fdForMemory, 0, low, memoryArena);
                if (high > 0) highHost = KvmMemory.mapShared(fdForMemory, low, high, memoryArena);
            } else if (backing == MemoryBacking.ANONYMOUS) {
                lowHost = KvmMemory.mapAnonymous(low, memoryArena);
                if (high > 0) highHost = KvmMemory.mapAnonymous(high, memoryArena);
            } else {
                throw new IllegalArgumentException("unknown memory backing " + backing);
            }
            setMemoryRegion(0, 0, lowHost);
            if (highHost != null) setMemoryRegion(1, GuestMemory.HIGHMEM_BASE, highHost);
            this.memory = new GuestMemory(new GuestMemory.Region(0, low, lowHost),
                    highHost == null ? null : new GuestMemory.Region(GuestMemory.HIGHMEM_BASE, high, highHost));
            this.memfd = fdForMemory;
            for (int id = 0; id < config.vcpus(); id++) {
                int fd = vm.ioctl("KVM_CREATE_VCPU", KVM_CREATE_VCPU, id);
                KvmVcpu v = new KvmVcpu(this, new KvmFd(fd, "vcpu " + id + " of vm '" + config.name() + "'"), id,
                        hv.vcpuMmapSize());
                created.add(v);
                v.setCpuid(KvmCpuid.forVcpu(hv.supportedCpuid(), id, config.vcpus()));
            }
            this.vcpus = List.copyOf(created);
            int xsave2 = vm.ioctl("KVM_CHECK_EXTENSION", KVM_CHECK_EXTENSION, KVM_CAP_XSAVE2);
            this.xsaveSize = (int) Math.max(xsave2, kvm_xsave.sizeof());
        } catch (RuntimeException e) {
            for (Vcpu v : created) ((KvmVcpu) v).close();
            memoryArena.close();
            if (fdForMemory >= 0) KvmMemory.closeFd(fdForMemory);
            if (ramFile >= 0) KvmMemory.closeFd(ramFile);
            vm.close();
            throw e;
        }
    }

    private static MemorySegment longArg(long v) {
        MemorySegment s = Arena.ofAuto().allocate(8, 8);
        s.set(java.lang.foreign.ValueLayout.JAVA_LONG, 0, v);
        return s;
    }

    private void setMemoryRegion(int slot, long gpa, MemorySegment host) {
        setMemoryRegion(slot, gpa, host, 0);
    }

    private void setMemoryRegion(int slot, long gpa, MemorySegment host, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment r = kvm_userspace_memory_region.allocate(a);
            kvm_userspace_memory_region.slot(r, slot);
            kvm_userspace_memory_region.flags(r, flags);
            kvm_userspace_memory_region.guest_phys_addr(r, gpa);
            kvm_userspace_memory_region.memory_size(r, host.byteSize());
            kvm_userspace_memory_region.userspace_addr(r, host.address());
            vm.ioctl("KVM_SET_USER_MEMORY_REGION", KVM_SET_USER_MEMORY_REGION, r);
        }
    }

    KvmFd fd() { return vm; }

    KvmHypervisor hypervisor() { return hv; }

    /** Bytes of the XSAVE area KVM_GET_XSAVE2 returns (at least the 4 KiB of KVM_GET_XSAVE). */
    int xsaveSize() { return xsaveSize; }

    /**
     * The memfd behind guest RAM (lowmem at offset 0, highmem after it), or -1 for anonymous RAM and RAM
     * mapped from a file.
     */
    public int memoryFd() { return memfd; }

    @Override
    public java.util.OptionalInt ramFd() {
        return memfd >= 0 ? java.util.OptionalInt.of(memfd) : java.util.OptionalInt.empty();
    }

    @Override
    public synchronized void replaceRam(MemorySource.FilePrivate source) {
        if (closed) throw new IllegalStateException("VM '" + config.name() + "' is closed");
        for (Vcpu v : vcpus) {
            if (((KvmVcpu) v).hasRun()) {
                throw new IllegalStateException("VM '" + config.name() + "' has run: its RAM can no longer be replaced");
            }
        }
        List<GuestMemory.Region> regions = memory.regions();
        MemorySegment low = regions.get(0).host(), high = regions.size() > 1 ? regions.get(1).host() : null;
        int file = KvmMemory.openRamFile(source, low.byteSize(), high == null ? 0 : high.byteSize());
        try {
            KvmMemory.remapFilePrivate(file, source, low, high);
        } catch (RuntimeException e) {
            KvmMemory.closeFd(file);
            throw e;
        }
        // The memfd's pages are no longer mapped anywhere; closing it frees them. RAM is now the file's.
        int old = memfd, oldFile = ramFile;
        memfd = -1;
        ramFileSource = source;
        ramFile = file;
        if (old >= 0) KvmMemory.closeFd(old);
        if (oldFile >= 0) KvmMemory.closeFd(oldFile);
    }

    /**
     * memfd RAM: the memfd's data extents. RAM mapped from a file: the file's data extents plus every
     * block with a page written since (this process's pagemap). Anonymous RAM: unknown.
     */
    @Override
    public java.util.Optional<java.util.BitSet> ramBlocksWithData(GuestMemory.Region region, long blockSize) {
        boolean low = region.gpa() == 0;
        int fd = memfd;
        if (fd >= 0) return KvmMemory.blocksWithData(fd, low ? 0 : memory.lowmemSize(), region.size(), blockSize);
        int file = ramFile;
        MemorySource.FilePrivate source = ramFileSource;
        if (file < 0 || source == null) return java.util.Optional.empty();
        long offset = low ? source.lowmemOffset() : source.highmemOffset();
        java.util.Optional<java.util.BitSet> blocks = KvmMemory.blocksWithData(file, offset, region.size(), blockSize);
        if (blocks.isEmpty() || !KvmMemory.addPrivatePages(region.host(), blockSize, blocks.get())) {
            return java.util.Optional.empty();
        }
        return blocks;
    }

    @Override
    public boolean ramMappedFromFile() {
        return ramFile >= 0;
    }

    @Override
    public synchronized String leaseRamFile() {
        int file = ramFile;
        if (file < 0) return "guest RAM is not mapped from a file";
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = libc_h.allocateErrnoState(a);
            if (libc_h.fcntl(errno, file, libc_h.F_SETLEASE, libc_h.F_RDLCK) != 0) {
                int e = libc_h.errno(errno);
                return Errno.name(e) + (e == Errno.EAGAIN ? " (the file is open for writing)"
                        : e == Errno.EACCES || e == Errno.EPERM ? " (this process neither owns the file nor has CAP_LEASE)"
                        : " (" + Errno.describe(e) + ")");
            }
        }
        // The file was mapped a moment ago and unguarded since: it must still be the file the restore checked.
        String changed = changedSinceRestore(file);
        if (changed != null) throw new VmmException(changed);
        ramFileLeaseHeld = true;
        return null;
    }

    /** A lease was taken on the RAM file ({@link #leaseRamFile}); cleared when it is given up. */
    private volatile boolean ramFileLeaseHeld;

    /** Why {@code file} is no longer what the restore checked (a write or truncation got to it), or null. */
    private String changedSinceRestore(int file) {
        MemorySource.FilePrivate source = ramFileSource;
        if (source == null || source.expected() == null) return null;
        org.jbhyve.bindings.libc.FileStat now = statOf(file);
        if (now != null && source.expected().sameFileUnchanged(now)) return null;
        return rewritten(source) + ": the guest's memory can no longer be trusted";
    }

    @Override
    public String ramFileRewritten() {
        int file = ramFile;
        MemorySource.FilePrivate source = ramFileSource;
        if (file < 0 || source == null || source.expected() == null) return null;
        // A lease still held, with no break pending, has kept every writer out since it was taken, and it was
        // taken on the file the restore checked: nothing to doubt, whatever a touch(1) did to the times.
        if (ramFileLeaseHeld && !ramFileLeaseBroken()) return null;
        org.jbhyve.bindings.libc.FileStat then = source.expected(), now = statOf(file);
        // Length and modification time only: a checkpoint renamed over the file's name (the same VM's, say)
        // changes its link count and so its change time, and not a byte the guest sees.
        if (now != null && now.size() == then.size() && now.mtimeNanos() == then.mtimeNanos()) return null;
        return rewritten(source) + " (its length or modification time changed"
                + (ramFileLeaseHeld ? ", and its lease was broken)" : "; it has no lease)");
    }

    /** The file's status now (fstat), or null if it cannot be had. */
    private static org.jbhyve.bindings.libc.FileStat statOf(int file) {
        try (Arena a = Arena.ofConfined()) {
            return org.jbhyve.bindings.libc.FileStat.ofDescriptor(libc_h.allocateErrnoState(a), file);
        }
    }

    private static String rewritten(MemorySource.FilePrivate source) {
        return "the snapshot file " + source.file() + " that guest RAM is mapped from was written or truncated since"
                + " the restore checked it";
    }

    @Override
    public boolean ramFileLeaseBroken() {
        int file = ramFile;
        if (file < 0) return false;
        try (Arena a = Arena.ofConfined()) {
            return libc_h.fcntl(libc_h.allocateErrnoState(a), file, libc_h.F_GETLEASE, 0) != libc_h.F_RDLCK;
        }
    }

    @Override
    public synchronized void releaseRamFileLease() {
        ramFileLeaseHeld = false;
        if (ramFile < 0) return;
        try (Arena a = Arena.ofConfined()) {
            libc_h.fcntl(libc_h.allocateErrnoState(a), ramFile, libc_h.F_SETLEASE, libc_h.F_UNLCK);
        }
    }

    @Override
    public synchronized boolean detachRamFromFile() {
        if (closed || ramFile < 0) return false;
        List<GuestMemory.Region> regions = memory.regions();
        int fd = KvmMemory.memfd("jbhyve:" + config.name(), memory.size());
        try {
            long offset = 0;
            for (GuestMemory.Region r : regions) {
                // Only the blocks that can hold data: the file's data and the guest's own pages; the rest is zeros.
                java.util.BitSet blocks = ramBlocksWithData(r, DETACH_BLOCK).orElse(null);
                KvmMemory.copyBlocks(r.host(), blocks, DETACH_BLOCK, fd, offset);
                offset += r.size();
            }
            // A copy that outlasted the kernel's lease-break-time let the writer in: what was copied is suspect.
            String changed = changedSinceRestore(ramFile);
            if (changed != null) throw new VmmException(changed + " (it changed while RAM was being copied out)");
            KvmMemory.remapShared(fd, regions.get(0).host(), regions.size() > 1 ? regions.get(1).host() : null);
        } catch (RuntimeException e) {
            KvmMemory.closeFd(fd);
            throw e;
        }
        // The lease goes explicitly: closing the descriptor alone would not end it while a mapping of the file
        // remained anywhere in the process.
        releaseRamFileLease();
        int file = ramFile;
        memfd = fd;
        ramFile = -1;
        ramFileSource = null;
        KvmMemory.closeFd(file);
        return true;
    }

    private static final long DETACH_BLOCK = 2L << 20;

    @Override
    public void checkRamReadable() {
        int file = ramFile;
        MemorySource.FilePrivate source = ramFileSource;
        if (file < 0 || source == null) return;
        KvmMemory.checkStillCovers(file, source, memory.lowmemSize(), memory.highmemSize());
    }

    /** The memory slot of a RAM region: lowmem is slot 0, highmem slot 1 (see the constructor). */
    private int slotOf(GuestMemory.Region region) {
        int index = memory.regions().indexOf(region);
        if (index < 0) throw new IllegalArgumentException("not a RAM region of VM '" + config.name() + "': " + region);
        return index;
    }

    @Override
    public synchronized boolean startDirtyLog() {
        if (closed) throw new IllegalStateException("VM '" + config.name() + "' is closed");
        // Changing only the flags of a slot keeps its memory; KVM write-protects it and logs writes from now on.
        List<GuestMemory.Region> logged = new ArrayList<>();
        try {
            for (GuestMemory.Region r : memory.regions()) {
                setMemoryRegion(slotOf(r), r.gpa(), r.host(), KVM_MEM_LOG_DIRTY_PAGES);
                logged.add(r);
            }
        } catch (RuntimeException e) {
            RuntimeException undo = clearSlotFlags(logged);
            if (undo != null) e.addSuppressed(undo);
            throw e;
        }
        dirtyLogging = true;
        return true;
    }

    @Override
    public long[] takeDirtyLog(GuestMemory.Region region) {
        if (!dirtyLogging) throw new IllegalStateException("VM '" + config.name() + "' is not logging dirty pages");
        long pages = region.size() / VmConfig.PAGE_SIZE;
        int words = (int) ((pages + 63) / 64);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment bitmap = a.allocate(8L * words, 8);
            MemorySegment log = kvm_dirty_log.allocate(a);
            kvm_dirty_log.slot(log, slotOf(region));
            kvm_dirty_log.dirty_bitmap(log, bitmap.address());
            vm.ioctl("KVM_GET_DIRTY_LOG", KVM_GET_DIRTY_LOG, log);
            return bitmap.toArray(java.lang.foreign.ValueLayout.JAVA_LONG);
        }
    }

    /** Stops the log on every slot; if one refuses, the log stays on (as far as this VM knows) and a later call tries again. */
    @Override
    public synchronized void stopDirtyLog() {
        if (!dirtyLogging || closed) return;
        RuntimeException failure = clearSlotFlags(memory.regions());
        if (failure != null) throw failure;
        dirtyLogging = false;
    }

    /**
     * Clears the flags (the dirty log) of every region's slot, trying each even after one fails: the first
     * failure, with the later ones suppressed in it, or null.
     */
    private RuntimeException clearSlotFlags(List<GuestMemory.Region> regions) {
        RuntimeException failure = null;
        for (GuestMemory.Region r : regions) {
            try {
                setMemoryRegion(slotOf(r), r.gpa(), r.host(), 0);
            } catch (RuntimeException e) {
                if (failure == null) failure = e;
                else failure.addSuppressed(e);
            }
        }
        return failure;
    }

    @Override
    public VmConfig config() { return config; }

    @Override
    public GuestMemory memory() { return memory; }

    @Override
    public List<Vcpu> vcpus() { return vcpus; }

    @Override
    public Set<PlatformDevice> kernelDevices() { return kernelDevices; }

    @Override
    public int irqLineCount() { return config.kernelIrqchip() ? IOAPIC_PINS : 0; }

    @Override
    public void setIrqLine(int irq, boolean asserted) {
        if (!config.kernelIrqchip()) {
            throw new IllegalStateException("VM '" + config.name() + "' has no in-kernel irqchip to raise IRQ " + irq);
        }
        if (irq < 0 || irq >= IOAPIC_PINS) {
            throw new IllegalArgumentException("IRQ " + irq + " out of range 0.." + (IOAPIC_PINS - 1));
        }
        synchronized (irqLock) {
            kvm_irq_level.irq(irqLevel, irq);
            kvm_irq_level.level(irqLevel, asserted ? 1 : 0);
            vm.ioctl("KVM_IRQ_LINE", KVM_IRQ_LINE, irqLevel);
        }
    }

    @Override
    public synchronized MemorySegment mapMemory(String name, long gpa, long size, boolean readOnly) {
        if (gpa < 0 || size <= 0 || gpa % VmConfig.PAGE_SIZE != 0 || size % VmConfig.PAGE_SIZE != 0
                || gpa + size < gpa) {
            throw new IllegalArgumentException(name + ": guest range 0x" + Long.toHexString(gpa) + "+0x"
                    + Long.toHexString(size) + " is not page aligned");
        }
        for (GuestMemory.Region r : memory.regions()) {
            if (gpa < r.end() && r.gpa() < gpa + size) {
                throw new IllegalArgumentException(name + ": guest range 0x" + Long.toHexString(gpa) + "+0x"
                        + Long.toHexString(size) + " overlaps RAM");
            }
        }
        for (long[] m : extraMappings) {
            if (gpa < m[0] + m[1] && m[0] < gpa + size) {
                throw new IllegalArgumentException(name + ": guest range 0x" + Long.toHexString(gpa)
                        + " overlaps another mapping");
            }
        }
        MemorySegment host = KvmMemory.mapAnonymous(size, memoryArena);
        setMemoryRegion(2 + extraMappings.size(), gpa, host, readOnly ? KVM_MEM_READONLY : 0);
        extraMappings.add(new long[] {gpa, size});
        return host;
    }

    @Override
    public void sendMsi(long address, int data) {
        if (!config.kernelIrqchip()) {
            throw new IllegalStateException("VM '" + config.name() + "' has no in-kernel LAPIC to receive MSIs");
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment msi = kvm_msi.allocate(a);
            kvm_msi.address_lo(msi, (int) address);
            kvm_msi.address_hi(msi, (int) (address >>> 32));
            kvm_msi.data(msi, data);
            vm.ioctl("KVM_SIGNAL_MSI", KVM_SIGNAL_MSI, msi);
        }
    }

    @Override
    public List<String> kernelStateNames() {
        return KvmKernelState.names(config.kernelIrqchip()); // what saveKernelState() saves
    }

    /**
     * {@inheritDoc}
     *
     * <p>On KVM: PIC master, PIC slave, IOAPIC and PIT (with the in-kernel irqchip) and kvmclock; see
     * {@link KvmKernelState} for the blobs and what the guest's clocks do across a restore.
     */
    @Override
    public List<org.jbhyve.vmm.state.KernelState> saveKernelState() {
        return KvmKernelState.save(vm, config.kernelIrqchip());
    }

    /**
     * {@inheritDoc}
     *
     * <p>On KVM the order is PIC master, PIC slave, IOAPIC, PIT, then the clock, set to the saved value
     * with no flags (see {@link KvmKernelState}). Relative to the vCPUs' LAPICs the order does not
     * matter: what the IOAPIC and PICs still hold after a save is only what they have not delivered yet
     * (masked, or waiting for an EOI), which they deliver later either way.
     */
    @Override
    public void restoreKernelState(List<org.jbhyve.vmm.state.KernelState> states) {
        KvmKernelState.restore(vm, config.name(), config.kernelIrqchip(), states);
        if (hv.checkExtension(KVM_CAP_KVMCLOCK_CTRL) > 0) {
            for (Vcpu v : vcpus) ((KvmVcpu) v).markPaused();
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (Vcpu v : vcpus) ((KvmVcpu) v).close();
        vm.close();
        memoryArena.close();
        if (memfd >= 0) KvmMemory.closeFd(memfd);
        if (ramFile >= 0) KvmMemory.closeFd(ramFile);
    }

    @Override
    public String toString() {
        return "kvm vm '" + config.name() + "' (" + config.vcpus() + " vcpus, " + (config.memoryBytes() >> 20) + " MiB)";
    }

}
