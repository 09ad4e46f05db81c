package org.jbhyve.bhyve.devices.pci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jbhyve.bhyve.devices.SnapshotTesting.assertRefused;
import static org.jbhyve.bhyve.devices.SnapshotTesting.edit;
import static org.jbhyve.bhyve.devices.SnapshotTesting.fuzzRestore;
import static org.jbhyve.bhyve.devices.SnapshotTesting.save;
import static org.jbhyve.bhyve.devices.pci.PciRegisters.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.device.MemoryMap;
import org.jbhyve.bhyve.device.Snapshottable;
import org.jbhyve.bhyve.devices.pci.PciTestPlatform.Msi;
import org.jbhyve.snapshot.format.SnapshotFormatException;
import org.jbhyve.snapshot.format.StateRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A whole PCI hierarchy (host bridge, two functions, LPC bridge) driven by a guest into a busy state,
 * saved chunk by chunk, and restored into a freshly built machine with the same config.
 */
class PciSnapshotTest {
    static final PciAddress HB = PciAddress.of(0, 0, 0), NIC = PciAddress.of(0, 3, 0), DISK = PciAddress.of(0, 4, 0),
            LPC = PciAddress.of(0, 31, 0);
    static final int CAP = 0x40, MSI_CONTROL = CAP + 2, MSI_ADDR = CAP + 4, MSI_DATA = CAP + 12, MSI_MASK = CAP + 16;
    static final int MOVED_IO = 0x3000;
    static final long MOVED_MEM = 0xd000_0000L;

    /** One VM's PCI side, built from the same "config" every time. */
    static final class Machine implements AutoCloseable {
        final PciTestPlatform platform = new PciTestPlatform();
        final PciBus bus = new PciBus(platform, PciBus.Options.directBoot(platform.memory()));
        final HostBridge hb;
        final TestPciDevice nic, disk;
        final LpcBridge lpc;

        Machine(boolean withDisk) {
            ConfigTree cfg = new ConfigTree();
            hb = HostBridge.create(cfg, HB.node(), HB, platform);
            nic = new TestPciDevice(NIC, platform, d -> {
                d.addIoBar(0, 64, d.handler);
                d.addMsixCapability(3, 1);
                d.addMemBar32(2, 4096, d.handler);
                d.requestIntx();
            });
            disk = new TestPciDevice(DISK, platform, d -> {
                d.addMsiCapability(4, true);
                d.addMemBar64(0, 1 << 20, d.handler);
                d.addIoBar(2, 64, d.handler);
                d.requestIntx();
            });
            lpc = new LpcBridge(cfg, LPC.node(), LPC, platform);
            bus.add(hb);
            bus.add(nic);
            if (withDisk) bus.add(disk);
            bus.add(lpc);
            bus.realize();
        }

        Machine() {
            this(true);
        }

        /** Every chunk, through its byte encoding, by name. */
        Map<String, StateRecord> save() {
            Map<String, StateRecord> out = new LinkedHashMap<>();
            for (Snapshottable s : bus.snapshottables()) out.put(s.stateName(), SnapshotTestingAccess.save(s));
            return out;
        }

        void restore(Map<String, StateRecord> saved) throws SnapshotFormatException {
            for (Snapshottable s : bus.snapshottables()) s.restoreState(saved.get(s.stateName()), s.stateVersion());
        }

        Snapshottable chunk(String name) {
            return bus.snapshottables().stream().filter(s -> s.stateName().equals(name)).findFirst().orElseThrow();
        }

        long msixTable() {
            return nic.bar(1).address();
        }

        int ecamRead(PciAddress a, int offset) {
            return (int) platform.mmio().read(PciTestPlatform.ecam(a.bus(), a.slot(), a.function(), offset), 4);
        }

        /** All config space of every function, as a guest reads it through ECAM. */
        List<Integer> configDump() {
            List<Integer> out = new ArrayList<>();
            for (PciDevice d : bus.devices()) for (int off = 0; off < EXTENDED_SIZE; off += 4) out.add(ecamRead(d.address(), off));
            return out;
        }

        List<String> ranges() {
            List<String> out = new ArrayList<>();
            platform.io().ranges().forEach(r -> out.add(r.toString()));
            platform.mmio().ranges().forEach(r -> out.add(r.toString()));
            return out;
        }

        @Override
        public void close() {
            platform.close();
        }
    }

    /** Static import clash guard: SnapshotTesting.save is shadowed inside Machine. */
    static final class SnapshotTestingAccess {
        static StateRecord save(Snapshottable s) {
            return org.jbhyve.bhyve.devices.SnapshotTesting.save(s);
        }
    }

    final Machine a = new Machine(), b = new Machine();
    final long originalIo = a.nic.bar(0).address(), originalMem = a.nic.bar(2).address();

