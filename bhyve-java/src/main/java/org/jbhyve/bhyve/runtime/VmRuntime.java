package org.jbhyve.bhyve.runtime;

import org.jbhyve.bhyve.boot.BootLoader;
import org.jbhyve.bhyve.boot.BootLoaders;
import org.jbhyve.bhyve.boot.BootRom;
import org.jbhyve.bhyve.cli.Emulations;
import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.config.CpuTopology;
import org.jbhyve.bhyve.config.MemorySize;
import org.jbhyve.bhyve.device.Lifecycle;
import org.jbhyve.bhyve.device.MemoryMap;
import org.jbhyve.bhyve.devices.acpi.*;
import org.jbhyve.bhyve.devices.smbios.SmbiosTables;
import org.jbhyve.bhyve.devices.fwcfg.FirmwareInterface;
import org.jbhyve.bhyve.devices.fwcfg.FwCfg;
import org.jbhyve.bhyve.devices.fwcfg.FwCtl;
import org.jbhyve.bhyve.devices.pci.*;
import org.jbhyve.bhyve.devices.pm.AcpiPm;
import org.jbhyve.bhyve.devices.pm.PowerControl;
import org.jbhyve.bhyve.devices.rtc.CmosRtc;
import org.jbhyve.bhyve.devices.testdev.DebugExit;
import org.jbhyve.bhyve.devices.testdev.PcTestDev;
import org.jbhyve.bhyve.devices.uart.Uart16550;
import org.jbhyve.bhyve.control.ControlException;
import org.jbhyve.bhyve.control.ControlProtocol;
import org.jbhyve.bhyve.control.VmControl;
import org.jbhyve.bhyve.device.Snapshottable;
import org.jbhyve.snapshot.format.SnapshotReader;
import org.jbhyve.vmm.*;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One running VM: builds the machine a bhyve config tree describes (backend VM, PCI bus and devices,
 * LPC devices, RTC, ACPI PM, firmware tables, the boot loader), runs one platform thread per vCPU,
 * and reports how the VM ended as a bhyve {@link ExitStatus}.
 *
 * <p>Everything that can be checked is checked before the backend VM exists (config values, device
 * names, boot images), so a bad command line never leaves a half-built VM behind.
 */
public final class VmRuntime implements AutoCloseable {
    private static final int[] COM_PORTS = {MemoryMap.COM1_PORT, MemoryMap.COM2_PORT, MemoryMap.COM3_PORT,
            MemoryMap.COM4_PORT};
    private static final int[] COM_IRQS = {MemoryMap.COM1_IRQ, MemoryMap.COM2_IRQ, MemoryMap.COM3_IRQ,
            MemoryMap.COM4_IRQ};

    private final ConfigTree config;
    /**
     * The name the derived UUID comes from: the VM's, or on a restore the name it had when it booted (the guest
     * has seen that UUID, also when the restore gives the VM a new name).
     */
    private final String uuidName;
    private final PrintStream log;
    private final VmStateMachine state;
    private final Hypervisor hypervisor;
    private final VirtualMachine vm;
    private final VmPlatform platform;
    private final BootLoader loader;
    private final PciBus pciBus;
    private final AcpiPm acpiPm;
    private final List<Lifecycle> lifecycles = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<Thread> vcpuThreads = new ArrayList<>();
    private final List<Uart16550> uarts = new ArrayList<>();

    /** Config key: whether a checkpoint that keeps the VM running copies RAM while the guest runs. */
    public static final String LIVE_CHECKPOINT_KEY = "checkpoint.live";
    private final boolean liveCheckpoints;

    /** Built for a restore that has not come yet ({@link #prepare}): no boot, RAM to be replaced. */
    private volatile boolean prepared;

