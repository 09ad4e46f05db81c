package org.jbhyve.vmm.freebsd;

import org.jbhyve.bindings.libc.Errno;
import org.jbhyve.bindings.libc.FileStat;
import org.jbhyve.bindings.libc.ReadOnlyFiles;
import org.jbhyve.bindings.libc.libc_h;
import org.jbhyve.vmm.GuestMemory;
import org.jbhyve.vmm.MemorySource;
import org.jbhyve.vmm.PlatformDevice;
import org.jbhyve.vmm.Vcpu;
import org.jbhyve.vmm.VirtualMachine;
import org.jbhyve.vmm.VmConfig;
import org.jbhyve.vmm.VmmException;
import org.jbhyve.vmm.state.KernelState;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.jbhyve.bindings.freebsd.vmm.vmm_h.*;

/**
 * A VM of bhyve's vmm, through libvmmapi.
 *
 * <h2>Creation</h2>
 * <ol>
 *   <li>{@code vm_create(name)} (EEXIST: a VM of that name already exists, which is refused rather than
 *       reused: a fresh VM is what the API promises), then {@code vm_open(name)}. Not
 *       {@code vm_openf(name, VMMAPI_OPEN_CREATE)}: it opens an existing VM of that name without saying so, and
 *       FreeBSD 14.0's libvmmapi does not have it;</li>
 *   <li>{@code vm_get_topology} for the kernel's vCPU limit ({@code hw.vmm.maxcpu}), then
 *       {@code vm_set_topology(vcpus sockets, 1 core, 1 thread)}, bhyve's default for {@code -c N};</li>
 *   <li>{@code vm_setup_memory(size, VM_MMAP_ALL)}: libvmmapi splits RAM as bhyve does (lowmem up to 3 GiB
 *       at GPA 0, the rest at GPA 4 GiB), allocates the system-memory segment and maps it; {@code vm_map_gpa}
 *       gives the host addresses behind {@link GuestMemory};</li>
 *   <li>its own descriptor on {@code /dev/vmm/<name>}, for the ioctls libvmmapi has no call for, and the
 *       memory-segment ABI ({@link FreeBsdAbi#probe});</li>
 *   <li>RAM from a file, if asked ({@link MemorySource.FilePrivate}): see below;</li>
 *   <li>the CMOS cells bhyve's {@code rtc_init} writes (RAM above 16 MiB at 0x34/0x35, above 4 GiB at
 *       0x5b..0x5d, in 64 KiB units) and the RTC time (UTC now; {@link #rtcSetTime} changes it);</li>
 *   <li>every vCPU: {@code vm_vcpu_open} and {@link FreeBsdVcpu#setUp} (capabilities, reset, activate, APs
 *       held until their start-up IPI).</li>
 * </ol>
 *
 * <h2>Guest RAM</h2>
 * Always vmm's own memory object, whatever {@link VmConfig#backing()} says: bhyve's vmm allocates guest RAM
 * in the kernel and cannot map a file or a memfd into the guest. {@link MemorySource.FilePrivate} (a restore)
 * is therefore done the way bhyve restores: <b>eagerly</b>, by reading the file's lowmem and highmem ranges
 * into the mapped RAM before any vCPU runs. Reads go in 1 MiB chunks and chunks that are all zero (holes of a
 * sparse snapshot) are skipped, so untouched RAM stays unallocated, but the whole file is read before the
 * guest starts, unlike KVM's lazy copy-on-write mapping. The file must cover both regions, as on KVM.
 *
 * <h2>Interrupts</h2>
 * Lines 0-15 are ISA IRQs: {@code vm_isa_assert_irq(irq, irq)} drives the 8259 input and the I/O APIC pin of
 * the same number, as bhyve's LPC devices do; lines from 16 up to {@code vm_ioapic_pincount} go to the I/O
 * APIC only. MSIs go through {@code vm_lapic_msi}. {@link #kernelDevices()} is every {@link PlatformDevice}:
 * vmm emulates the LAPICs, I/O APIC, 8259 pair, 8254, HPET, ACPI PM timer and RTC itself, so their ports and
 * addresses never reach userland.
 *
 * <h2>Closing</h2>
 * Closes the vCPUs, invalidates the {@link GuestMemory} segments, closes the device, {@code vm_destroy}s the
 * VM, and unmaps the RAM and boot ROM reservations libvmmapi made in this process (guard, memory, guard, with
 * 4 MiB guards), which libvmmapi itself never unmaps.
 */
