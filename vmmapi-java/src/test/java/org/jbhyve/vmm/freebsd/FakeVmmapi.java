package org.jbhyve.vmm.freebsd;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.*;

/**
 * A model of libvmmapi and bhyve's vmm that follows their documented behaviour, for testing the backend on
 * Linux. What it models (shared/reference/freebsd-bhyve.md, section 2, and the vmm sources' behaviour cited
 * in the backend's comments):
 * <ul>
 *   <li>{@code VM_RUN}: an inactive vCPU gets EINVAL; once the VM is suspended, every vCPU gets one
 *       {@code VM_EXITCODE_SUSPENDED} and EINVAL after that; a vCPU in the debug set
 *       ({@code vm_suspend_cpu}) exits at once with {@code VM_EXITCODE_DEBUG} (inst_length 0); otherwise the
 *       guest is entered at the kernel's next RIP and the vCPU's next scripted {@link Step} produces the exit.
 *       After every exit the next RIP is {@code rip + inst_length}. For {@code VM_EXITCODE_IPI} the
 *       destination set is copied to {@code vm_run.cpuset} (min of both sizes). A vCPU without steps left
 *       "spins" in the guest until it is put in the debug set (then DEBUG) or the VM is suspended.</li>
 *   <li>{@code vm_set_register(RIP)} also sets the next RIP; {@code vm_restart_instruction} and
 *       {@code vm_inject_exception} with restart set it back to RIP; injecting while an exception is pending is
 *       EBUSY, and injecting clears the interrupt shadow.</li>
 *   <li>{@code vm_suspend_cpu} of an inactive vCPU and {@code vm_resume_cpu} of one not in the debug set are
 *       EINVAL; {@code vm_activate_cpu} twice is EBUSY.</li>
 *   <li>{@code VM_GET_MEMSEG} with the 56-byte (FreeBSD 15) or 32-byte (14) struct, the other being ENOTTY
 *       (a FreeBSD 15 kernel with COMPAT_FREEBSD14 takes both); {@code VM_SNAPSHOT_REQ} and
 *       {@code VM_RESTORE_TIME} are ENOTTY without BHYVE_SNAPSHOT; a snapshot buffer with less room than the
 *       struct is E2BIG; SAVE copies out at {@code buf} and advances {@code buf}/{@code buf_rem}.</li>
 * </ul>
 * The request numbers it recognises are the reference's computed values, written here as literals.
 */
final class FakeVmmapi implements Vmmapi {
    static final long GET_MEMSEG_15 = 0xC038760FL, GET_MEMSEG_14 = 0xC020760FL, SNAPSHOT_REQ = 0xC0407671L,
            RESTORE_TIME = 0xC0047673L;
    static final int EPERM = 1, ENOENT = 2, EIO = 5, E2BIG = 7, EBUSY = 16, EEXIST = 17, EINVAL = 22, ENOTTY = 25,
            EALREADY = 37;

    // ---- host configuration -------------------------------------------------------------------------------
    boolean available = true;
    String unavailableReason = "libvmmapi.so.7: not found";
    final Map<String, Long> sysctlNumbers = new HashMap<>(Map.of("kern.osreldate", 1500068L, "hw.vmm.maxcpu", 8L,
            "machdep.tsc_freq", 2_400_000_000L));
    final Map<String, String> sysctlStrings = new HashMap<>(Map.of("kern.osrelease", "15.0-RELEASE"));
    final Set<String> paths = new HashSet<>(Set.of("/dev/vmmctl"));
    final Set<String> writablePaths = new HashSet<>(Set.of("/dev/vmmctl"));
    /** 15: the 56-byte vm_memseg; 14: the 32-byte one. */
    int abi = 15;
    boolean compat14 = false;
    boolean snapshotSupport = true;
    int maxcpus = 8;
    int createErrno = 0;
    /** Capabilities {@code vm_set_capability} refuses with ENOENT. */
    final Set<Integer> missingCaps = new HashSet<>();
    /** Registers {@code vm_get_register} refuses with ENOENT. */
    final Set<Integer> unreadableRegs = new HashSet<>();