    private VmRuntime(ConfigTree config, PrintStream log, SnapshotReader restoreFrom, boolean prepareOnly) {
        this.config = config;
        this.log = log;
        String name = config.get("name").orElseThrow(() -> new ConfigException("the VM has no name: "
                + "give it as the last argument of bhyve"));
        String badName = org.jbhyve.bhyve.config.VmName.problem(name);
        if (badName != null) throw new ConfigException(badName);
        CpuTopology topology = CpuTopology.fromConfig(config);
        if (topology.cpus() > org.jbhyve.bhyve.devices.acpi.AcpiMachine.MAX_VCPUS) {
            throw new ConfigException(topology.cpus() + " vCPUs are more than the "
                    + org.jbhyve.bhyve.devices.acpi.AcpiMachine.MAX_VCPUS + " jbhyve's machine has (its APIC IDs are"
                    + " 8 bits, and 0xff is the broadcast ID): give -c at most "
                    + org.jbhyve.bhyve.devices.acpi.AcpiMachine.MAX_VCPUS);
        }
        long memoryBytes = MemorySize.fromConfig(config);
        if (restoreFrom == null) {
            checkEmulations(config);
        } else {
            try {
                checkEmulations(config);
                checkLpcDevices(config);
            } catch (ConfigException e) {
                throw new ConfigException("cannot restore " + restoreFrom.file() + ": " + e.getMessage());
            }
        }
        checkUnimplementedOptions(config, log, restoreFrom != null);
        givenUuid(); // a bad -U stops bhyve here, as bhyve's SMBIOS tables do, also when no table is written
        this.uuidName = restoreFrom == null ? name : restoreFrom.manifest().config().getOrDefault("name", name);
        this.wired = config.getBoolean("memory.wired", false);
        this.liveCheckpoints = config.getBoolean(LIVE_CHECKPOINT_KEY, true);
        if (restoreFrom != null) SnapshotRestore.checkCompatible(restoreFrom, topology.cpus(), memoryBytes);
        this.prepared = prepareOnly;
        boolean booting = restoreFrom == null && !prepareOnly;
        // A restored guest is already booted: its RAM, firmware tables included, comes from the snapshot.
        // Only a boot ROM lives outside RAM: it is mapped again (and checked to be the same firmware).
        this.loader = booting || hasBootrom(config) ? BootLoaders.fromConfig(config, memoryBytes) : null;
        if (loader != null) closeables.add(loader); // a boot ROM holds its VARS file open and mapped
        this.state = new VmStateMachine(topology.cpus());

        Hypervisor opened = null;
        VirtualMachine created = null;
        try {
            opened = Hypervisor.open();
            if (restoreFrom != null) SnapshotRestore.checkBackend(restoreFrom, opened.backendName());
            MemorySource ram = restoreFrom == null ? MemoryBacking.MEMFD : SnapshotRestore.memorySource(restoreFrom);
            created = opened.createVm(new VmConfig(name, topology.cpus(), memoryBytes, true, ram));
            this.vm = created;
            // A standby's prepared machine stays untouched until its restore, which wires the snapshot's RAM.
            if (wired && !prepareOnly) wireRam();
            this.platform = new VmPlatform(vm, log);
            this.pciBus = buildPci();
            this.acpiPm = new AcpiPm(platform, new Power());
            lifecycles.add(acpiPm);
            // The SCI is a level-triggered user of IRQ 9, so PIRQ links take it only after every other IRQ
            // (bhyve's sci_init does the same). It also keeps the SCI's IOAPIC pin free of PCI interrupts:
            // on KVM a link's ISA IRQ drives the IOAPIC pin of that number too, not only the 8259 input.
            pciBus.intx().useIsaIrq(MemoryMap.SCI_IRQ);
            CmosRtc rtc = CmosRtc.fromConfig(config, platform, vm.memory().lowmemSize(), vm.memory().highmemSize());
            lifecycles.add(rtc);
            closeables.add(rtc);
            buildLpcDevices(topology.cpus(), memoryBytes);
            pciBus.realize();
            if (booting) {
                writeFirmwareTables(topology);
                loader.load(vm, platform.mmio());
            } else {
                if (loader instanceof BootRom rom) rom.attach(vm, platform.mmio());
                if (restoreFrom != null) {
                    SnapshotRestore.restore(Path.of(restoreFrom.file()), restoreFrom.identity(), vm, snapshottables(), log);
                    restoredFromSnapshot = true;
                }
            }
            var pinning = VcpuPinning.fromConfig(config, topology.cpus());
            boolean pin = VcpuPinning.check(pinning, log::println);
            // bhyve -H: KVM's in-kernel LAPIC waits in HLT itself, so halting is found by probing (FreeBSD's vmm
            // detects it in the kernel and says so with an exit).
            this.halts = config.getBoolean("x86.vmexit_on_hlt", false) && "kvm".equals(opened.backendName())
                    ? new HaltDetector(vm.vcpus()) : null;
            for (Vcpu v : vm.vcpus()) {
                VcpuLoop loop = new VcpuLoop(v, platform.io(), platform.mmio(), state,
                        config.getBoolean("x86.strictio", false), config.getBoolean("x86.strictmsr", true), this::end,
                        v.id() == 0 ? this::markFirstEntry : null, halts);
                java.util.BitSet cpus = pin ? pinning.get(v.id()) : null;
                Runnable body = cpus == null ? loop : () -> {
                    try {
                        VcpuPinning.pinCurrentThread(v.id(), cpus);
                    } catch (ConfigException e) {
                        end(ExitStatus.ERROR, e.getMessage());
                        return;
                    }
                    loop.run();
                };
                vcpuThreads.add(Thread.ofPlatform().name("vcpu " + v.id()).daemon().unstarted(body));
            }
            // A prepared VM waits for a restore request: its vCPU threads start now and park (the state is
            // CREATED) so that creating and scheduling them is not part of the restore's time.
            if (prepareOnly) startThreads();
        } catch (RuntimeException | Error e) {
            state.end(ExitStatus.ERROR, "the VM could not be built"); // lets any started vCPU thread go
            closeQuietly();
            if (created != null) created.close();
            if (opened != null) opened.close();
            throw e;
        }
        this.hypervisor = opened;
    }

    private static boolean hasBootrom(ConfigTree cfg) {
        return cfg.contains("bootrom") || cfg.contains("lpc.bootrom");
    }

    /** Builds the VM {@code config} describes; nothing runs until {@link #start()}. */
    public static VmRuntime build(ConfigTree config, PrintStream log) {
        return new VmRuntime(config, log, null, false);
    }

    /**
     * Builds the VM {@code config} describes but boots nothing: every device, vCPU and memory slot
     * exists, RAM is untouched, and the VM waits for {@link #restoreInPlace}. What a standby bhyve
     * builds ahead of its restore request, so that the request costs only the restore.
     */
    public static VmRuntime prepare(ConfigTree config, PrintStream log) {
        return new VmRuntime(config, log, null, true);
    }

