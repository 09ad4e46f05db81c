package org.jbhyve.bhyve.devices.pci;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.device.IoBus;
import org.jbhyve.bhyve.device.Lifecycle;
import org.jbhyve.bhyve.device.MemoryMap;
import org.jbhyve.bhyve.device.Platform;
import org.jbhyve.bhyve.device.Snapshottable;
import org.jbhyve.bhyve.devices.StateReader;
import org.jbhyve.snapshot.format.SnapshotFormatException;
import org.jbhyve.snapshot.format.StateRecord;
import org.jbhyve.vmm.GuestMemory;

/**
 * The PCI hierarchy bhyve gives a guest: flat buses of functions at (bus, slot, function), reached
 * through configuration mechanism #1 (ports 0xcf8/0xcfc-0xcff) and ECAM at
 * {@link MemoryMap#PCI_ECAM_BASE}. Absent functions read as all ones.
 *
 * <p>Use: construct (it claims the config ports and the ECAM window), {@link #add} every device,
 * let ISA models {@link IntxRouter#reserveIsaIrq reserve} their IRQs, then {@link #realize()} once:
 * that places the BARs ({@link BarAllocator}), picks each function's INTx pin and routes it
 * ({@link IntxRouter}), turns on decoding unless a boot ROM will, and records the power-on state.
 * Devices cannot be added afterwards (no hotplug).
 *
 * <p>The bus is the {@link Lifecycle} of its devices: register the bus with the VM, not each device;
 * it forwards pause, resume and reset to every function in bus/slot/function order.
 *
 * <p>Snapshots: {@link #snapshottables()} lists a chunk for the bus itself, {@code dev.pci}, then
 * one per function in bus/slot/function order (see {@link PciDevice}). {@code dev.pci} (version 1)
 * holds {@code config_address} (u32, the mechanism #1 address register, so a snapshot taken between
 * a guest's OUT to 0xcf8 and its access to 0xcfc resumes correctly) and {@code intx_routes} (u64[],
 * every INTx route packed as {@code bus<<32 | slot<<24 | pin<<16 | ioapicPin<<8 | pirq}; a VM that
 * routes differently refuses the restore). It also records {@code asserted_ioapic_pins} (u32, bit n
 * = IOAPIC pin 16+n) and {@code asserted_isa_irqs} (u32, bit n = IRQ n), the lines PCI INTx held
 * asserted; these are for inspection and not read on restore: the lines are rebuilt, wire-ORed, as
 * each function's chunk re-drives its INTx, and the PIRQ routing registers are the LPC bridge's
 * (its chunk's {@code model.pirq}).
 */
public final class PciBus implements Lifecycle {
    /**
     * How the bus is built.
     *
     * @param mem64Base        start of the 64-bit BAR window (32 GiB window above RAM)
     * @param enableBars       bhyve's {@code pci.enable_bars}: functions start with decoding and
     *                         bus mastering on (false when a boot ROM programs the BARs itself)
     * @param fixedIntxRouting bhyve's boot ROM wiring: INTx pins routed by slot, not round-robin
     */
    public record Options(long mem64Base, boolean enableBars, boolean fixedIntxRouting) {
        /** bhyve's 64-bit window: the end of highmem rounded up to 32 GiB, at least 32 GiB. */
        public static long mem64Base(GuestMemory memory) {
            long end = MemoryMap.HIGHMEM_BASE + (memory == null ? 0 : memory.highmemSize());
            return Math.max(MemoryMap.PCI_MEM64_MIN_BASE, BarAllocator.alignUp(end, MemoryMap.PCI_MEM64_SIZE));
        }

        /** Direct boot (no boot ROM): BARs decoded from the start, round-robin INTx routing. */
        public static Options directBoot(GuestMemory memory) {
            return new Options(mem64Base(memory), true, false);
        }

        /**
         * From bhyve's config keys: a boot ROM ({@code lpc.bootrom}, or {@code bootrom} in newer
         * trees) turns {@code pci.enable_bars} off by default and makes INTx routing fixed.
         */
        public static Options fromConfig(ConfigTree config, GuestMemory memory) {
            boolean bootrom = config.get("lpc.bootrom").isPresent() || config.get("bootrom").isPresent();
            boolean enableBars = config.getBoolean("pci.enable_bars", !bootrom);
            return new Options(mem64Base(memory), enableBars, bootrom);
        }
    }

    private final Platform platform;
    private final Options options;
    private final IntxRouter intx;
    private final ConfigMechanism1 mechanism1 = new ConfigMechanism1(this);
    private final TreeMap<PciAddress, PciDevice> devices = new TreeMap<>();
    /** Read on every config access: replaced whole on add, never mutated. */
    private volatile Map<Integer, PciDevice> byAddress = Map.of();
    private volatile boolean[] multiFunctionSlot = new boolean[256 * 32];
    private final List<PciBusWindow> windows = new ArrayList<>();
    private boolean realized;

