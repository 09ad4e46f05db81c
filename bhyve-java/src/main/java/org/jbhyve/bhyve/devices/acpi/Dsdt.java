package org.jbhyve.bhyve.devices.acpi;

import static org.jbhyve.bhyve.devices.acpi.aml.Aml.arg;
import static org.jbhyve.bhyve.devices.acpi.aml.Aml.device;
import static org.jbhyve.bhyve.devices.acpi.aml.Aml.eisaId;
import static org.jbhyve.bhyve.devices.acpi.aml.Aml.ifElse;
import static org.jbhyve.bhyve.devices.acpi.aml.Aml.integer;
import static org.jbhyve.bhyve.devices.acpi.aml.Aml.method;
import static org.jbhyve.bhyve.devices.acpi.aml.Aml.name;
import static org.jbhyve.bhyve.devices.acpi.aml.Aml.nameRef;
import static org.jbhyve.bhyve.devices.acpi.aml.Aml.pkg;
import static org.jbhyve.bhyve.devices.acpi.aml.Aml.returnOf;
import static org.jbhyve.bhyve.devices.acpi.aml.Aml.scope;
import static org.jbhyve.bhyve.devices.acpi.aml.Aml.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jbhyve.bhyve.device.MemoryMap;
import org.jbhyve.bhyve.devices.acpi.aml.AmlTerm;
import org.jbhyve.bhyve.devices.acpi.aml.ResourceTemplate;

/**
 * The Differentiated System Description Table: the namespace bhyve's DSDT builds, in AML.
 *
 * <pre>
 * \_S5_                  Package {5, 0}: SLP_TYP for soft-off
 * \PICM, \_PIC(1)        the OS tells us PIC (0) or APIC (1) mode; _PRT consults it
 * \_SB.PCxx              one PNP0A03 host bridge per PCI bus: _BBN, _CRS windows, _PRT
 * \_SB.PC00.ISA          the LPC bridge (_ADR) and its legacy devices: SIO (PNP0C02), COMn,
 *                        RTC, KBD/MOU, PIC, TIMR
 * \_SB.PC00.HPET         PNP0103, when the machine has an HPET
 * </pre>
 *
 * <p>bhyve's PIC-mode routing goes through eight PCI interrupt link devices (LNKA-LNKH) backed by
 * the LPC bridge's PIRQ registers. jbhyve routes INTx to IOAPIC pins only, so, as bhyve does when it
 * has no LPC bridge, the PIC-mode table PPRT is empty and only APIC mode routes INTx.
 */
final class Dsdt {
    static final String SIGNATURE = "DSDT";
    /** Revision 2: AML integers are 64 bits wide (needed for the 64-bit window's QWords). */
    static final int REVISION = 2;

    private Dsdt() {}

    static byte[] build(AcpiMachine m) {
        List<AmlTerm> root = new ArrayList<>();
        root.add(name("_S5", pkg(integer(PmRegisters.S5_SLEEP_TYPE), integer(0))));
        root.add(name("PICM", integer(0)));
        root.add(method("_PIC", 1, false, List.of(store(arg(0), nameRef("PICM")))));
        List<AmlTerm> sb = new ArrayList<>();
        for (PciRootBus bus : m.pciBuses()) sb.add(hostBridge(m, bus));
        root.add(scope("\\_SB", sb));

        SdtBuilder t = new SdtBuilder(SIGNATURE, REVISION);
        root.forEach(term -> t.bytes(term.bytes()));
        return t.finish();
    }

    /** The NameSeg of bus {@code n}'s host bridge: PC00, PC01, ... PCFF, as bhyve names them. */
    static String bridgeName(int bus) {
        return String.format("PC%02X", bus);
    }

    private static AmlTerm hostBridge(AcpiMachine m, PciRootBus bus) {
        List<AmlTerm> body = new ArrayList<>();
        body.add(name("_HID", eisaId("PNP0A03")));
        body.add(method("_BBN", 0, false, List.of(returnOf(integer(bus.bus())))));
        body.add(name("_CRS", bridgeResources(bus)));
        if (!bus.routes().isEmpty()) {
            body.add(name("PPRT", pkg()));
            body.add(name("APRT", apicRoutingTable(bus)));
            body.add(method("_PRT", 0, false, List.of(ifElse(nameRef("PICM"),
                    List.of(returnOf(nameRef("APRT"))),
                    List.of(returnOf(nameRef("PPRT")))))));
        }
        if (bus.bus() == 0) {
            List<AmlTerm> isa = IsaDsdt.devices(m);
            if (m.lpcBridge().isPresent()) {
                List<AmlTerm> lpc = new ArrayList<>();
                lpc.add(name("_ADR", integer(m.lpcBridge().get().acpiAddress())));
                lpc.addAll(isa);
                body.add(device("ISA", lpc));
            } else {
                body.addAll(isa);
            }
            m.hpet().ifPresent(h -> body.add(device("HPET", List.of(
                    name("_HID", eisaId("PNP0103")),
                    name("_UID", integer(0)),
                    name("_CRS", new ResourceTemplate().memory32Fixed(true, h.base(), HpetBlock.MMIO_SIZE).build())))));
        }
        return device(bridgeName(bus.bus()), body);
    }

    /**
     * The bus number range, then on bus 0 the config-mechanism ports and the legacy I/O ranges
     * around them (0-0xcf7 and 0xd00 up to where PCI BARs start), then the bus's BAR windows. Empty
     * windows are left out: a descriptor cannot express an empty range.
     */
    private static AmlTerm bridgeResources(PciRootBus bus) {
        ResourceTemplate r = new ResourceTemplate().wordBusNumber(bus.bus(), bus.bus());
        if (bus.bus() == 0) {
            r.fixedIo(MemoryMap.PCI_CONFIG_ADDRESS, 8);
            r.wordIo(0x0000, MemoryMap.PCI_CONFIG_ADDRESS - 1);
            r.wordIo(MemoryMap.PCI_CONFIG_ADDRESS + 8, MemoryMap.PCI_IO_BASE - 1);
        }
        if (!bus.io().isEmpty()) r.wordIo((int) bus.io().base(), (int) bus.io().limit() - 1);
        if (!bus.mem32().isEmpty()) r.dwordMemory(bus.mem32().base(), bus.mem32().limit() - 1);
        if (!bus.mem64().isEmpty()) r.qwordMemory(bus.mem64().base(), bus.mem64().limit() - 1);
        return r.build();
    }

    /**
     * {@code Package {Package {slot << 16 | 0xffff, pin - 1, Zero, gsi}, ...}}: address with "any
     * function", the pin as 0-3, no link device (source Zero) so the last field is the GSI.
     */
    private static AmlTerm apicRoutingTable(PciRootBus bus) {
        List<AmlTerm> entries = new ArrayList<>();
        bus.routes().stream()
                .sorted(Comparator.comparingInt(PciIntxRoute::slot).thenComparingInt(PciIntxRoute::pin))
                .forEach(r -> entries.add(pkg(
                        integer(((long) r.slot() << 16) | 0xffff),
                        integer(r.pin() - 1),
                        integer(0),
                        integer(r.ioapicPin()))));
        return pkg(entries);
    }
}