    /**
     * Restores snapshot {@code file} into this VM from {@link #prepare}: its RAM becomes the file's
     * (mapped lazily), then every vCPU, device and kernel state is put back, as
     * {@link #restore(SnapshotReader, ConfigTree, PrintStream)} does for a VM built from the snapshot.
     * {@code fits} sees the snapshot's config first and throws (a {@link ConfigException} saying why)
     * if this VM is not the machine it describes. That and every other refusal the snapshot's chunks
     * allow before anything changes (backend, shape, missing or extra chunks, undecodable vCPU state)
     * leave this VM prepared for another snapshot. A failure after that (a device or the hypervisor
     * refusing a value) leaves it unusable: close it.
     */
    public void restoreInPlace(Path file, java.util.function.Consumer<Map<String, String>> fits) {
        if (!prepared) throw new IllegalStateException("only a VM built by prepare() and not yet restored can restore in place");
        // Prepared no more once the restore starts to change the VM; a refusal before that leaves it prepared.
        SnapshotRestore.restoreInPlace(file, vm, hypervisor.backendName(), snapshottables(), fits,
                () -> prepared = false, log);
        if (wired) wireRam(); // the snapshot's RAM replaced the locked memory
        restoredFromSnapshot = true;
    }

    /** bhyve -S ({@code memory.wired}): guest RAM is kept in host RAM (never swapped). */
    private final boolean wired;

    /**
     * Locks guest RAM into host memory (mlock), as bhyve -S wires it. This reads in every page now: a
     * restored VM's RAM then no longer comes lazily from its snapshot file.
     */
    private void wireRam() {
        long total = vm.memory().regions().stream().mapToLong(GuestMemory.Region::size).sum();
        requireLockable(total, availableHostMemory(Path.of("/proc/meminfo")));
        for (GuestMemory.Region r : vm.memory().regions()) {
            try (java.lang.foreign.Arena a = java.lang.foreign.Arena.ofConfined()) {
                java.lang.foreign.MemorySegment err = org.jbhyve.bindings.libc.libc_h.allocateErrnoState(a);
                if (org.jbhyve.bindings.libc.libc_h.mlock(err, r.host(), r.size()) != 0) {
                    int e = org.jbhyve.bindings.libc.libc_h.errno(err);
                    throw new ConfigException("memory.wired (-S): cannot lock " + (r.size() >> 20) + " MiB of guest RAM"
                            + " in host memory: " + org.jbhyve.bindings.libc.Errno.name(e) + " ("
                            + org.jbhyve.bindings.libc.Errno.describe(e) + "); raise the locked-memory limit (ulimit -l,"
                            + " LimitMEMLOCK=) or run bhyve as root, or leave -S out");
                }
            }
        }
    }

    /**
     * Refuses to lock more guest RAM than the host has available. mlock reads in every page, and for root (or
     * an unlimited RLIMIT_MEMLOCK) nothing else stops it: -S with more RAM than the host can give took host
     * memory until the kernel's OOM killer stepped in, instead of failing as bhyve does when it cannot wire.
     */
    static void requireLockable(long bytes, java.util.OptionalLong available) {
        if (available.isPresent() && bytes > available.getAsLong()) {
            throw new ConfigException("memory.wired (-S): cannot lock " + (bytes >> 20) + " MiB of guest RAM in host"
                    + " memory: the host has " + (available.getAsLong() >> 20) + " MiB available; give the guest less"
                    + " memory (-m) or leave -S out");
        }
    }

    /** Linux's MemAvailable from {@code meminfo} in bytes; empty where there is no such file (FreeBSD) or line. */
    static java.util.OptionalLong availableHostMemory(Path meminfo) {
        try {
            for (String line : java.nio.file.Files.readAllLines(meminfo)) {
                java.util.regex.Matcher m = MEM_AVAILABLE.matcher(line);
                if (m.matches()) return java.util.OptionalLong.of(Long.parseLong(m.group(1)) << 10);
            }
        } catch (java.io.IOException | RuntimeException e) {
            // cannot tell: mlock decides
        }
        return java.util.OptionalLong.empty();
    }

    private static final java.util.regex.Pattern MEM_AVAILABLE = java.util.regex.Pattern.compile("MemAvailable:\\s+(\\d{1,15}) kB");

    /**
     * bhyve options jbhyve takes but does not act on. The debugger (-G) is refused: a user would wait for
     * a gdb stub that never listens. The rest change nothing a guest relies on, and bhyve says so once
     * each: -x (the local APICs stay in xAPIC mode), -C (guest memory in core files), -M (monitor mode),
     * -n (NUMA domains: checked as bhyve checks them, but the guest sees one domain). -H and -P are KVM's
     * to decide, and -D holds anyway on Linux (the VM goes with the process).
     */
    private static void checkUnimplementedOptions(ConfigTree config, PrintStream log, boolean restoring) {
        if (config.get("gdb.port").isPresent()) {
            // A snapshot of a VM started with -G by an earlier jbhyve (which took it silently) carries the key,
            // and no option removes a key: a restore says it is ignored instead.
            if (restoring) {
                log.println("bhyve: gdb.port (-G) is ignored: jbhyve has no GDB stub yet");
            } else {
                throw new ConfigException("-G (gdb.port): jbhyve has no GDB stub yet, so nothing would listen for the"
                        + " debugger; leave -G out");
            }
        }
        if (config.getBoolean("x86.x2apic", false)) {
            log.println("bhyve: -x (x86.x2apic) is ignored: jbhyve's local APICs stay in xAPIC mode");
        }
        if (config.getBoolean("memory.guest_in_core", false)) {
            log.println("bhyve: -C (memory.guest_in_core) is ignored: what a core file of jbhyve holds is the kernel's"
                    + " coredump_filter's choice");
        }
        if (config.getBoolean("monitor", false)) {
            log.println("bhyve: -M (monitor) is ignored by jbhyve");
        }
        if (config.isNode("domains")) {
            log.println("bhyve: -n (domains) is ignored: jbhyve gives the guest one NUMA domain (no SRAT table, no"
                    + " host memory policy)");
        }
    }