    public PciBus(Platform platform, Options options) {
        this.platform = platform;
        this.options = options;
        this.intx = new IntxRouter(platform, options.fixedIntxRouting());
        platform.io().register(MemoryMap.PCI_CONFIG_ADDRESS, 1, "pci config address", mechanism1.addressPort);
        platform.io().register(MemoryMap.PCI_CONFIG_DATA, 4, "pci config data", mechanism1.dataPort);
        platform.mmio().register(MemoryMap.PCI_ECAM_BASE, MemoryMap.PCI_ECAM_SIZE, "pci ecam", new EcamWindow(this));
    }

    public Options options() { return options; }

    public Platform platform() { return platform; }

    /** The INTx router: ISA IRQ reservations, PIRQ registers, routes for ACPI and the MP table. */
    public IntxRouter intx() { return intx; }

    /** Puts {@code device} at its address. */
    public synchronized void add(PciDevice device) {
        if (realized) throw new IllegalStateException("cannot add " + device.name() + ": the PCI bus is already realized (no hotplug)");
        PciAddress a = device.address();
        PciDevice other = devices.get(a);
        if (other != null) throw new ConfigException("pci slot " + a.bus() + ":" + a.slot() + ":" + a.function() + " already occupied by " + other.name());
        device.attach(this);
        devices.put(a, device);
        Map<Integer, PciDevice> next = new HashMap<>(byAddress);
        next.put(a.packed(), device);
        byAddress = Map.copyOf(next);
        boolean[] mf = multiFunctionSlot.clone();
        int functions = 0;
        for (int f = 0; f <= PciAddress.MAX_FUNCTION; f++) if (next.containsKey(a.bus() << 8 | a.slot() << 3 | f)) functions++;
        mf[a.bus() << 5 | a.slot()] = functions > 1;
        multiFunctionSlot = mf;
    }

    /** The function at {@code address}, if any. */
    public Optional<PciDevice> device(PciAddress address) {
        return Optional.ofNullable(byAddress.get(address.packed()));
    }

    /** Every function in bus/slot/function order (bhyve's pci_next order: also the snapshot order). */
    public synchronized List<PciDevice> devices() {
        return List.copyOf(devices.values());
    }

    /** Places BARs, routes INTx, enables decoding as configured and records the power-on state. */
    public void realize() {
        List<PciDevice> all;
        synchronized (this) {
            if (realized) throw new IllegalStateException("PCI bus realized twice");
            realized = true;
            all = List.copyOf(devices.values());
        }
        // Ports the fixed (LPC/ISA) devices registered before this are not the PCI window's to give out.
        List<long[]> takenPorts = new ArrayList<>();
        for (IoBus.Range r : platform.io().ranges()) takenPorts.add(new long[] {r.base(), r.end()});
        BarAllocator allocator = new BarAllocator(options.mem64Base(), takenPorts);
        TreeMap<Integer, List<PciDevice>> perBus = new TreeMap<>();
        for (PciDevice d : all) perBus.computeIfAbsent(d.address().bus(), b -> new ArrayList<>()).add(d);
        List<PciBusWindow> placed = new ArrayList<>();
        for (Map.Entry<Integer, List<PciDevice>> e : perBus.entrySet()) placed.add(allocator.allocateBus(e.getKey(), e.getValue()));
        routeIntx(all);
        intx.capturePowerOnState();
        for (PciDevice d : all) d.finishRealize(options.enableBars());
        synchronized (this) {
            windows.addAll(placed);
        }
    }

    /**
     * Gives each function asking for INTx the least-used of INTA-INTD in its slot (so functions of
     * one slot spread over the four pins), then routes every pin in bus/slot/function order.
     */
    private void routeIntx(List<PciDevice> all) {
        Map<Integer, int[]> pinUse = new HashMap<>();
        for (PciDevice d : all) {
            if (!d.intxRequested()) continue;
            PciAddress a = d.address();
            int[] use = pinUse.computeIfAbsent(a.bus() << 5 | a.slot(), k -> new int[4]);
            int best = 0;
            for (int p = 1; p < 4; p++) if (use[p] < use[best]) best = p;
            use[best]++;
            int pin = best + 1;
            IntxRoute route = intx.route(a.bus(), a.slot(), pin);
            d.connectIntx(pin, intx.line(route), intx.interruptLineRegister(route));
        }
    }

    /** The INTx routes ({@code _PRT} / MP table entries), in bus, slot, pin order. */
    public List<IntxRoute> intxRoutes() {
        return intx.routes();
    }