public final class FreeBsdVm implements VirtualMachine {
    /** libvmmapi's guard on each side of a memory reservation ({@code VM_MMAP_GUARD_SIZE}). */
    static final long GUARD = 4L << 20;
    /** The boot ROM device-memory segment every {@link #mapMemory} mapping is carved from: bhyve's 16 MiB. */
    public static final long BOOTROM_SEGMENT_SIZE = 16L << 20;
    static final String BOOTROM_SEGMENT_NAME = "bootrom";
    /** CMOS cells for RAM sizes (bhyve's rtc.c). */
    static final int RTC_LMEM_LSB = 0x34, RTC_LMEM_MSB = 0x35, RTC_HMEM_LSB = 0x5b, RTC_HMEM_SB = 0x5c,
            RTC_HMEM_MSB = 0x5d;
    private static final int PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;

    private final FreeBsdHypervisor hv;
    private final Vmmapi api;
    private final VmConfig config;
    private final String what;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment ctx;
    private final int fd;
    private final GuestMemory memory;
    private final FreeBsdAbi abi;
    private final long ramReservation, ramReservationSize;
    private final List<Vcpu> vcpus;
    private final int pins;
    private final Object mapLock = new Object();
    private final List<long[]> mappings = new ArrayList<>();
    private MemorySegment bootrom;
    private long bootromUsed;
    private volatile boolean closed;

