package org.jbhyve.bhyve.devices.acpi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jbhyve.bhyve.device.MemoryMap;

/**
 * What the firmware tables describe: the machine the VMM built, in plain values. {@link AcpiTables}
 * turns it into ACPI tables and {@link MpTable} into an Intel MP table; neither looks anywhere else.
 *
 * @param vcpus         vCPUs; vCPU n has local APIC ID n
 * @param pm            the ACPI fixed hardware registers
 * @param pciBuses      every configured PCI bus, bus 0 included (it decodes the legacy ports)
 * @param ecamBase      PCIe ECAM (MMCONFIG) base; bus b's config space is at base + (b << 20)
 * @param ecamBuses     buses the ECAM window covers, starting at bus 0 (bhyve: 256)
 * @param lpcBridge     the LPC bridge's slot/function on bus 0, if the VMM has one; the ISA devices
 *                      then sit in {@code \_SB.PC00.ISA} with that _ADR, as in bhyve. Without it
 *                      they sit directly in {@code \_SB.PC00}.
 * @param isaDevices    legacy devices to describe (at most one of each kind, one UART per unit)
 * @param motherboardIo further ports the guest must not hand out to PCI devices (the PNP0C02
 *                      "system resources" device); the PM registers' ports are added automatically
 * @param hpet          the HPET, if the guest has one
 */