    @AfterEach
    void tearDown() {
        a.close();
        b.close();
    }

    /**
     * The guest moves the NIC's BARs, programs and enables MSI-X with vector 1 masked and then
     * signalled (pending), reroutes the disk's PIRQ link to IRQ 10 while its INTx is asserted,
     * programs MSI on the disk with a vector masked, sets host bridge PCIe control bits, and is
     * caught between writing 0xcf8 and accessing 0xcfc.
     */
    void driveIntoBusyState(Machine m) {
        PciTestPlatform p = m.platform;
        p.cfgWrite(NIC, BAR0, 4, MOVED_IO);
        p.cfgWrite(NIC, BAR0 + 8, 4, (int) MOVED_MEM);
        long table = m.msixTable();
        p.mmio().write(table + 16, 8, 0xfee0_1000L);
        p.mmio().write(table + 16 + 8, 4, 0x41);
        p.mmio().write(table + 32, 8, 0xfee0_2000L);
        p.mmio().write(table + 32 + 8, 4, 0x42);
        p.mmio().write(table + 32 + 12, 4, 0);             // vector 2 unmasked, vector 1 stays masked
        p.cfgWrite(NIC, CAP + 2, 2, 0x8000);               // MSI-X enable
        assertThat(m.nic.sendMsi(1)).isTrue();             // masked: pending
        assertThat(m.nic.sendMsi(2)).isTrue();             // delivered
        assertThat(p.msis).containsExactly(new Msi(0xfee0_2000L, 0x42));

        p.cfgWrite(DISK, MSI_ADDR, 4, 0xfee0_3000);
        p.cfgWrite(DISK, MSI_DATA, 2, 0x50);
        p.cfgWrite(DISK, MSI_MASK, 4, 0x2);
        m.disk.assertIntx();
        int pirq = m.bus.intxRoutes().stream().filter(r -> r.slot() == DISK.slot()).findFirst().orElseThrow().pirq();
        int pirqRegister = pirq <= 4 ? LpcBridge.PIRQ_A_TO_D + pirq - 1 : LpcBridge.PIRQ_E_TO_H + pirq - 5;
        p.cfgWrite(LPC, pirqRegister, 1, 10);

        p.cfgWrite(HB, CAP + 8, 2, 0x0810);                // PCIe device control
        p.cfgWrite(NIC, LATENCY_TIMER, 1, 0x40);
        p.io().out(0xcf8, 4, 0x80000000 | NIC.slot() << 11 | VENDOR);
    }

    @Test
    void restoredHierarchyReadsAndBehavesTheSame() throws SnapshotFormatException {
        driveIntoBusyState(a);
        Map<String, StateRecord> saved = a.save();
        assertThat(saved.keySet()).containsExactly("dev.pci", "dev.hostbridge@pci.0.0.0", "dev.test@pci.0.3.0",
                "dev.test@pci.0.4.0", "dev.lpc@pci.0.31.0");
        List<Integer> highBefore = a.platform.highLines();
        assertThat(highBefore).hasSize(2).contains(10);

        b.restore(saved);

        // The guest's next instruction reads 0xcfc: the address it wrote to 0xcf8 is still there.
        assertThat(b.platform.io().in(0xcfc, 4)).isEqualTo(a.platform.io().in(0xcfc, 4))
                .isEqualTo(TestPciDevice.DEVICE << 16 | TestPciDevice.VENDOR);
        assertThat(b.save()).as("everything round-trips").isEqualTo(saved);
        assertThat(b.configDump()).isEqualTo(a.configDump());
        assertThat(b.platform.highLines()).as("INTx re-driven through the router").isEqualTo(highBefore);
        assertThat(b.ranges()).isEqualTo(a.ranges());

        // Moved BARs decode at their new addresses and not at the allocator's.
        assertThat(b.platform.io().in(MOVED_IO + 4, 4)).isEqualTo(0xB0000004);
        assertThat(b.platform.io().find((int) originalIo)).isNull();
        assertThat(b.platform.mmio().read(MOVED_MEM + 8, 4)).isEqualTo(0xB2000008L);
        assertThat(b.platform.mmio().find(originalMem)).isNull();
        assertThat(b.nic.handler.accesses).hasSize(2);

        // MSI-X: vector 1 is pending in the PBA and is delivered when the guest unmasks it.
        long pba = b.msixTable() + b.nic.msix().pbaOffset();
        assertThat(b.platform.mmio().read(pba, 8)).isEqualTo(0b10L);
        assertThat(b.platform.msis).isEmpty();
        b.platform.mmio().write(b.msixTable() + 16 + 12, 4, 0);
        assertThat(b.platform.msis).containsExactly(new Msi(0xfee0_1000L, 0x41));
        assertThat(b.platform.mmio().read(pba, 8)).isZero();

        // MSI on the disk: enabling it masks INTx; a masked vector goes pending, unmasking sends it.
        b.platform.cfgWrite(DISK, MSI_CONTROL, 2, 0x0021);  // enable, 4 vectors
        assertThat(b.platform.highLines()).isEmpty();
        b.disk.sendMsi(1);
        assertThat(b.platform.msis).hasSize(1);
        b.platform.cfgWrite(DISK, MSI_MASK, 4, 0);
        assertThat(b.platform.msis).last().isEqualTo(new Msi(0xfee0_3000L, 0x51));
        b.platform.cfgWrite(DISK, MSI_CONTROL, 2, 0);       // INTx again: the held request comes back
        assertThat(b.platform.highLines()).isEqualTo(highBefore);
        b.disk.deassertIntx();
        assertThat(b.platform.highLines()).isEmpty();

        // The PIRQ link moves as the guest rewrites it, exactly as on the original.
        assertThat(b.bus.intx().pirqIrq(b.bus.intxRoutes().get(1).pirq())).isEqualTo(10);
        assertThat(b.ecamRead(HB, CAP + 8) & 0xffff).isEqualTo(0x0810);
    }

