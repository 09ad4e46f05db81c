package org.jbhyve.bhyve.devices.acpi;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import org.jbhyve.bhyve.device.MemoryMap;
import org.jbhyve.vmm.GuestMemory;

/** Machines and guest memory for the firmware table tests. */
final class Machines {
    private Machines() {}

    static final List<PciIntxRoute> ROUTES = List.of(
            new PciIntxRoute(4, 1, 16), new PciIntxRoute(3, 1, 17), new PciIntxRoute(4, 2, 18));

    static PciRootBus bus0(List<PciIntxRoute> routes) {
        return new PciRootBus(0, new AddressWindow(MemoryMap.PCI_IO_BASE, 0x3000),
                new AddressWindow(0xc000_0000L, 0xc200_0000L),
                new AddressWindow(MemoryMap.PCI_MEM64_MIN_BASE, MemoryMap.PCI_MEM64_MIN_BASE + MemoryMap.PCI_MEM64_SIZE),
                routes);
    }

    /** A bhyve-like guest: 4 vCPUs, LPC at 31.0 with COM1, COM2 and the 8042, three INTx routes. */
    static AcpiMachine typical() {
        return AcpiMachine.builder(4)
                .bus(bus0(ROUTES))
                .lpcBridge(31, 0)
                .isa(IsaDevice.Uart.com(1))
                .isa(IsaDevice.Uart.com(2))
                .isa(new IsaDevice.Ps2Controller())
                .build();
    }

    /** What jbhyve on KVM passes: no LPC bridge, COM1 only, no HPET. */
    static AcpiMachine minimal(int vcpus) {
        return AcpiMachine.builder(vcpus).isa(IsaDevice.Uart.com(1)).build();
    }

    /** 1 MiB of guest RAM at GPA 0, enough for the BIOS area the tables live in. */
    static GuestMemory lowMemory(Arena arena) {
        long size = 1L << 20;
        return new GuestMemory(new GuestMemory.Region(0, size, arena.allocate(size, 4096)), null);
    }

    /** {@code n} PCI buses, each with every slot's four pins routed: far more AML than fits below 1 MiB. */
    static AcpiMachine huge() {
        AcpiMachine.Builder b = AcpiMachine.builder(AcpiMachine.MAX_VCPUS);
        for (int bus = 0; bus < 256; bus++) {
            List<PciIntxRoute> routes = new ArrayList<>();
            for (int slot = 0; slot < 32; slot++) {
                for (int pin = 1; pin <= 4; pin++) routes.add(new PciIntxRoute(slot, pin, 16 + (slot + pin) % 8));
            }
            b.bus(new PciRootBus(bus, AddressWindow.EMPTY, AddressWindow.EMPTY, AddressWindow.EMPTY, routes));
        }
        return b.build();
    }
}