public record AcpiMachine(int vcpus, PmRegisters pm, List<PciRootBus> pciBuses, long ecamBase, int ecamBuses,
                          Optional<PciFunction> lpcBridge, List<IsaDevice> isaDevices,
                          List<IoRange> motherboardIo, Optional<HpetBlock> hpet) {

    /**
     * Local APIC entries in the MADT and processor entries in the MP table carry 8-bit APIC IDs,
     * and 0xff is the broadcast ID; more vCPUs would need x2APIC entries, which bhyve does not write.
     */
    public static final int MAX_VCPUS = 255;

    /** The IOAPIC's ID and its first GSI: bhyve (and KVM's in-kernel IOAPIC) use 0 for both. */
    public static final int IOAPIC_ID = 0, IOAPIC_GSI_BASE = 0;

    /**
     * Ports bhyve reserves through its PNP0C02 device besides the PM registers: the ELCR (0x4d0),
     * NMI status/control (0x61), the POST port (0x84) and the RTC's extended bank (0x72-0x77).
     */
    public static final List<IoRange> BHYVE_MOTHERBOARD_IO = List.of(
            new IoRange(0x4d0, 2), new IoRange(0x61, 1), new IoRange(0x84, 1), new IoRange(0x72, 6));

    public AcpiMachine {
        if (vcpus < 1 || vcpus > MAX_VCPUS) {
            throw new IllegalArgumentException("vCPU count " + vcpus + " out of range 1-" + MAX_VCPUS
                    + " (xAPIC IDs are 8 bits and 0xff is the broadcast ID)");
        }
        pciBuses = pciBuses.stream().sorted(Comparator.comparingInt(PciRootBus::bus)).toList();
        Set<Integer> buses = new HashSet<>();
        for (PciRootBus b : pciBuses) {
            if (!buses.add(b.bus())) throw new IllegalArgumentException("PCI bus " + b.bus() + " listed twice");
        }
        if (!buses.contains(0)) throw new IllegalArgumentException("PCI bus 0 is required: it decodes the legacy I/O ports");
        AddressWindow io0 = pciBuses.getFirst().io();
        if (!io0.isEmpty() && io0.base() < MemoryMap.PCI_IO_BASE) {
            // Bus 0 already forwards everything below PCI_IO_BASE as its legacy range.
            throw new IllegalArgumentException(String.format("bus 0's I/O window %s starts below 0x%x", io0,
                    MemoryMap.PCI_IO_BASE));
        }
        if (ecamBuses < 1 || ecamBuses > 256) throw new IllegalArgumentException("ECAM bus count must be 1-256: " + ecamBuses);
        if (ecamBase < 0 || (ecamBase & ((1L << 20) - 1)) != 0) {
            throw new IllegalArgumentException("ECAM base must be 1 MiB aligned: 0x" + Long.toHexString(ecamBase));
        }
        for (PciRootBus b : pciBuses) {
            if (b.bus() >= ecamBuses) throw new IllegalArgumentException("PCI bus " + b.bus() + " is outside the ECAM window");
        }
        isaDevices = List.copyOf(isaDevices);
        Set<Object> kinds = new HashSet<>();
        for (IsaDevice d : isaDevices) {
            Object key = d instanceof IsaDevice.Uart u ? "COM" + u.unit() : d.getClass();
            if (!kinds.add(key)) throw new IllegalArgumentException("ISA device listed twice: " + d);
        }
        motherboardIo = List.copyOf(motherboardIo);
    }

    public PciRootBus bus0() {
        return pciBuses.getFirst();
    }

    /** The UARTs in unit order. */
    public List<IsaDevice.Uart> uarts() {
        List<IsaDevice.Uart> u = new ArrayList<>();
        for (IsaDevice d : isaDevices) if (d instanceof IsaDevice.Uart x) u.add(x);
        u.sort(Comparator.comparingInt(IsaDevice.Uart::unit));
        return u;
    }

    public boolean has(Class<? extends IsaDevice> kind) {
        return isaDevices.stream().anyMatch(kind::isInstance);
    }

    public static Builder builder(int vcpus) {
        return new Builder(vcpus);
    }

    /**
     * Starts from bhyve's platform: its PM ports, ECAM at {@link MemoryMap#PCI_ECAM_BASE} over 256
     * buses, an empty bus 0, the PIC, PIT and RTC, bhyve's reserved ports, no LPC bridge, no HPET.
     */
    public static final class Builder {
        private final int vcpus;
        private PmRegisters pm = PmRegisters.bhyve();
        private final List<PciRootBus> buses = new ArrayList<>();
        private long ecamBase = MemoryMap.PCI_ECAM_BASE;
        private int ecamBuses = (int) (MemoryMap.PCI_ECAM_SIZE >> 20);
        private Optional<PciFunction> lpc = Optional.empty();
        private final List<IsaDevice> isa = new ArrayList<>(
                List.of(new IsaDevice.Pic(), new IsaDevice.Pit(), IsaDevice.Rtc.STANDARD));
        private List<IoRange> motherboardIo = BHYVE_MOTHERBOARD_IO;
        private Optional<HpetBlock> hpet = Optional.empty();

        private Builder(int vcpus) {
            this.vcpus = vcpus;
        }

        public Builder pm(PmRegisters pm) { this.pm = pm; return this; }

        public Builder bus(PciRootBus bus) { buses.add(bus); return this; }

        public Builder ecam(long base, int busCount) { ecamBase = base; ecamBuses = busCount; return this; }

        public Builder lpcBridge(int slot, int function) { lpc = Optional.of(new PciFunction(slot, function)); return this; }

        public Builder isa(IsaDevice device) { isa.add(device); return this; }

        public Builder clearIsa() { isa.clear(); return this; }

        public Builder motherboardIo(List<IoRange> ranges) { motherboardIo = ranges; return this; }

        public Builder hpet(HpetBlock block) { hpet = Optional.of(block); return this; }

        public AcpiMachine build() {
            List<PciRootBus> all = new ArrayList<>(buses);
            if (all.stream().noneMatch(b -> b.bus() == 0)) {
                all.add(new PciRootBus(0, AddressWindow.EMPTY, AddressWindow.EMPTY, AddressWindow.EMPTY, List.of()));
            }
            return new AcpiMachine(vcpus, pm, all, ecamBase, ecamBuses, lpc, isa, motherboardIo, hpet);
        }
    }
}