    @Test
    void barsSwappedBetweenFunctionsAreSortedOutWhicheverRestoresFirst() throws SnapshotFormatException {
        long nicIo = a.nic.bar(0).address(), diskIo = a.disk.bar(2).address();
        a.platform.cfgWrite(NIC, BAR0, 4, 0x5000);
        a.platform.cfgWrite(DISK, BAR0 + 8, 4, (int) nicIo);
        a.platform.cfgWrite(NIC, BAR0, 4, (int) diskIo);
        Map<String, StateRecord> saved = a.save();
        b.restore(saved);
        assertThat(b.platform.io().find((int) diskIo).owner()).isEqualTo("test@pci.0.3.0 BAR0");
        assertThat(b.platform.io().find((int) nicIo).owner()).isEqualTo("test@pci.0.4.0 BAR2");
        assertThat(b.save()).isEqualTo(saved);
    }

    @Test
    void aBarTheGuestLeftUndecodedStaysUndecoded() throws SnapshotFormatException {
        a.platform.cfgWrite(NIC, COMMAND, 2, COMMAND_MEMORY | COMMAND_BUS_MASTER); // I/O decode off
        Map<String, StateRecord> saved = a.save();
        b.restore(saved);
        assertThat(b.nic.bar(0).isDecoded()).isFalse();
        assertThat(b.platform.io().find((int) originalIo)).isNull();
        b.platform.cfgWrite(NIC, COMMAND, 2, COMMAND_IO | COMMAND_MEMORY | COMMAND_BUS_MASTER);
        assertThat(b.platform.io().in((int) originalIo, 4)).isEqualTo(0xB0000000);
    }

    /** A NIC record with BAR {@code index}'s address changed consistently in both places it appears. */
    static StateRecord withBar(StateRecord nic, int index, long address) throws SnapshotFormatException {
        byte[] config = nic.bytes("config");
        int lo = (config[BAR0 + 4 * index] & 0xf) | (int) address;
        for (int i = 0; i < 4; i++) config[BAR0 + 4 * index + i] = (byte) (lo >>> (8 * i));
        List<StateRecord> bars = new ArrayList<>(nic.records("bars"));
        for (int i = 0; i < bars.size(); i++) {
            if (bars.get(i).u8("index") == index) bars.set(i, bars.get(i).toBuilder().putU64("address", address).build());
        }
        return edit(nic, b -> b.putBytes("config", config).putRecords("bars", bars));
    }

    static StateRecord withConfig(StateRecord rec, int offset, int value, int size) throws SnapshotFormatException {
        byte[] config = rec.bytes("config");
        for (int i = 0; i < size; i++) config[offset + i] = (byte) (value >>> (8 * i));
        return edit(rec, b -> b.putBytes("config", config));
    }