    // ---- the model --------------------------------------------------------------------------------------
    final Object lock = new Object();
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final Arena arena = Arena.ofShared();
    private final Map<String, Vm> vmsByName = new HashMap<>();
    private final Map<Long, Vm> vmsByCtx = new HashMap<>();
    private final Map<Long, Cpu> cpusByHandle = new HashMap<>();
    private final Map<Integer, Vm> vmsByFd = new HashMap<>();
    private long nextHandle = 0x1000;
    private int nextFd = 10;
    private final ThreadLocal<int[]> lastErrno = ThreadLocal.withInitial(() -> new int[1]);

    /** One scripted guest action: the exit image it ends with, or null for "runs until the vCPU is kicked". */
    interface Step {
        byte[] exit(Cpu cpu) throws InterruptedException;
    }

    static Step exit(byte[] image) {
        return cpu -> image;
    }

    /** The guest spins until the vCPU is put in the debug set (or the VM is suspended). */
    static Step spin() {
        return cpu -> null;
    }

    final class Vm {
        final String name;
        final long ctx;
        int fd = -1;
        long low, high;
        MemorySegment lowRam, highRam;
        final Map<Integer, Cpu> cpus = new TreeMap<>();
        final Set<Integer> active = new TreeSet<>();
        final Set<Integer> debug = new TreeSet<>();
        int suspendHow;
        int sockets, cores, threads;
        final byte[] cmos = new byte[128];
        long rtcTime;
        int pincount = 32;
        final List<String> irqs = Collections.synchronizedList(new ArrayList<>());
        final Map<Integer, MemorySegment> devmem = new HashMap<>();
        final Map<Integer, String> devmemNames = new HashMap<>();
        final List<long[]> mmaps = new ArrayList<>();
        /** Blobs SAVE copies out, by snapshot_req; RESTORE takes as many bytes as the saved blob of that struct. */
        final Map<Integer, byte[]> kernelBlobs = new HashMap<>();
        final Map<Integer, byte[]> restored = new LinkedHashMap<>();
        final List<String> snapshotOps = new ArrayList<>();
        boolean destroyed;

        Vm(String name, long ctx) {
            this.name = name;
            this.ctx = ctx;
        }

        Cpu cpu(int id) { return cpus.get(id); }
    }

    final class Cpu {
        final Vm vm;
        final int id;
        final long handle;
        final long[] regs = new long[64];
        final long[] descBase = new long[64];
        final int[] descLimit = new int[64];
        final int[] descAccess = new int[64];
        final Map<Integer, Integer> caps = new HashMap<>();
        final Deque<Step> program = new ArrayDeque<>();
        final List<Long> entries = Collections.synchronizedList(new ArrayList<>());
        final List<Integer> delivered = Collections.synchronizedList(new ArrayList<>());
        long nextrip;
        long info1;
        boolean excPending;
        int excVector, excErr;
        boolean excErrValid;
        boolean suspendReported;
        byte[] ipiDestinations = new byte[128];
        int runs;
        boolean closed;

        Cpu(Vm vm, int id, long handle) {
            this.vm = vm;
            this.id = id;
            this.handle = handle;
        }

        void add(Step... steps) {
            synchronized (lock) {
                program.addAll(Arrays.asList(steps));
            }
        }

        void setIpiDestinations(int... ids) {
            Arrays.fill(ipiDestinations, (byte) 0);
            for (int i : ids) ipiDestinations[i >> 3] |= (byte) (1 << (i & 7));
        }

        long reg(int r) { return regs[r]; }
    }

    Vm vm(String name) {
        synchronized (lock) {
            return vmsByName.get(name);
        }
    }

    Vm onlyVm() {
        synchronized (lock) {
            return vmsByCtx.values().iterator().next();
        }
    }

    private Vm vm(MemorySegment ctx) {
        Vm vm = vmsByCtx.get(ctx.address());
        if (vm == null) throw new IllegalStateException("not a vmctx: 0x" + Long.toHexString(ctx.address()));
        return vm;
    }

    private Cpu cpu(MemorySegment vcpu) {
        Cpu c = cpusByHandle.get(vcpu.address());
        if (c == null) throw new IllegalStateException("not a vcpu: 0x" + Long.toHexString(vcpu.address()));
        return c;
    }

    void close() {
        arena.close();
    }

    // ---- host -------------------------------------------------------------------------------------------

    @Override public boolean available() { return available; }