    /** The windows each bus decodes (for the ACPI {@code _CRS}); empty before {@link #realize()}. */
    public synchronized List<PciBusWindow> windows() {
        return Collections.unmodifiableList(new ArrayList<>(windows));
    }

    // ---------------------------------------------------------------- configuration access

    private static boolean validAccess(int offset, int size) {
        return (size == 1 || size == 2 || size == 4) && (offset & (size - 1)) == 0
                && offset >= 0 && offset + size <= PciRegisters.EXTENDED_SIZE;
    }

    /**
     * A guest config read of {@code size} bytes at {@code offset} of (bus, slot, function). An
     * absent function, a bad size or an unaligned offset reads all ones.
     */
    public int configRead(int bus, int slot, int function, int offset, int size) {
        if (!validAccess(offset, size) || bus < 0 || bus > 255 || slot < 0 || slot > 31 || function < 0 || function > 7) {
            return ConfigMechanism1.allOnes(size);
        }
        PciDevice d = byAddress.get(bus << 8 | slot << 3 | function);
        if (d == null) return ConfigMechanism1.allOnes(size);
        int value = d.guestConfigRead(offset, size);
        int header = PciRegisters.HEADER_TYPE;
        if (offset <= header && header < offset + size) {
            // The multi-function bit describes the slot, not the model: set it when the slot has
            // more than one function (on every function, as bhyve does).
            int bit = 1 << ((header - offset) * 8 + 7);
            value = multiFunctionSlot[bus << 5 | slot] ? value | bit : value & ~bit;
        }
        return size == 4 ? value : value & ((1 << (8 * size)) - 1);
    }

    /** A guest config write; ignored for absent functions, bad sizes and unaligned offsets. */
    public void configWrite(int bus, int slot, int function, int offset, int size, int value) {
        if (!validAccess(offset, size) || bus < 0 || bus > 255 || slot < 0 || slot > 31 || function < 0 || function > 7) return;
        PciDevice d = byAddress.get(bus << 8 | slot << 3 | function);
        if (d == null) return;
        d.guestConfigWrite(offset, size, size == 4 ? value : value & ((1 << (8 * size)) - 1));
    }

    // ---------------------------------------------------------------- snapshot

    private final Snapshottable busState = new BusState();

    /** What a snapshot saves for the PCI hierarchy: {@code dev.pci}, then every function in order. */
    public List<Snapshottable> snapshottables() {
        List<Snapshottable> out = new ArrayList<>();
        out.add(busState);
        out.addAll(devices());
        return Collections.unmodifiableList(out);
    }

    /** The bus's own chunk: the config address register and the INTx routing. */
    private final class BusState implements Snapshottable {
        @Override
        public String stateName() {
            return "dev.pci";
        }

        @Override
        public int stateVersion() {
            return 1;
        }

        @Override
        public StateRecord saveState() {
            return StateRecord.builder()
                    .putU32("config_address", Integer.toUnsignedLong(mechanism1.address()))
                    .putU64Array("intx_routes", intx.packedRoutes())
                    .putU32("asserted_ioapic_pins", intx.assertedIoapicPins())
                    .putU32("asserted_isa_irqs", intx.assertedIsaIrqs())
                    .build();
        }

        @Override
        public void restoreState(StateRecord state, int version) throws SnapshotFormatException {
            StateReader r = StateReader.open(this, state, version);
            int address = (int) r.u32Bits("config_address", Integer.toUnsignedLong(ConfigMechanism1.ADDRESS_BITS));
            long[] routes = r.u64Array("intx_routes");
            if (!java.util.Arrays.equals(routes, intx.packedRoutes())) {
                throw r.invalid("intx_routes", "this VM routes PCI INTx differently (" + intx.routes().size()
                        + " routes here, " + routes.length + " in the snapshot): its PCI devices or boot ROM differ; "
                        + "restore with the VM's original config");
            }
            mechanism1.restoreAddress(address);
        }
    }

    // ---------------------------------------------------------------- lifecycle

    /** Pauses every function; if one cannot pause, those already paused are resumed and the failure goes on. */
    @Override
    public void pause() {
        Lifecycle.pauseAll(devices());
    }

    @Override
    public void resume() {
        for (PciDevice d : devices()) d.resume();
    }

    @Override
    public void restored() {
        for (PciDevice d : devices()) d.restored();
    }

    /**
     * Resets every function, then the PIRQ links and the mechanism #1 address register. All BARs
     * are taken off the buses first, so a BAR the guest left on another function's power-on address
     * cannot keep that function from getting it back.
     */
    @Override
    public void reset() {
        List<PciDevice> all = devices();
        for (PciDevice d : all) d.unmapBars();
        for (PciDevice d : all) d.reset();
        intx.reset();
        mechanism1.reset();
    }
}