    @Test
    void badRecordsAreRefusedAndLeaveTheFunctionAndTheBusesAsTheyWere() throws SnapshotFormatException {
        driveIntoBusyState(a);
        Map<String, StateRecord> saved = a.save();
        b.platform.cfgWrite(NIC, LATENCY_TIMER, 1, 0x20);
        List<String> ranges = b.ranges();
        Snapshottable nic = b.chunk("dev.test@pci.0.3.0"), disk = b.chunk("dev.test@pci.0.4.0");
        StateRecord nicRec = saved.get("dev.test@pci.0.3.0"), diskRec = saved.get("dev.test@pci.0.4.0");

        assertRefused(nic, withBar(nicRec, 0, 0xcc0), "bars", "overlaps", "pci config");
        assertRefused(nic, withBar(nicRec, 0, 0xfffc0), "address", "cannot be held");
        assertRefused(nic, withBar(nicRec, 0, 0x3010), "address", "cannot be held");
        assertRefused(nic, withBar(nicRec, 2, 0x10_0000), "address", "overlaps guest RAM");
        assertRefused(nic, withBar(nicRec, 2, MemoryMap.PCI_ECAM_BASE), "bars", "pci ecam");
        assertRefused(nic, edit(nicRec, b -> b.putRecords("bars", List.of())), "bars", "missing");
        assertRefused(nic, withConfig(nicRec, BAR0, 0x3100, 4), "address", "disagrees");
        assertRefused(nic, withConfig(nicRec, VENDOR, 0x8086, 2), "config", "byte 0x000");
        assertRefused(nic, withConfig(nicRec, INTERRUPT_PIN, 3, 1), "config", "byte 0x03d");
        assertRefused(nic, edit(nicRec, b -> b.putBytes("config", new byte[256])), "config", "4096");

        StateRecord msix = nicRec.record("msix");
        byte[] table = msix.bytes("table");
        table[13] = 1;
        assertRefused(nic, edit(nicRec, b -> b.putRecord("msix", msix.toBuilder().putBytes("table", table).build())),
                "msix.table", "read-only zero");
        assertRefused(nic, edit(nicRec, b -> b.putRecord("msix", msix.toBuilder().putU64Array("pba", 0b1000L).build())),
                "msix.pba", "beyond");
        assertRefused(nic, edit(nicRec, b -> b.putRecord("msix", msix.toBuilder().putU64Array("pba", 0, 0).build())),
                "msix.pba", "2 words");
        assertRefused(nic, edit(nicRec, b -> b.putRecord("msix", msix.toBuilder().putBool("function_mask", true).build())),
                "msix.enabled");

        assertRefused(disk, withConfig(diskRec, COMMAND, COMMAND_INTX_DISABLE | COMMAND_MEMORY | COMMAND_IO, 2),
                "intx", "masks INTx");
        assertRefused(disk, withConfig(diskRec, STATUS, STATUS_CAPABILITIES, 2), "config", "STATUS.interrupt");
        assertRefused(disk, withConfig(diskRec, CAP + 20, 0x20, 4), "config", "MSI pending");
        assertRefused(disk, edit(diskRec, b -> b.putString("intx", "pending")), "intx", "permits");
        assertRefused(disk, edit(diskRec, b -> b.putRecord("msix", StateRecord.EMPTY)), "msix", "no MSI-X");

        Snapshottable lpc = b.chunk("dev.lpc@pci.0.31.0");
        StateRecord lpcRec = saved.get("dev.lpc@pci.0.31.0");
        assertRefused(lpc, edit(lpcRec, b -> b.putRecord("model", StateRecord.builder()
                .putBytes("pirq", new byte[] {0x10, 0, 0, 0, 0, 0, 0, 0}).build())), "model.pirq", "reserved");
        assertRefused(lpc, edit(lpcRec, b -> b.putRecord("model", StateRecord.EMPTY)), "model.pirq", "missing");

        Snapshottable pci = b.chunk("dev.pci");
        StateRecord pciRec = saved.get("dev.pci");
        assertRefused(pci, edit(pciRec, b -> b.putU32("config_address", 1)), "config_address", "never holds");
        assertRefused(pci, edit(pciRec, b -> b.putU64Array("intx_routes", 1L)), "intx_routes", "differently");

        assertThatThrownBy(() -> nic.restoreState(nicRec, 2)).isExactlyInstanceOf(SnapshotFormatException.class)
                .hasMessageContaining("version 2");
        assertThat(b.ranges()).isEqualTo(ranges);
        assertThat(b.platform.highLines()).isEmpty();
        assertThat(b.platform.cfgRead(NIC, LATENCY_TIMER, 1)).isEqualTo(0x20);
    }

    @Test
    void aMachineWithOtherFunctionsRefusesTheBusChunk() {
        Map<String, StateRecord> saved = a.save();
        try (Machine noDisk = new Machine(false)) {
            assertRefused(noDisk.chunk("dev.pci"), saved.get("dev.pci"), "intx_routes", "original config");
        }
    }

    @Test
    void randomlyDamagedRecordsAreRestoredOrRefusedCleanly() {
        driveIntoBusyState(a);
        Map<String, StateRecord> saved = a.save();
        long seed = 0xcf8;
        for (Snapshottable s : b.bus.snapshottables()) {
            int refused = fuzzRestore(s, saved.get(s.stateName()), seed++, 400,
                    () -> List.of(b.ranges(), b.platform.highLines(), b.platform.msis.size()));
            assertThat(refused).as(s.stateName()).isGreaterThan(150);
        }
    }
}