    FreeBsdVm(FreeBsdHypervisor hv, VmConfig config) {
        this.hv = hv;
        this.api = hv.api();
        this.config = config;
        this.what = "vm '" + config.name() + "'";
        if (config.name().length() > VM_MAX_NAMELEN) {
            throw new IllegalArgumentException("VM name '" + config.name() + "' is longer than vmm's "
                    + VM_MAX_NAMELEN + " characters");
        }
        if (!config.kernelIrqchip()) {
            throw new IllegalArgumentException("VM '" + config.name() + "': bhyve's vmm always emulates the LAPIC,"
                    + " I/O APIC, 8259 PICs, 8254 PIT, HPET, PM timer and RTC in the kernel; create it with"
                    + " kernelIrqchip = true");
        }
        int e = api.create(config.name());
        if (e != 0) throw createFailure(config.name(), e);
        MemorySegment c = api.open(config.name());
        if (c.equals(MemorySegment.NULL)) {
            int err = api.lastErrno();
            throw new VmmException("vm_open of the new " + what + " failed: " + FreeBsdErrors.describe(err)
                    + "; it is left in the kernel (bhyvectl --vm=" + config.name() + " --destroy)", "vm_open", err);
        }
        this.ctx = c;
        int device = -1;
        List<Vcpu> created = new ArrayList<>();
        long reservation = 0, reservationSize = 0;
        try {
            MemorySegment topo = arena.allocate(8, 8);
            check("vm_get_topology", api.getTopology(ctx, topo));
            int maxcpus = topo.get(ValueLayout.JAVA_SHORT, 6) & 0xffff;
            if (maxcpus > 0 && config.vcpus() > maxcpus) {
                throw new VmmException("this host's vmm allows at most " + maxcpus + " vCPUs per VM, asked for "
                        + config.vcpus() + " (hw.vmm.maxcpu is a loader tunable; it defaults to the host's CPU count)");
            }
            check("vm_set_topology", api.setTopology(ctx, config.vcpus(), 1, 1, 0));

            check("vm_setup_memory(" + config.memoryBytes() + " bytes)", api.setupMemory(ctx, config.memoryBytes()));
            long low = api.lowmemSize(ctx), high = api.highmemSize(ctx);
            if (low != GuestMemory.lowmemSize(config.memoryBytes()) || high != GuestMemory.highmemSize(config.memoryBytes())) {
                throw new VmmException("vm_setup_memory on " + what + " split " + config.memoryBytes() + " bytes into "
                        + low + " + " + high + ", not bhyve's lowmem/highmem split at 3 GiB");
            }
            MemorySegment lowHost = map(0, low);
            MemorySegment highHost = high > 0 ? map(GuestMemory.HIGHMEM_BASE, high) : null;
            reservation = lowHost.address() - GUARD;
            reservationSize = GUARD + (high > 0 ? GuestMemory.HIGHMEM_BASE + high : low) + GUARD;
            this.memory = new GuestMemory(new GuestMemory.Region(0, low, lowHost),
                    highHost == null ? null : new GuestMemory.Region(GuestMemory.HIGHMEM_BASE, high, highHost));

            device = api.openDevice(config.name());
            if (device < 0) throw FreeBsdErrors.failed("open(/dev/vmm/" + config.name() + ")", what, -device);
            this.fd = device;
            this.abi = FreeBsdAbi.probe(api, fd, low, high, hv.osreldate());

            if (config.backing() instanceof MemorySource.FilePrivate f) loadRam(f, memory);

            MemorySegment pinCount = arena.allocate(4, 4);
            check("vm_ioapic_pincount", api.ioapicPincount(ctx, pinCount));
            this.pins = pinCount.get(ValueLayout.JAVA_INT, 0);

            initRtc(low, high);

            for (int id = 0; id < config.vcpus(); id++) {
                MemorySegment h = api.vcpuOpen(ctx, id);
                if (h.equals(MemorySegment.NULL)) {
                    throw FreeBsdErrors.failed("vm_vcpu_open(" + id + ")", what, api.lastErrno());
                }
                FreeBsdVcpu v = new FreeBsdVcpu(this, api, id, h, memory, hv.emulation());
                created.add(v);
                v.setUp(id != 0);
            }
            this.vcpus = List.copyOf(created);
            this.ramReservation = reservation;
            this.ramReservationSize = reservationSize;
        } catch (RuntimeException ex) {
            for (Vcpu v : created) ((FreeBsdVcpu) v).close();
            arena.close();
            if (device >= 0) api.closeDevice(device);
            api.destroy(ctx);
            if (reservationSize > 0) api.munmap(reservation, reservationSize);
            throw ex;
        }
    }

    static VmmException createFailure(String name, int e) {
        String msg = switch (e) {
            case FreeBsdErrors.EEXIST -> "a VM named '" + name + "' already exists in vmm (destroy it with bhyvectl"
                    + " --vm=" + name + " --destroy, or choose another name)";
            case FreeBsdErrors.EPERM, FreeBsdErrors.EACCES -> "creating VM '" + name + "' was refused: "
                    + FreeBsdErrors.describe(e) + " (creating VMs needs root)";
            case FreeBsdErrors.ENOENT, FreeBsdErrors.ENXIO, FreeBsdErrors.ENODEV -> "cannot create VM '" + name
                    + "': " + FreeBsdErrors.describe(e) + " (is vmm.ko loaded? kldload vmm)";
            default -> "vm_create of VM '" + name + "' failed: " + FreeBsdErrors.describe(e);
        };
        return new VmmException(msg, "vm_create", e);
    }

    private MemorySegment map(long gpa, long size) {
        MemorySegment p = api.mapGpa(ctx, gpa, size);
        if (p.equals(MemorySegment.NULL)) {
            throw new VmmException("vm_map_gpa(0x" + Long.toHexString(gpa) + ", " + size + ") on " + what
                    + " returned NULL after vm_setup_memory");
        }
        return p.reinterpret(size, arena, null);
    }

    private void check(String call, int errno) {
        if (errno != 0) throw FreeBsdErrors.failed(call, what, errno);
    }