    @Override public Optional<String> unavailableReason() { return available ? Optional.empty() : Optional.of(unavailableReason); }

    @Override public OptionalLong sysctlNumber(String name) {
        Long v = sysctlNumbers.get(name);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    @Override public Optional<String> sysctlString(String name) { return Optional.ofNullable(sysctlStrings.get(name)); }

    @Override public boolean exists(String path) { return paths.contains(path); }

    @Override public boolean writable(String path) { return writablePaths.contains(path); }

    @Override public int munmap(long address, long length) {
        calls.add("munmap(0x" + Long.toHexString(address) + ", 0x" + Long.toHexString(length) + ")");
        return 0;
    }

    @Override public int lastErrno() { return lastErrno.get()[0]; }

    private MemorySegment nullWith(int errno) {
        lastErrno.get()[0] = errno;
        return MemorySegment.NULL;
    }

    // ---- VM ---------------------------------------------------------------------------------------------

    @Override public int create(String name) {
        synchronized (lock) {
            calls.add("vm_create(" + name + ")");
            if (createErrno != 0) return createErrno;
            if (vmsByName.containsKey(name)) return EEXIST;
            Vm vm = new Vm(name, nextHandle++);
            vmsByName.put(name, vm);
            vmsByCtx.put(vm.ctx, vm);
            return 0;
        }
    }

    @Override public MemorySegment open(String name) {
        synchronized (lock) {
            Vm vm = vmsByName.get(name);
            return vm == null ? nullWith(ENOENT) : MemorySegment.ofAddress(vm.ctx);
        }
    }

    @Override public void destroy(MemorySegment ctx) {
        synchronized (lock) {
            Vm vm = vm(ctx);
            calls.add("vm_destroy(" + vm.name + ")");
            vm.destroyed = true;
            vmsByName.remove(vm.name);
            lock.notifyAll();
        }
    }

    @Override public int setupMemory(MemorySegment ctx, long bytes) {
        synchronized (lock) {
            Vm vm = vm(ctx);
            vm.low = Math.min(bytes, 3L << 30);
            vm.high = Math.max(0, bytes - (3L << 30));
            vm.lowRam = arena.allocate(vm.low, 4096);
            if (vm.high > 0) vm.highRam = arena.allocate(vm.high, 4096);
            return 0;
        }
    }

    @Override public MemorySegment mapGpa(MemorySegment ctx, long gpa, long len) {
        synchronized (lock) {
            Vm vm = vm(ctx);
            if (gpa + len <= vm.low) return MemorySegment.ofAddress(vm.lowRam.address() + gpa);
            if (vm.high > 0 && gpa >= 4L << 30 && gpa + len <= (4L << 30) + vm.high) {
                return MemorySegment.ofAddress(vm.highRam.address() + gpa - (4L << 30));
            }
            return MemorySegment.NULL;
        }
    }

    @Override public long lowmemSize(MemorySegment ctx) { return vm(ctx).low; }

    @Override public long highmemSize(MemorySegment ctx) { return vm(ctx).high; }

    @Override public MemorySegment createDevmem(MemorySegment ctx, int segid, String name, long len) {
        synchronized (lock) {
            Vm vm = vm(ctx);
            calls.add("vm_create_devmem(" + segid + ", " + name + ", " + len + ")");
            boolean devmemId = abi == 15 ? segid >= 8 && segid <= 10 : segid >= 1 && segid <= 3;
            if (!devmemId || vm.devmem.containsKey(segid)) return nullWith(EINVAL);
            MemorySegment m = arena.allocate(len, 4096);
            vm.devmem.put(segid, m);
            vm.devmemNames.put(segid, name);
            return MemorySegment.ofAddress(m.address());
        }
    }

    @Override public int mmapMemseg(MemorySegment ctx, long gpa, int segid, long segoff, long len, int prot) {
        synchronized (lock) {
            Vm vm = vm(ctx);
            calls.add("vm_mmap_memseg(0x" + Long.toHexString(gpa) + ", " + segid + ", " + segoff + ", " + len + ", "
                    + prot + ")");
            if (!vm.devmem.containsKey(segid)) return EINVAL;
            vm.mmaps.add(new long[] {gpa, segid, segoff, len, prot});
            return 0;
        }
    }

    @Override public int setTopology(MemorySegment ctx, int sockets, int cores, int threads, int maxcpus) {
        Vm vm = vm(ctx);
        if (maxcpus != 0 || sockets * cores * threads > this.maxcpus) return EINVAL;
        vm.sockets = sockets;
        vm.cores = cores;
        vm.threads = threads;
        return 0;
    }

    @Override public int getTopology(MemorySegment ctx, MemorySegment out) {
        Vm vm = vm(ctx);
        out.set(ValueLayout.JAVA_SHORT, 0, (short) vm.sockets);
        out.set(ValueLayout.JAVA_SHORT, 2, (short) vm.cores);
        out.set(ValueLayout.JAVA_SHORT, 4, (short) vm.threads);
        out.set(ValueLayout.JAVA_SHORT, 6, (short) maxcpus);
        return 0;
    }

    @Override public int suspend(MemorySegment ctx, int how) {
        synchronized (lock) {
            Vm vm = vm(ctx);
            if (how <= 0 || how >= 6) return EINVAL;
            if (vm.suspendHow != 0) return EALREADY;
            vm.suspendHow = how;
            lock.notifyAll();
            return 0;
        }
    }

    // ---- interrupts -------------------------------------------------------------------------------------

    private int irq(MemorySegment ctx, String what) {
        vm(ctx).irqs.add(what);
        return 0;
    }

    @Override public int ioapicAssertIrq(MemorySegment ctx, int irq) { return irq(ctx, "ioapic_assert " + irq); }

    @Override public int ioapicDeassertIrq(MemorySegment ctx, int irq) { return irq(ctx, "ioapic_deassert " + irq); }

    @Override public int ioapicPulseIrq(MemorySegment ctx, int irq) { return irq(ctx, "ioapic_pulse " + irq); }

    @Override public int ioapicPincount(MemorySegment ctx, MemorySegment out) {
        out.set(ValueLayout.JAVA_INT, 0, vm(ctx).pincount);
        return 0;
    }

    @Override public int isaAssertIrq(MemorySegment ctx, int a, int i) { return irq(ctx, "isa_assert " + a + " " + i); }

    @Override public int isaDeassertIrq(MemorySegment ctx, int a, int i) { return irq(ctx, "isa_deassert " + a + " " + i); }

    @Override public int isaPulseIrq(MemorySegment ctx, int a, int i) { return irq(ctx, "isa_pulse " + a + " " + i); }

    @Override public int lapicMsi(MemorySegment ctx, long addr, long msg) {
        return irq(ctx, "msi 0x" + Long.toHexString(addr) + " 0x" + Long.toHexString(msg));
    }

    // ---- RTC --------------------------------------------------------------------------------------------

    @Override public int rtcRead(MemorySegment ctx, int offset, MemorySegment out) {
        if (offset < 0 || offset >= 128) return EINVAL;
        out.set(ValueLayout.JAVA_BYTE, 0, vm(ctx).cmos[offset]);
        return 0;
    }

    @Override public int rtcWrite(MemorySegment ctx, int offset, int value) {
        if (offset < 0 || offset >= 128) return EINVAL;
        vm(ctx).cmos[offset] = (byte) value;
        return 0;
    }

    @Override public int rtcSettime(MemorySegment ctx, long secs) {
        vm(ctx).rtcTime = secs;
        return 0;
    }

    @Override public int rtcGettime(MemorySegment ctx, MemorySegment out) {
        out.set(ValueLayout.JAVA_LONG, 0, vm(ctx).rtcTime);
        return 0;
    }

    // ---- vCPUs ------------------------------------------------------------------------------------------

    @Override public MemorySegment vcpuOpen(MemorySegment ctx, int id) {
        synchronized (lock) {
            Vm vm = vm(ctx);
            if (id < 0 || id >= maxcpus) return nullWith(EINVAL);
            Cpu c = vm.cpus.computeIfAbsent(id, i -> {
                Cpu n = new Cpu(vm, i, nextHandle++);
                cpusByHandle.put(n.handle, n);
                return n;
            });
            return MemorySegment.ofAddress(c.handle);
        }
    }

    @Override public void vcpuClose(MemorySegment vcpu) {
        synchronized (lock) {
            Cpu c = cpu(vcpu);
            c.closed = true;
            calls.add("vm_vcpu_close(" + c.id + ")");
        }
    }

    @Override public int run(MemorySegment vcpu, MemorySegment vmrun) {
        Cpu c;
        MemorySegment run = vmrun.reinterpret(32);
        int cpuid = run.get(ValueLayout.JAVA_INT, 0);
        MemorySegment cpuset = run.get(ValueLayout.ADDRESS, 8);
        long cpusetsize = run.get(ValueLayout.JAVA_LONG, 16);
        MemorySegment exit = run.get(ValueLayout.ADDRESS, 24).reinterpret(136);
        Step step;
        synchronized (lock) {
            c = cpu(vcpu);
            c.runs++;
            if (cpuid != c.id) throw new AssertionError("vm_run.cpuid " + cpuid + " for vcpu " + c.id);
            if (!c.vm.active.contains(c.id)) return EINVAL;
            if (c.vm.suspendHow != 0) return suspendedExit(c, exit);
            if (c.vm.debug.contains(c.id)) return debugExit(c, exit);
            c.regs[FreeBsdRegs.RIP] = c.nextrip;
            c.entries.add(c.nextrip);
            if (c.excPending) { // the kernel delivers a pending exception on entry
                c.delivered.add(c.excVector);
                c.excPending = false;
            }
            c.info1 = 0;
            step = c.program.poll();
        }
        byte[] image;
        try {
            image = step == null ? null : step.exit(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 4; // EINTR
        }
        synchronized (lock) {
            if (image == null) { // the guest spins until kicked or suspended
                while (!c.vm.debug.contains(c.id) && c.vm.suspendHow == 0 && !c.vm.destroyed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return 4;
                    }
                }
                if (c.vm.suspendHow != 0) return suspendedExit(c, exit);
                return debugExit(c, exit);
            }
            MemorySegment.copy(MemorySegment.ofArray(image), 0, exit, 0, 136);
            long rip = exit.get(ValueLayout.JAVA_LONG, 8);
            c.regs[FreeBsdRegs.RIP] = rip;
            c.nextrip = rip + exit.get(ValueLayout.JAVA_INT, 4);
            if (exit.get(ValueLayout.JAVA_INT, 0) == ExitImages.IPI) {
                MemorySegment.copy(MemorySegment.ofArray(c.ipiDestinations), 0, cpuset.reinterpret(cpusetsize), 0,
                        Math.min(cpusetsize, c.ipiDestinations.length));
            }
            return 0;
        }
    }

    private int suspendedExit(Cpu c, MemorySegment exit) {
        if (c.suspendReported) return EINVAL;
        c.suspendReported = true;
        MemorySegment.copy(MemorySegment.ofArray(ExitImages.suspended(c.vm.suspendHow, c.regs[FreeBsdRegs.RIP])), 0,
                exit, 0, 136);
        return 0;
    }

    private int debugExit(Cpu c, MemorySegment exit) {
        MemorySegment.copy(MemorySegment.ofArray(ExitImages.plain(ExitImages.DEBUG, c.regs[FreeBsdRegs.RIP])), 0,
                exit, 0, 136);
        c.nextrip = c.regs[FreeBsdRegs.RIP];
        return 0;
    }

    @Override public int getRegister(MemorySegment vcpu, int reg, MemorySegment out) {
        synchronized (lock) {
            Cpu c = cpu(vcpu);
            if (reg < 0 || reg >= 49) return EINVAL;
            if (unreadableRegs.contains(reg)) return ENOENT;
            out.reinterpret(8).set(ValueLayout.JAVA_LONG_UNALIGNED, 0, c.regs[reg]);
            return 0;
        }
    }

    @Override public int setRegister(MemorySegment vcpu, int reg, long value) {
        synchronized (lock) {
            Cpu c = cpu(vcpu);
            if (reg < 0 || reg >= 49) return EINVAL;
            c.regs[reg] = value;
            if (reg == FreeBsdRegs.RIP) c.nextrip = value;
            calls.add("vm_set_register(" + c.id + ", " + reg + ", 0x" + Long.toHexString(value) + ")");
            return 0;
        }
    }

    @Override public int getRegisterSet(MemorySegment vcpu, int count, MemorySegment regnums, MemorySegment regvals) {
        MemorySegment nums = regnums.reinterpret(4L * count), vals = regvals.reinterpret(8L * count);
        for (int i = 0; i < count; i++) {
            int e = getRegister(vcpu, nums.getAtIndex(ValueLayout.JAVA_INT, i), vals.asSlice(8L * i, 8));
            if (e != 0) return e;
        }
        return 0;
    }

    @Override public int setRegisterSet(MemorySegment vcpu, int count, MemorySegment regnums, MemorySegment regvals) {
        MemorySegment nums = regnums.reinterpret(4L * count), vals = regvals.reinterpret(8L * count);
        for (int i = 0; i < count; i++) {
            int e = setRegister(vcpu, nums.getAtIndex(ValueLayout.JAVA_INT, i), vals.getAtIndex(ValueLayout.JAVA_LONG, i));
            if (e != 0) return e;
        }
        return 0;
    }

    private static boolean descriptorRegister(int reg) {
        return reg >= 22 && reg <= 31; // ES..GDTR
    }

    @Override public int getDesc(MemorySegment vcpu, int reg, MemorySegment base, MemorySegment limit, MemorySegment access) {
        synchronized (lock) {
            Cpu c = cpu(vcpu);
            if (!descriptorRegister(reg)) return EINVAL;
            base.reinterpret(8).set(ValueLayout.JAVA_LONG_UNALIGNED, 0, c.descBase[reg]);
            limit.reinterpret(4).set(ValueLayout.JAVA_INT_UNALIGNED, 0, c.descLimit[reg]);
            access.reinterpret(4).set(ValueLayout.JAVA_INT_UNALIGNED, 0, c.descAccess[reg]);
            return 0;
        }
    }

    @Override public int setDesc(MemorySegment vcpu, int reg, long base, int limit, int access) {
        synchronized (lock) {
            Cpu c = cpu(vcpu);
            if (!descriptorRegister(reg)) return EINVAL;
            c.descBase[reg] = base;
            c.descLimit[reg] = limit;
            c.descAccess[reg] = access;
            return 0;
        }
    }

    @Override public int injectException(MemorySegment vcpu, int vector, boolean errcodeValid, int errcode, boolean restart) {
        synchronized (lock) {
            Cpu c = cpu(vcpu);
            if (vector < 0 || vector >= 32 || vector == 8) return EINVAL;
            if (c.excPending) return EBUSY;
            c.regs[FreeBsdRegs.INTR_SHADOW] = 0;
            if (restart) c.nextrip = c.regs[FreeBsdRegs.RIP];
            c.excPending = true;
            c.excVector = vector;
            c.excErrValid = errcodeValid;
            c.excErr = errcode;
            calls.add("vm_inject_exception(" + c.id + ", " + vector + ", " + errcodeValid + ", 0x"
                    + Integer.toHexString(errcode) + ", " + restart + ")");
            return 0;
        }
    }

    @Override public int getIntinfo(MemorySegment vcpu, MemorySegment info1, MemorySegment info2) {
        synchronized (lock) {
            Cpu c = cpu(vcpu);
            info1.reinterpret(8).set(ValueLayout.JAVA_LONG_UNALIGNED, 0, c.info1);
            long i2 = 0;
            if (c.excPending) {
                i2 = (1L << 31) | (3L << 8) | c.excVector;
                if (c.excErrValid) i2 |= (1L << 11) | ((long) c.excErr << 32);
            }
            info2.reinterpret(8).set(ValueLayout.JAVA_LONG_UNALIGNED, 0, i2);
            return 0;
        }
    }

    @Override public int setIntinfo(MemorySegment vcpu, long info1) {
        synchronized (lock) {
            Cpu c = cpu(vcpu);
            if ((info1 & (1L << 31)) != 0) {
                int type = (int) (info1 >> 8) & 7, vector = (int) info1 & 0xff;
                if (type == 2 && vector != 2) return EINVAL;
                if (type == 3 && vector >= 32) return EINVAL;
            } else {
                info1 = 0;
            }
            c.info1 = info1;
            return 0;
        }
    }

    @Override public int injectNmi(MemorySegment vcpu) {
        calls.add("vm_inject_nmi(" + cpu(vcpu).id + ")");
        return 0;
    }

    @Override public int restartInstruction(MemorySegment vcpu) {
        synchronized (lock) {
            Cpu c = cpu(vcpu);
            c.nextrip = c.regs[FreeBsdRegs.RIP];
            return 0;
        }
    }

    @Override public int activateCpu(MemorySegment vcpu) {
        synchronized (lock) {
            Cpu c = cpu(vcpu);
            return c.vm.active.add(c.id) ? 0 : EBUSY;
        }
    }

    @Override public int suspendCpu(MemorySegment vcpu) {
        synchronized (lock) {
            Cpu c = cpu(vcpu);
            calls.add("vm_suspend_cpu(" + c.id + ")");
            if (!c.vm.active.contains(c.id)) return EINVAL;
            c.vm.debug.add(c.id);
            lock.notifyAll();
            return 0;
        }
    }

    @Override public int resumeCpu(MemorySegment vcpu) {
        synchronized (lock) {
            Cpu c = cpu(vcpu);
            calls.add("vm_resume_cpu(" + c.id + ")");
            return c.vm.debug.remove(c.id) ? 0 : EINVAL;
        }
    }

    @Override public int getCapability(MemorySegment vcpu, int cap, MemorySegment out) {
        synchronized (lock) {
            Cpu c = cpu(vcpu);
            if (cap < 0 || cap >= 11) return EINVAL;
            if (missingCaps.contains(cap)) return ENOENT;
            out.reinterpret(4).set(ValueLayout.JAVA_INT, 0, c.caps.getOrDefault(cap, 0));
            return 0;
        }
    }

    @Override public int setCapability(MemorySegment vcpu, int cap, int value) {
        synchronized (lock) {
            Cpu c = cpu(vcpu);
            if (cap < 0 || cap >= 11) return EINVAL;
            if (missingCaps.contains(cap)) return ENOENT;
            c.caps.put(cap, value);
            return 0;
        }
    }

    /** The power-on state libvmmapi's {@code vcpu_reset} writes (real mode, CS:IP = F000:FFF0). */
    @Override public int vcpuReset(MemorySegment vcpu) {
        synchronized (lock) {
            Cpu c = cpu(vcpu);
            calls.add("vcpu_reset(" + c.id + ")");
            Arrays.fill(c.regs, 0);
            c.regs[FreeBsdRegs.RFLAGS] = 2;
            c.regs[FreeBsdRegs.RIP] = 0xfff0;
            c.nextrip = 0xfff0;
            c.regs[FreeBsdRegs.CR0] = 0x6000_0010L;
            c.regs[FreeBsdRegs.RDX] = 0xf00;
            c.regs[FreeBsdRegs.DR6] = 0xffff0ff0L;
            c.regs[FreeBsdRegs.DR7] = 0x400;
            for (int r = 22; r <= 27; r++) {
                c.descBase[r] = 0;
                c.descLimit[r] = 0xffff;
                c.descAccess[r] = 0x93;
            }
            c.regs[FreeBsdRegs.CS] = 0xf000;
            c.descBase[FreeBsdRegs.CS] = 0xffff_0000L;
            c.descAccess[FreeBsdRegs.CS] = 0x9b;
            c.descLimit[28] = 0xffff;
            c.descAccess[28] = 0x82;
            c.descLimit[29] = 0xffff;
            c.descAccess[29] = 0x8b;
            c.descBase[30] = c.descBase[31] = 0;
            c.descLimit[30] = c.descLimit[31] = 0xffff;
            c.excPending = false;
            c.info1 = 0;
            return 0;
        }
    }

    // ---- the VM device ----------------------------------------------------------------------------------

    @Override public int openDevice(String name) {
        synchronized (lock) {
            Vm vm = vmsByName.get(name);
            if (vm == null) return -ENOENT;
            vm.fd = nextFd++;
            vmsByFd.put(vm.fd, vm);
            return vm.fd;
        }
    }

    @Override public void closeDevice(int fd) {
        synchronized (lock) {
            calls.add("close(" + fd + ")");
            vmsByFd.remove(fd);
        }
    }

    @Override public int ioctl(int fd, long request, MemorySegment arg) {
        synchronized (lock) {
            Vm vm = vmsByFd.get(fd);
            if (vm == null) return 9; // EBADF
            if (request == GET_MEMSEG_15 && abi == 15) return getMemseg(vm, arg.reinterpret(56));
            if (request == GET_MEMSEG_14 && (abi == 14 || compat14)) return getMemseg(vm, arg.reinterpret(32));
            if (request == SNAPSHOT_REQ && snapshotSupport) return snapshot(vm, arg.reinterpret(64));
            if (request == RESTORE_TIME && snapshotSupport) {
                vm.snapshotOps.add("restore_time");
                return 0;
            }
            return ENOTTY;
        }
    }

    private int getMemseg(Vm vm, MemorySegment m) {
        int segid = m.get(ValueLayout.JAVA_INT, 0);
        int sysmem = 0;
        long len;
        String name = "";
        if (segid == sysmem) {
            // What vm_setup_memory allocated: FreeBSD 15's libvmmapi (vm_setup_memory_domains) the RAM size,
            // FreeBSD 14's one object spanning the hole below 4 GiB.
            len = abi == 15 ? vm.low + vm.high : vm.high > 0 ? (4L << 30) + vm.high : vm.low;
        } else if (vm.devmem.containsKey(segid)) {
            len = vm.devmem.get(segid).byteSize();
            name = vm.devmemNames.get(segid);
        } else if (segid > 0 && segid < (abi == 15 ? 11 : 4)) {
            len = 0;
        } else {
            return EINVAL;
        }
        m.set(ValueLayout.JAVA_LONG, 8, len);
        MemorySegment n = m.asSlice(16, 16);
        n.fill((byte) 0);
        byte[] b = name.getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(b, 0, n, ValueLayout.JAVA_BYTE, 0, b.length);
        return 0;
    }

    /** vm_snapshot_meta: dev_data @0, dev_name @8, dev_req @16, buffer {buf_start @24, buf_size @32, buf @40, buf_rem @48}, op @56. */
    private int snapshot(Vm vm, MemorySegment meta) {
        int req = meta.get(ValueLayout.JAVA_INT, 16);
        int op = meta.get(ValueLayout.JAVA_INT, 56);
        long buf = meta.get(ValueLayout.JAVA_LONG, 40);
        long rem = meta.get(ValueLayout.JAVA_LONG, 48);
        String name = meta.get(ValueLayout.ADDRESS, 8).reinterpret(32).getString(0);
        if (meta.get(ValueLayout.JAVA_LONG, 24) != buf || meta.get(ValueLayout.JAVA_LONG, 32) != rem) {
            throw new AssertionError("request not reset: buf != buf_start or buf_rem != buf_size");
        }
        byte[] blob = vm.kernelBlobs.get(req);
        if (req < 1 || req > 10 || req == 4 || blob == null) return EINVAL;
        vm.snapshotOps.add((op == 0 ? "save " : "restore ") + name);
        if (rem < blob.length) return E2BIG;
        MemorySegment at = MemorySegment.ofAddress(buf).reinterpret(blob.length);
        if (op == 0) {
            MemorySegment.copy(MemorySegment.ofArray(blob), 0, at, 0, blob.length);
        } else {
            vm.restored.put(req, at.toArray(ValueLayout.JAVA_BYTE));
        }
        meta.set(ValueLayout.JAVA_LONG, 40, buf + blob.length);
        meta.set(ValueLayout.JAVA_LONG, 48, rem - blob.length);
        return 0;
    }

    /** vm_reg_name numbers the model needs (shared/reference/freebsd-bhyve.md, section 2). */
    static final class FreeBsdRegs {
        static final int RAX = 0, RBX = 1, RCX = 2, RDX = 3, RSI = 4, RDI = 5, RBP = 6, R8 = 7, R15 = 14, CR0 = 15,
                CR3 = 16, CR4 = 17, DR7 = 18, RSP = 19, RIP = 20, RFLAGS = 21, ES = 22, CS = 23, SS = 24, DS = 25,
                FS = 26, GS = 27, LDTR = 28, TR = 29, IDTR = 30, GDTR = 31, EFER = 32, CR2 = 33, INTR_SHADOW = 38,
                DR0 = 39, DR6 = 43, FS_BASE = 45, GS_BASE = 46, KGS_BASE = 47;
    }
}