    /** True while this is a VM {@link #prepare} built and no restore has begun to change it. */
    public boolean isPrepared() {
        return prepared;
    }

    /** Set once state came from a snapshot: {@link #start()} tells the devices ({@link Lifecycle#restored()}). */
    private boolean restoredFromSnapshot;

    /**
     * Builds the VM a snapshot describes, with every vCPU, kernel and device state put back and guest
     * RAM mapped lazily from the snapshot file; {@code config} is the snapshot's config with the
     * command line's overrides applied, {@code snapshot} the file opened for inspection (its shape is
     * checked before the VM exists; its chunks are read again, version-checked, once the devices
     * exist). Fails before any vCPU runs if anything cannot be honoured.
     */
    public static VmRuntime restore(SnapshotReader snapshot, ConfigTree config, PrintStream log) {
        return new VmRuntime(config, log, snapshot, false);
    }

    /** Refuses emulations that bhyve knows but jbhyve does not implement yet, before anything is built. */
    private static void checkEmulations(ConfigTree cfg) {
        if (cfg.get("tpm.type").isPresent()) {
            throw new ConfigException("emulation tpm (-l tpm," + cfg.get("tpm.type").get() + ",...) is not supported yet"
                    + " by jbhyve");
        }
        PciDeviceFactory factory = PciDeviceFactory.standard();
        for (String node : pciNodes(cfg)) {
            String emu = cfg.get(node + ".device").orElseThrow(() ->
                    new ConfigException(node + " has no device: set " + node + ".device"));
            if (!factory.knows(emu)) {
                boolean known = Emulations.findPci(emu).isPresent();
                throw new ConfigException(known
                        ? "emulation " + emu + " (" + node + ") is not supported yet by jbhyve"
                        : "unknown PCI emulation " + emu + " at " + node + " (see bhyve -s help)");
            }
        }
    }

    /**
     * On a restore, every {@code lpc.*} entry must name an LPC device this build knows: the manifest was
     * written by jbhyve, so one it does not know (as a PCI emulation it does not know) comes from a newer
     * jbhyve, and its device's state would be lost. A boot ignores unknown keys, as bhyve does.
     */
    private static void checkLpcDevices(ConfigTree cfg) {
        for (String child : cfg.children("lpc")) {
            if (child.equals("bootvars") || Emulations.findLpc(child).isPresent()) continue;
            throw new ConfigException("its configuration has LPC device '" + child + "' (lpc." + child + "), which this"
                    + " jbhyve does not know (the snapshot may come from a newer jbhyve)");
        }
    }

    private static List<String> pciNodes(ConfigTree cfg) {
        List<String> nodes = new ArrayList<>();
        for (String bus : cfg.children("pci")) {
            for (String slot : cfg.children("pci." + bus)) {
                for (String fn : cfg.children("pci." + bus + "." + slot)) {
                    if (cfg.isNode("pci." + bus + "." + slot + "." + fn)) nodes.add("pci." + bus + "." + slot + "." + fn);
                }
            }
        }
        return nodes;
    }

    private PciBus buildPci() {
        PciBus bus = new PciBus(platform, PciBus.Options.fromConfig(config, vm.memory()));
        PciDeviceFactory factory = PciDeviceFactory.standard();
        for (String node : pciNodes(config)) {
            String emu = config.get(node + ".device").orElseThrow();
            PciDevice dev = factory.create(emu, config, node, PciAddress.fromNode(node), platform);
            bus.add(dev);
            if (dev instanceof AutoCloseable c) closeables.add(c); // I/O threads, image files, sockets
        }
        lifecycles.add(bus);
        return bus;
    }

    /** The PCI bus, for tests that check how the machine is wired. */
    PciBus pciBus() {
        return pciBus;
    }

    private Optional<PciDevice> lpcBridge() {
        return pciBus.devices().stream().filter(d -> d instanceof LpcBridge).findFirst();
    }

    /** COM ports, firmware config, test devices: bhyve attaches them to the LPC bridge. */
    private void buildLpcDevices(int cpus, long memoryBytes) {
        boolean lpc = lpcBridge().isPresent();
        for (int i = 0; i < 4; i++) {
            String node = "lpc.com" + (i + 1);
            if (!config.contains(node)) continue;
            if (!lpc) {
                throw new ConfigException("com" + (i + 1) + " is an LPC device and needs the LPC bridge: add -s 31,lpc");
            }
            Uart16550 uart = Uart16550.fromConfig(config, node, COM_PORTS[i], COM_IRQS[i], platform);
            uarts.add(uart);
            lifecycles.add(uart);
            closeables.add(uart);
        }
        boolean bootrom = hasBootrom(config);
        switch (FirmwareInterface.fromConfig(config)) {
            case QEMU -> lifecycles.add(FwCfg.fromConfig(config, platform, cpus, memoryBytes, uuid()));
            case BHYVE -> {
                if (bootrom) lifecycles.add(new FwCtl(platform, cpus));
            }
        }
        boolean testdev = config.getBoolean("lpc.pc-testdev", false);
        if (testdev) lifecycles.add(new PcTestDev(platform));
        if (testdev || config.getBoolean("lpc.debug-exit", false)) {
            lifecycles.add(new DebugExit(platform, status -> end(ExitStatus.ERROR, status,
                    "guest wrote to the debug-exit port: exit status " + status)));
        }
    }