    /**
     * Reads the file's RAM image into guest RAM, skipping all-zero chunks. See the class comment. Opened
     * as {@link ReadOnlyFiles#open} opens (a FIFO in the file's place must not wait for a writer) and checked on
     * the descriptor it reads: a regular file, the one {@code source} expects when it says, and long enough.
     */
    static void loadRam(MemorySource.FilePrivate source, GuestMemory memory) {
        Path file = source.file();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = libc_h.allocateErrnoState(a);
            int fd = ReadOnlyFiles.open(errno, file.toString());
            if (fd < 0) {
                int e = libc_h.errno(errno);
                throw new VmmException("cannot load guest RAM from " + file + ": "
                        + (e == Errno.ENOENT ? "no such file" : errnoText(e)));
            }
            try {
                FileStat st = FileStat.ofDescriptor(errno, fd);
                if (st == null) {
                    throw new VmmException("cannot load guest RAM from " + file + ": fstat: " + errnoText(libc_h.errno(errno)));
                }
                if (!st.isRegularFile()) {
                    throw new VmmException("cannot load guest RAM from " + file + ": not a regular file (it is "
                            + st.kind() + ")");
                }
                if (source.expected() != null && !source.expected().sameFileUnchanged(st)) {
                    throw new VmmException("cannot load guest RAM from " + file + ": it is no longer the file that was"
                            + " checked (it was replaced or changed since it was opened); try again once nothing writes it");
                }
                List<GuestMemory.Region> regions = memory.regions();
                for (int i = 0; i < regions.size(); i++) {
                    GuestMemory.Region r = regions.get(i);
                    long offset = i == 0 ? source.lowmemOffset() : source.highmemOffset();
                    String which = i == 0 ? "lowmem" : "highmem";
                    if (offset > st.size() || st.size() - offset < r.size()) {
                        throw new VmmException("cannot load guest " + which + " from " + file + ": it needs bytes " + offset
                                + ".." + (offset + r.size()) + " (" + (r.size() >> 20) + " MiB at offset " + offset
                                + ") but the file is only " + st.size() + " bytes long");
                    }
                    copyNonZero(fd, offset, r, a, errno, file);
                }
            } finally {
                libc_h.close(errno, fd);
            }
        }
    }

    /** Errno numbers differ between the OSes; this backend's tests run its code on Linux with a fake vmmapi. */
    private static final boolean FREEBSD_HOST =
            System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("freebsd");

    /** An errno of the host this runs on: FreeBSD's numbers differ from Linux's (tests run this code on Linux). */
    private static String errnoText(int e) {
        return FREEBSD_HOST ? FreeBsdErrors.describe(e) : Errno.name(e) + " (" + Errno.describe(e) + ")";
    }

    /** Copies region {@code r} from {@code offset} in {@code fd} in 1 MiB pieces, leaving all-zero pieces alone. */
    private static void copyNonZero(int fd, long offset, GuestMemory.Region r, Arena a, MemorySegment errno, Path file) {
        MemorySegment buf = a.allocate(1 << 20, 4096);
        MemorySegment zeros = a.allocate(1 << 20, 4096);
        for (long done = 0; done < r.size(); ) {
            long want = Math.min(buf.byteSize(), r.size() - done);
            long got = 0;
            while (got < want) {
                long n = libc_h.pread(errno, fd, buf.asSlice(got), want - got, offset + done + got);
                if (n < 0 && libc_h.errno(errno) == Errno.EINTR) continue; // 4 on FreeBSD too
                if (n <= 0) {
                    throw new VmmException("cannot load guest RAM from " + file + ": "
                            + (n == 0 ? "unexpected end of file" : errnoText(libc_h.errno(errno))) + " at offset "
                            + (offset + done + got));
                }
                got += n;
            }
            if (MemorySegment.mismatch(buf, 0, want, zeros, 0, want) >= 0) {
                MemorySegment.copy(buf, 0, r.host(), done, want);
            }
            done += want;
        }
    }

    private void initRtc(long low, long high) {
        long lowUnits = Math.max(0, low - (16L << 20)) / (64 << 10);
        long highUnits = high / (64 << 10);
        rtcWrite(RTC_LMEM_LSB, (int) lowUnits);
        rtcWrite(RTC_LMEM_MSB, (int) (lowUnits >> 8));
        rtcWrite(RTC_HMEM_LSB, (int) highUnits);
        rtcWrite(RTC_HMEM_SB, (int) (highUnits >> 8));
        rtcWrite(RTC_HMEM_MSB, (int) (highUnits >> 16));
        rtcSetTime(Instant.now());
    }

    // ---- VirtualMachine ---------------------------------------------------------------------------------

    @Override
    public VmConfig config() { return config; }

    /** No file can be mapped into a FreeBSD guest: the snapshot's RAM is copied in (see the class comment). */
    @Override
    public void replaceRam(MemorySource.FilePrivate source) {
        loadRam(source, memory);
    }

    @Override
    public GuestMemory memory() { return memory; }

    @Override
    public List<Vcpu> vcpus() { return vcpus; }

    /** Every {@link PlatformDevice}: vmm emulates all of them in the kernel. */
    @Override
    public Set<PlatformDevice> kernelDevices() {
        return Collections.unmodifiableSet(EnumSet.allOf(PlatformDevice.class));
    }

    /** The I/O APIC's pins ({@code vm_ioapic_pincount}; 32 in bhyve's vioapic). */
    @Override
    public int irqLineCount() { return pins; }

    @Override
    public void setIrqLine(int irq, boolean asserted) {
        checkIrq(irq);
        if (irq < 16) {
            check(asserted ? "vm_isa_assert_irq(" + irq + ")" : "vm_isa_deassert_irq(" + irq + ")",
                    asserted ? api.isaAssertIrq(ctx, irq, irq) : api.isaDeassertIrq(ctx, irq, irq));
        } else {
            check(asserted ? "vm_ioapic_assert_irq(" + irq + ")" : "vm_ioapic_deassert_irq(" + irq + ")",
                    asserted ? api.ioapicAssertIrq(ctx, irq) : api.ioapicDeassertIrq(ctx, irq));
        }
    }

    /** One {@code vm_isa_pulse_irq} or {@code vm_ioapic_pulse_irq}. */
    @Override
    public void pulseIrq(int irq) {
        checkIrq(irq);
        if (irq < 16) check("vm_isa_pulse_irq(" + irq + ")", api.isaPulseIrq(ctx, irq, irq));
        else check("vm_ioapic_pulse_irq(" + irq + ")", api.ioapicPulseIrq(ctx, irq));
    }

    private void checkIrq(int irq) {
        if (irq < 0 || irq >= pins) throw new IllegalArgumentException("IRQ " + irq + " out of range 0.." + (pins - 1));
    }

    /**
     * Carves {@code size} bytes out of the VM's boot ROM device-memory segment (bhyve's: {@value
     * #BOOTROM_SEGMENT_SIZE} bytes, segment {@link FreeBsdAbi#bootromSegment()}, created by the first call with
     * {@code vm_create_devmem}) and maps them at {@code gpa} with {@code vm_mmap_memseg}: read and execute, plus
     * write unless {@code readOnly}. As with bhyve's boot ROM and variable store, all mappings together must fit
     * in that segment. Unlike KVM, where a write to read-only guest memory becomes an MMIO exit, vmm cannot
     * fault it in and {@code VM_RUN} fails with EFAULT.
     */
    @Override
    public MemorySegment mapMemory(String name, long gpa, long size, boolean readOnly) {
        if (gpa < 0 || size <= 0 || gpa % VmConfig.PAGE_SIZE != 0 || size % VmConfig.PAGE_SIZE != 0 || gpa + size < gpa) {
            throw new IllegalArgumentException(name + ": guest range 0x" + Long.toHexString(gpa) + "+0x"
                    + Long.toHexString(size) + " is not page aligned");
        }
        for (GuestMemory.Region r : memory.regions()) {
            if (gpa < r.end() && r.gpa() < gpa + size) {
                throw new IllegalArgumentException(name + ": guest range 0x" + Long.toHexString(gpa) + "+0x"
                        + Long.toHexString(size) + " overlaps RAM");
            }
        }
        synchronized (mapLock) {
            for (long[] m : mappings) {
                if (gpa < m[0] + m[1] && m[0] < gpa + size) {
                    throw new IllegalArgumentException(name + ": guest range 0x" + Long.toHexString(gpa)
                            + " overlaps another mapping");
                }
            }
            if (size > BOOTROM_SEGMENT_SIZE - bootromUsed) {
                throw new IllegalArgumentException(name + ": " + size + " bytes do not fit: bhyve's vmm gives memory outside"
                        + " RAM one boot ROM segment of " + (BOOTROM_SEGMENT_SIZE >> 20) + " MiB, and "
                        + bootromUsed + " bytes of it are mapped already");
            }
            if (bootrom == null) {
                MemorySegment p = api.createDevmem(ctx, abi.bootromSegment(), BOOTROM_SEGMENT_NAME, BOOTROM_SEGMENT_SIZE);
                if (p.equals(MemorySegment.NULL)) {
                    throw FreeBsdErrors.failed("vm_create_devmem(" + BOOTROM_SEGMENT_NAME + ", segment "
                            + abi.bootromSegment() + ")", what, api.lastErrno());
                }
                bootrom = p.reinterpret(BOOTROM_SEGMENT_SIZE, arena, null);
            }
            int prot = PROT_READ | PROT_EXEC | (readOnly ? 0 : PROT_WRITE);
            check("vm_mmap_memseg(" + name + " at 0x" + Long.toHexString(gpa) + ")",
                    api.mmapMemseg(ctx, gpa, abi.bootromSegment(), bootromUsed, size, prot));
            MemorySegment host = bootrom.asSlice(bootromUsed, size);
            bootromUsed += size;
            mappings.add(new long[] {gpa, size});
            return host;
        }
    }

    @Override
    public void sendMsi(long address, int data) {
        check("vm_lapic_msi", api.lapicMsi(ctx, address, Integer.toUnsignedLong(data)));
    }

    @Override
    public List<String> kernelStateNames() {
        return FreeBsdKernelState.names();
    }

    /**
     * {@inheritDoc}
     *
     * <p>On FreeBSD: the nine {@code VM_SNAPSHOT_REQ} structs, see {@link FreeBsdKernelState}. Needs a kernel with
     * {@code options BHYVE_SNAPSHOT}; otherwise fails with {@link VmmException} saying so.
     */
    @Override
    public List<KernelState> saveKernelState() {
        return FreeBsdKernelState.save(api, fd, what, hv.producer());
    }

    /**
     * {@inheritDoc}
     *
     * <p>On FreeBSD: bhyve's order, then {@code VM_RESTORE_TIME}; blobs from another {@code kern.osreldate} are
     * refused. See {@link FreeBsdKernelState}.
     */
    @Override
    public void restoreKernelState(List<KernelState> states) {
        FreeBsdKernelState.restore(api, fd, what, hv.producer(), hv.osreldate().orElse(-1), states);
    }

    // ---- FreeBSD-specific -------------------------------------------------------------------------------

    /** The memory-segment ABI this VM's kernel speaks. */
    public FreeBsdAbi abi() { return abi; }

    /** {@code VM_GET_MEMSEG} for one of this VM's segments, with this kernel's struct layout. */
    public FreeBsdAbi.Memseg memorySegment(int segid) {
        return abi.getMemseg(api, fd, segid);
    }

    /** How {@link #suspend} ends the VM. */
    public enum SuspendHow {
        RESET(VM_SUSPEND_RESET), POWEROFF(VM_SUSPEND_POWEROFF), HALT(VM_SUSPEND_HALT),
        TRIPLEFAULT(VM_SUSPEND_TRIPLEFAULT);

        final int value;

        SuspendHow(int value) {
            this.value = value;
        }
    }

    /**
     * {@code vm_suspend}: every vCPU's {@code run()} then returns the matching exit ({@code bhyvectl
     * --force-reset}/{@code --force-poweroff}). A VM already suspended is left as it is.
     */
    public void suspend(SuspendHow how) {
        int e = api.suspend(ctx, how.value);
        if (e != 0 && e != FreeBsdErrors.EALREADY) throw FreeBsdErrors.failed("vm_suspend(" + how + ")", what, e);
    }

    /** A byte of the kernel RTC's CMOS RAM ({@code vm_rtc_read}). */
    public int rtcRead(int offset) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(1);
            check("vm_rtc_read(0x" + Integer.toHexString(offset) + ")", api.rtcRead(ctx, offset, out));
            return out.get(ValueLayout.JAVA_BYTE, 0) & 0xff;
        }
    }

    /** Writes a byte of the kernel RTC's CMOS RAM ({@code vm_rtc_write}). */
    public void rtcWrite(int offset, int value) {
        check("vm_rtc_write(0x" + Integer.toHexString(offset) + ")", api.rtcWrite(ctx, offset, value & 0xff));
    }

    /**
     * Sets the kernel RTC's time ({@code vm_rtc_settime}). vmm counts seconds since 1970 in the RTC's own
     * time zone: pass local wall-clock time for bhyve's default {@code rtc.use_localtime}, UTC with {@code -u}.
     */
    public void rtcSetTime(Instant time) {
        check("vm_rtc_settime", api.rtcSettime(ctx, time.getEpochSecond()));
    }

    /** The kernel RTC's time ({@code vm_rtc_gettime}). */
    public Instant rtcTime() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(8, 8);
            check("vm_rtc_gettime", api.rtcGettime(ctx, out));
            return Instant.ofEpochSecond(out.get(ValueLayout.JAVA_LONG, 0));
        }
    }

    // ---- used by the vCPUs --------------------------------------------------------------------------------

    /** The host's TSC rate in kHz ({@code machdep.tsc_freq}), or 0. */
    long tscKhz() { return hv.tscKhz(); }

    /** An IPI exit of a vCPU: INIT and start-up IPIs for the vCPUs in {@code cpuset}. Other modes are ignored. */
    void deliverIpi(int mode, int vector, MemorySegment cpuset) {
        for (int i = 0; i < vcpus.size(); i++) {
            if ((cpuset.get(ValueLayout.JAVA_BYTE, i >> 3) & 1 << (i & 7)) == 0) continue;
            FreeBsdVcpu target = (FreeBsdVcpu) vcpus.get(i);
            switch (mode) {
                case FreeBsdVcpu.APIC_DELMODE_INIT -> target.init();
                case FreeBsdVcpu.APIC_DELMODE_STARTUP -> target.startup((long) vector << 12);
                default -> { }
            }
        }
    }

    /** The old-style start-up exit (a kernel without {@code VM_CAP_IPI_EXIT}). */
    void spinupAp(int vcpuId, long rip) {
        if (vcpuId >= 0 && vcpuId < vcpus.size()) ((FreeBsdVcpu) vcpus.get(vcpuId)).startup(rip);
    }

    MemorySegment ctx() { return ctx; }

    int fd() { return fd; }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (Vcpu v : vcpus) ((FreeBsdVcpu) v).close();
        long romAddress = bootrom == null ? 0 : bootrom.address();
        arena.close();
        api.closeDevice(fd);
        api.destroy(ctx);
        api.munmap(ramReservation, ramReservationSize);
        if (romAddress != 0) api.munmap(romAddress - GUARD, GUARD + BOOTROM_SEGMENT_SIZE + GUARD);
    }

    @Override
    public String toString() {
        return "freebsd vm '" + config.name() + "' (" + config.vcpus() + " vcpus, " + (config.memoryBytes() >> 20)
                + " MiB, " + abi + ")";
    }
}