    /**
     * The VM's UUID: -U's, or one derived from the VM's name ({@link #uuidName}). The derived one is made only
     * when a boot writes the SMBIOS tables or the fw_cfg interface asks for it, so a restore of a VM without
     * fw_cfg makes none: its MD5 starts the JDK's security providers, 10-15 ms of a cold start.
     */
    private UUID uuid() {
        return givenUuid().orElseGet(() -> UUID.nameUUIDFromBytes(
                ("jbhyve:" + uuidName).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** -U's UUID, if one was given; a malformed one is a {@link ConfigException}. */
    private Optional<UUID> givenUuid() {
        Optional<String> u = config.get("uuid");
        if (u.isEmpty()) return Optional.empty();
        try {
            // The 36-character form, as bhyve's uuid_from_string(3) wants: UUID.fromString alone would also
            // take "1-1-1-1-1" and cut a group that is too long.
            if (!u.get().matches("\\p{XDigit}{8}(-\\p{XDigit}{4}){3}-\\p{XDigit}{12}")) {
                throw new IllegalArgumentException("form");
            }
            return Optional.of(UUID.fromString(u.get()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("uuid=" + u.get() + " is not a UUID (use the form "
                    + "01234567-89ab-cdef-0123-456789abcdef)");
        }
    }

    private void writeFirmwareTables(CpuTopology topology) {
        AcpiMachine.Builder b = AcpiMachine.builder(topology.cpus());
        List<PciIntxRoute> routes = new ArrayList<>();
        for (IntxRoute r : pciBus.intxRoutes()) routes.add(new PciIntxRoute(r.slot(), r.pin(), r.ioapicPin()));
        for (PciBusWindow w : pciBus.windows()) {
            b.bus(new PciRootBus(w.bus(), new AddressWindow(w.ioBase(), w.ioLimit()),
                    new AddressWindow(w.mem32Base(), w.mem32Limit()), new AddressWindow(w.mem64Base(), w.mem64Limit()),
                    w.bus() == 0 ? routes : List.of()));
        }
        Optional<PciDevice> lpc = lpcBridge();
        lpc.ifPresent(d -> b.lpcBridge(d.address().slot(), d.address().function()));
        for (int i = 0; i < 4; i++) {
            if (config.contains("lpc.com" + (i + 1)) && lpc.isPresent()) b.isa(IsaDevice.Uart.com(i + 1));
        }
        AcpiMachine machine = b.build();
        try {
            long free = MemoryMap.ACPI_BASE;
            if (config.getBoolean("acpi_tables", true)) free = AcpiTables.write(machine, vm.memory()).end();
            if (config.getBoolean("x86.mptable", true)) MpTable.write(machine, vm.memory());
            writeSmbios(topology, (free + 15) & ~15L);
        } catch (AcpiBuildException e) {
            // Tables the machine's options cannot have (a device on bus 1 with the MP table on, too little RAM):
            // the options' error, said in one line, not a bug's trace.
            ConfigException c = new ConfigException(e.getMessage());
            c.initCause(e);
            throw c;
        }
    }

    /**
     * The SMBIOS tables, as bhyve always writes them, at {@code at}: after the ACPI tables, in the BIOS area
     * where guests scan for them (bhyve has them at 0xf1000, between its MP table and ACPI tables; here the MP
     * table of a 255-vCPU machine alone needs more room than that leaves).
     */
    private void writeSmbios(CpuTopology topology, long at) {
        byte[] image = SmbiosTables.build(config, uuid(), topology, vm.memory().lowmemSize(),
                vm.memory().highmemSize(), hasBootrom(config), at);
        if (at + image.length > MemoryMap.ACPI_LIMIT) {
            throw new AcpiBuildException(String.format("the SMBIOS tables (%d bytes from 0x%x) do not fit below 1 MiB,"
                    + " where guests look for them%s: shorten the bios.*, system.*, board.* and chassis.* strings"
                    + " or give the VM fewer sockets", image.length, at,
                    at > MemoryMap.ACPI_BASE ? " after the ACPI tables" : ""));
        }
        try {
            vm.memory().write(at, image);
        } catch (org.jbhyve.vmm.GuestMemoryException e) {
            throw new AcpiBuildException(String.format("cannot write the SMBIOS tables to guest memory at 0x%x: not RAM"
                    + " (the guest needs at least 1 MiB of memory)", at));
        }
    }

    /** The guest's power requests: bhyve exits with 1 on poweroff and 0 on reset. */
    private final class Power implements PowerControl {
        @Override
        public void poweroff() { end(ExitStatus.POWEROFF, "guest powered off"); }

        @Override
        public void reset() { end(ExitStatus.REBOOT, "guest reset"); }
    }

    public VirtualMachine vm() { return vm; }

    public VmStateMachine state() { return state; }

    public List<Uart16550> uarts() { return uarts; }

    public ConfigTree config() { return config; }

    /** The hypervisor backend this VM runs on ("kvm", "freebsd-vmm"). */
    public String backendName() { return hypervisor.backendName(); }

    private volatile String restoredFrom;
    private volatile String restoreOrigin;
    private volatile long restoreOriginNanos;

    /**
     * Asks for one log line when the guest first runs after a restore: "the guest runs again N ms after
     * {@code origin}", where {@code originNanos} ({@link System#nanoTime()}) is when that was. How a
     * person (and ci/bench-snapshot) sees what a restore cost up to the guest's first instruction.
     * {@link #awaitGuestRunning} prints it; call this before that, before or after {@link #start()}.
     */
    public void reportRestore(String file, String origin, long originNanos) {
        this.restoreOrigin = origin;
        this.restoreOriginNanos = originNanos;
        this.restoredFrom = file;
    }

    /** Counted down by vCPU 0 just before its first entry into the guest. */
    private final CountDownLatch firstEntry = new CountDownLatch(1);
    private volatile long firstEntryNanos;

    /** On vCPU 0's thread, right before it first enters the guest: only a time stamp and a wake-up. */
    private void markFirstEntry() {
        firstEntryNanos = System.nanoTime();
        firstEntry.countDown();
    }

    /** How often {@link #awaitGuestRunning} looks whether the VM ended before its guest ran. */
    private static final long FIRST_ENTRY_POLL_NANOS = 20_000_000;

    /**
     * After {@link #start()}: waits until vCPU 0 enters the guest, then prints the line
     * {@link #reportRestore} asked for. The line is built and written here, on the caller's thread, so
     * that none of it delays the guest's first instruction. Returns at once when no line was asked
     * for, as soon as the VM ends (however it ends), and after {@code timeout}, saying so.
     */
    public void awaitGuestRunning(Duration timeout) throws InterruptedException {
        String file = restoredFrom;
        if (file == null) return;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!firstEntry.await(FIRST_ENTRY_POLL_NANOS, TimeUnit.NANOSECONDS)) {
            if (state.state().isTerminal()) return; // ended before its guest ran: the exit says why
            if (System.nanoTime() - deadline >= 0) {
                log.println("jbhyve: VM " + vm.name() + " restored from " + file + ": the guest has not run "
                        + timeout.toSeconds() + " s after " + restoreOrigin);
                return;
            }
        }
        long micros = (firstEntryNanos - restoreOriginNanos) / 1000;
        log.println("jbhyve: VM " + vm.name() + " restored from " + file + ": the guest runs again "
                + micros / 1000 + "." + (micros % 1000) / 100 + " ms after " + restoreOrigin);
    }

    /**
     * Lets every vCPU thread run; the BSP runs from the loader's entry (or its restored state), APs wait
     * for INIT/SIPI. A prepared VM's threads already exist, parked until now (see the constructor).
     */
    public void start() {
        if (prepared) throw new IllegalStateException("a prepared VM starts after restoreInPlace()");
        startedAt = System.nanoTime();
        if (restoredFromSnapshot) {
            restoredFromSnapshot = false;
            for (Lifecycle l : lifecycles) l.restored();
        }
        if (!state.started()) return; // ended before it started; awaitExit() reports how
        if (!threadsStarted) startThreads();
        if (halts != null) Thread.ofPlatform().name("halt detector").daemon().start(this::detectHalt);
        // A restored VM's RAM is mapped from its snapshot file (wired or not: a truncation takes even the private
        // copies). Guarded after the vCPUs are off, so the lease is not on the way to the first instruction;
        // start() runs once, and a VM whose RAM is not a file mapping is left alone.
        RamFileGuard.guard(this);
    }

    private boolean threadsStarted;

    /** bhyve -H ({@code x86.vmexit_on_hlt}) on KVM; null otherwise. */
    private final HaltDetector halts;

    /**
     * The halt detector's thread: ends the VM with status 2, as bhyve does, once every vCPU has halted with
     * interrupts disabled. Returns when the VM ends.
     */
    private void detectHalt() {
        try {
            while (!state.state().isTerminal()) {
                Thread.sleep(HaltDetector.INTERVAL_MILLIS);
                if (state.state() == VmState.RUNNING && halts.probe()) endIfHalted();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!state.state().isTerminal()) log.println("jbhyve: halt detection stopped: " + e.getMessage());
        }
    }

    /**
     * Stops every vCPU at once and ends the VM with status 2 if none of them can run again; otherwise lets
     * them go on. Under the checkpoint lock, so that it never meets a checkpoint's pause.
     */
    private void endIfHalted() throws InterruptedException {
        synchronized (checkpointLock) {
            if (state.state() != VmState.RUNNING) return;
            try {
                state.pause(() -> vm.vcpus().forEach(Vcpu::kick), Duration.ofSeconds(5));
            } catch (IllegalStateException e) {
                return; // the VM ended meanwhile, or a vCPU did not stop (so it was not halted)
            }
            boolean halted = false;
            try {
                halted = vm.vcpus().stream().allMatch(HaltDetector::cannotRun);
            } finally {
                if (halted) end(ExitStatus.HALT, "every vCPU halted with interrupts disabled");
                else if (state.state() == VmState.PAUSED) state.resume();
            }
        }
    }

    private void startThreads() {
        threadsStarted = true;
        for (Thread t : vcpuThreads) t.start();
    }

    private volatile int processExitCode = -1;

    /** Ends the VM (first caller wins) and stops every vCPU. */
    public void end(ExitStatus status, String reason) {
        end(status, -1, reason);
    }

    /** Returns whether this call ended the VM (false when it had ended already). */
    private boolean end(ExitStatus status, int exitCode, String reason) {
        if (!state.end(status, reason)) return false;
        if (exitCode >= 0) processExitCode = exitCode;
        for (Vcpu v : vm.vcpus()) v.kick();
        return true;
    }

    /**
     * Ends the VM for a control request (destroy, force-poweroff, force-reset). A VM that has ended already
     * keeps how it ended: a request that was queued behind a suspend, or came just as the guest powered off,
     * is refused, saying the status bhyve does exit with, instead of being answered with one it will not.
     */
    private void endOnRequest(ExitStatus status, String reason) {
        if (end(status, -1, reason)) return;
        String how = state.exitReason();
        how = how == null ? "" : " (" + how.lines().findFirst().orElse("") + ")";
        throw new IllegalStateException("the VM has already ended" + how + ": bhyve exits with status " + exitCode());
    }

    /** The status the process exits with, once the VM has ended. */
    private int exitCode() {
        ExitStatus s = state.exitStatus();
        return processExitCode >= 0 ? processExitCode : (s == null ? ExitStatus.ERROR : s).code();
    }

    /** Presses the ACPI power button: how SIGTERM asks the guest to power off. */
    public void pressPowerButton() {
        if (!acpiPm.pressPowerButton()) {
            log.println("jbhyve: the guest has not enabled the ACPI power button; SIGTERM ignored until it does");
        }
    }

    /** Pauses every vCPU and device (at an instruction boundary, I/O quiesced). */
    public void pause(Duration timeout) throws InterruptedException {
        state.pause(() -> vm.vcpus().forEach(Vcpu::kick), timeout);
        try {
            Lifecycle.pauseAll(lifecycles);
        } catch (RuntimeException e) {
            state.resume();
            throw e;
        }
    }

    public void resume() {
        for (Lifecycle l : lifecycles) l.resume();
        state.resume();
    }

    /** Every part of the machine with saved state, in a stable order (the order chunks are written). */
    List<Snapshottable> snapshottables() {
        List<Snapshottable> out = new ArrayList<>();
        for (Lifecycle l : lifecycles) {
            if (l instanceof PciBus bus) {
                out.addAll(bus.snapshottables()); // dev.pci first: different PCI wiring is refused early
            } else if (l instanceof Snapshottable sn) {
                out.add(sn);
            }
        }
        if (loader instanceof Snapshottable firmware) out.add(firmware); // a boot ROM: which firmware runs
        return out;
    }

    private final Object checkpointLock = new Object();
    private volatile long startedAt = System.nanoTime();
    private volatile int checkpoints;
    private volatile Duration lastCheckpointPause = Duration.ZERO;
    private volatile String lastCheckpointCopy = "";

    /**
     * Writes a snapshot of the VM as it is while paused: every vCPU stopped at an instruction boundary,
     * devices quiesced. With {@code suspend} the VM then ends with exit status 0; otherwise it resumes. On
     * failure nothing is left behind (no file that could pass verification) and the VM resumes.
     *
     * <p>A checkpoint that keeps the VM running is live unless {@code checkpoint.live=false}: RAM is
     * copied while the guest runs and only what it wrote meanwhile is copied paused (see
     * {@link SnapshotSave}), so the guest stops for milliseconds instead of for the whole RAM. A suspend
     * copies RAM paused: the guest does not run afterwards, and a pre-copy would only add work.
     *
     * @return one line saying what was written, and for how long the guest was paused
     */
    public String checkpoint(SnapshotTarget target, boolean suspend) throws Exception {
        synchronized (checkpointLock) {
            lastCheckpointWarning = null;
            try (SnapshotSave save = SnapshotSave.open(target, this)) {
                // Only a running guest is worth copying ahead; for any other state pause() says why not.
                if (!suspend && liveCheckpoints && state.state() == VmState.RUNNING) {
                    save.precopy(() -> state.state().isTerminal());
                }
                long pausedAt = System.nanoTime();
                try {
                    pause(Duration.ofSeconds(30));
                    state.beginCheckpoint();
                    save.capturePaused();
                    if (suspend) {
                        try {
                            save.commit();
                        } catch (java.io.IOException e) {
                            // Renamed into place, but the directory fsync failed: the snapshot exists, so the VM
                            // must not run on as well (a later restore of it would run the guest twice).
                            if (!save.committed()) throw e;
                            warn("jbhyve: " + e.getMessage());
                            lastCheckpointWarning = e.getMessage(); // the VM ends: bhyvectl's reply must say so too
                        }
                        checkpoints++;
                        // The VM is now SUSPENDED (exit status 0) and its parked vCPU threads end.
                        state.endCheckpoint(true);
                    } else {
                        // The state is read and the RAM written: encoding and writing the state chunks, the
                        // fsyncs and the rename do not need the guest to stay still. If they fail, the checkpoint
                        // fails and the VM runs on, as after any other failure.
                        state.endCheckpoint(false);
                        resume();
                    }
                } catch (Exception | Error e) {
                    if (state.state() == VmState.CHECKPOINTING) state.endCheckpoint(false);
                    throw e;
                } finally {
                    if (state.state() == VmState.PAUSED) resume();
                    lastCheckpointPause = Duration.ofNanos(System.nanoTime() - pausedAt);
                    lastCheckpointCopy = save.precopySummary();
                }
                if (!suspend) {
                    save.commit();
                    checkpoints++;
                }
                return save.path();
            }
        }
    }

    /**
     * Copies guest RAM out of the snapshot file it is mapped from, with the guest and devices paused, because
     * someone is about to write or truncate that file (RamFileGuard). Waits for a checkpoint in progress.
     */
    void detachRamFromSnapshotFile() {
        synchronized (checkpointLock) {
            long start = System.nanoTime();
            boolean paused = false;
            try {
                // An ended VM is copied out too (its vCPUs are stopped): the lease must go, or the writer would
                // wait for lease-break-time.
                if (state.state() == VmState.RUNNING) {
                    pause(Duration.ofSeconds(20)); // with the copy, well inside the kernel's 45 s lease-break-time
                    paused = true;
                }
                if (vm.detachRamFromFile()) {
                    if (wired) wireRam(); // the new memory is not locked yet
                    warn(String.format(java.util.Locale.ROOT, "jbhyve: the snapshot file this VM's RAM was mapped from is"
                            + " being written or truncated: its RAM was copied out of it first (guest paused %.1f ms)",
                            (System.nanoTime() - start) / 1e6));
                }
            } catch (InterruptedException | RuntimeException e) {
                if (e instanceof InterruptedException) Thread.currentThread().interrupt();
                // Running on would let the guest see its memory vanish or change under it: stop it, say why,
                // and let the writer go.
                end(ExitStatus.ERROR, "the snapshot file this VM's RAM is mapped from is being written or truncated,"
                        + " and its RAM could not be copied out of it first (" + e.getMessage() + "): the VM is stopped"
                        + " before its memory changes under the guest");
                vm.releaseRamFileLease();
            } finally {
                if (paused && state.state() == VmState.PAUSED) resume();
            }
        }
    }

    /** One line on this VM's log (stderr). */
    void warn(String line) {
        log.println(line);
    }

    /**
     * Why a suspend's snapshot, although written and renamed into place (the VM then ends), may not survive a
     * power failure (its directory's fsync failed); null otherwise. Read by the control reply.
     */
    private volatile String lastCheckpointWarning;

    /** How long the guest was paused by the last checkpoint (including one that failed). */
    public Duration lastCheckpointPause() { return lastCheckpointPause; }

    /** How the last checkpoint copied RAM while the guest ran ("" when it copied all of it paused). */
    public String lastCheckpointCopy() { return lastCheckpointCopy; }

    /** What the control socket (bhyvectl) may ask of this VM. */
    public VmControl control() {
        return new VmControl() {
            @Override
            public String checkpoint(int dirFd, String name, boolean suspend) throws Exception {
                if (state.state().isTerminal()) throw new ControlException(ControlProtocol.EBUSY, "the VM has ended");
                String written = VmRuntime.this.checkpoint(new SnapshotTarget.InDirectory(dirFd, name), suspend);
                String copy = lastCheckpointCopy, warning = lastCheckpointWarning;
                return String.format(java.util.Locale.ROOT, "%s written; the guest was paused for %.1f ms%s%s", written,
                        lastCheckpointPause.toNanos() / 1e6, copy.isEmpty() ? "" : " (" + copy + ")",
                        warning == null ? "" : "; warning: " + warning);
            }

            @Override
            public void destroy() { endOnRequest(ExitStatus.ERROR, "destroyed (bhyvectl --destroy)"); }

            @Override
            public void forcePoweroff() { endOnRequest(ExitStatus.POWEROFF, "powered off (bhyvectl --force-poweroff)"); }

            @Override
            public void forceReset() { endOnRequest(ExitStatus.REBOOT, "reset (bhyvectl --force-reset)"); }

            @Override
            public Map<String, Long> stats() {
                Map<String, Long> m = new LinkedHashMap<>();
                m.put("vcpus", (long) vm.vcpus().size());
                m.put("memory_bytes", vm.memory().size());
                m.put("uptime_ms", (System.nanoTime() - startedAt) / 1_000_000);
                m.put("checkpoints", (long) checkpoints);
                m.put("last_checkpoint_pause_us", lastCheckpointPause.toNanos() / 1000);
                return m;
            }
        };
    }

    /** Waits for the VM to end and returns the process exit status bhyve would use. */
    public int awaitExit() throws InterruptedException {
        ExitStatus s = state.awaitEnd();
        for (Thread t : vcpuThreads) t.join(2000);
        String reason = state.exitReason();
        if (s == ExitStatus.ERROR || s == ExitStatus.TRIPLE_FAULT) {
            log.println("jbhyve: " + reason);
            // A restored VM whose snapshot file was truncated under it cannot fault in the pages it lost; the
            // guest then fails in ways that do not point at the file. Say so when that is what happened.
            try {
                vm.checkRamReadable();
            } catch (RuntimeException e) {
                log.println("jbhyve: probably why: " + e.getMessage());
            }
        }
        return exitCode();
    }

    private void closeQuietly() {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                log.println("jbhyve: while shutting down: " + e.getMessage());
            }
        }
        closeables.clear();
    }

    @Override
    public void close() {
        RamFileGuard.forget(this);
        if (!state.state().isTerminal()) end(ExitStatus.ERROR, "VM closed");
        for (Thread t : vcpuThreads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // A checkpoint still reading guest RAM (a pre-copy stops at its next round once the VM has ended)
        // finishes before the RAM is unmapped.
        synchronized (checkpointLock) {
            closeQuietly();
            vm.close();
        }
        hypervisor.close();
    }
}
