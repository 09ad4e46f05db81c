package org.jbhyve.bhyve.devices.acpi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import org.jbhyve.bhyve.device.MemoryMap;
import org.jbhyve.vmm.GuestMemory;
import org.jbhyve.vmm.GuestMemoryException;

/**
 * The Intel MultiProcessor Specification 1.4 table bhyve writes at {@link MemoryMap#MPTABLE_BASE}
 * for guests that predate ACPI's MADT: the 16-byte floating pointer, then the configuration table
 * with processor, bus, IOAPIC, I/O interrupt and local interrupt entries. No extended table and no
 * OEM table. The VMM skips this when {@code x86.mptable=false} (bhyve -Y).
 */
public final class MpTable {
    static final int FLOATING_POINTER_LENGTH = 16, HEADER_LENGTH = 44;
    static final int SPEC_REV = 4;
    static final String OEM_ID = "BHyVe", PRODUCT_ID = "Hypervisor";

    static final int ENTRY_PROCESSOR = 0, ENTRY_BUS = 1, ENTRY_IOAPIC = 2, ENTRY_IO_INT = 3, ENTRY_LOCAL_INT = 4;
    static final int PROCESSOR_LENGTH = 20, OTHER_ENTRY_LENGTH = 8;
    static final int INT_TYPE_INT = 0, INT_TYPE_NMI = 1, INT_TYPE_EXTINT = 3;
    // I/O interrupt flags: polarity bits 0-1 and trigger bits 2-3; 0 = "conforms to the bus".
    static final int FLAGS_CONFORM = 0;
    static final int FLAGS_ACTIVE_LOW_LEVEL = 0x3 | (0x3 << 2);
    static final int PROCESSOR_ENABLED = 1, PROCESSOR_BSP = 2;
    static final int LAPIC_VERSION = 0x10, IOAPIC_VERSION = 0x11;
    /**
     * CPUID signature and feature flags the processor entries report; bhyve hardcodes these (family
     * 6 model 26 stepping 5, an i7) and so does jbhyve: guests take the real values from CPUID.
     */
    static final int CPU_SIGNATURE = (6 << 8) | (26 << 4) | 5, CPU_FEATURES = 0xbfebfbff;
    static final int PCI_BUS_ID = 0, ISA_BUS_ID = 1;
    /** ISA IRQs that get an I/O interrupt entry: all 16, as in bhyve (the MP spec's default configuration). */
    static final int ISA_IRQS = 16;

    private MpTable() {}

    /** The bytes of the floating pointer and configuration table, for a table placed at {@code base}. */
    public static byte[] build(AcpiMachine m, long base) {
        if (m.pciBuses().size() != 1) {
            throw new AcpiBuildException("the MP table cannot describe more than one PCI hierarchy (buses "
                    + m.pciBuses().stream().map(b -> String.valueOf(b.bus())).toList()
                    + "); disable it with -Y (x86.mptable=false)");
        }
        PciRootBus pci = m.bus0();
        int entries = m.vcpus() + 2 + 1 + ISA_IRQS + pci.routes().size() + 2;
        int tableLength = HEADER_LENGTH + m.vcpus() * PROCESSOR_LENGTH + (entries - m.vcpus()) * OTHER_ENTRY_LENGTH;
        ByteBuffer b = ByteBuffer.allocate(FLOATING_POINTER_LENGTH + tableLength).order(ByteOrder.LITTLE_ENDIAN);

        // Floating pointer: signature, config table address, length in 16-byte units, revision,
        // checksum, and feature bytes all 0 (a configuration table is present; no IMCR, virtual wire).
        b.put(ascii("_MP_", 4)).putInt((int) (base + FLOATING_POINTER_LENGTH)).put((byte) 1).put((byte) SPEC_REV)
                .put((byte) 0).put(new byte[5]);

        int header = b.position();
        b.put(ascii("PCMP", 4)).putShort((short) tableLength).put((byte) SPEC_REV).put((byte) 0)
                .put(ascii(OEM_ID, 8)).put(ascii(PRODUCT_ID, 12))
                .putInt(0).putShort((short) 0)            // no OEM table
                .putShort((short) entries).putInt((int) MemoryMap.LAPIC_BASE)
                .putShort((short) 0).put((byte) 0).put((byte) 0); // no extended table; reserved

        for (int cpu = 0; cpu < m.vcpus(); cpu++) {
            b.put((byte) ENTRY_PROCESSOR).put((byte) cpu).put((byte) LAPIC_VERSION)
                    .put((byte) (PROCESSOR_ENABLED | (cpu == 0 ? PROCESSOR_BSP : 0)))
                    .putInt(CPU_SIGNATURE).putInt(CPU_FEATURES).put(new byte[8]);
        }
        b.put((byte) ENTRY_BUS).put((byte) PCI_BUS_ID).put(ascii("PCI", 6));
        b.put((byte) ENTRY_BUS).put((byte) ISA_BUS_ID).put(ascii("ISA", 6));
        b.put((byte) ENTRY_IOAPIC).put((byte) AcpiMachine.IOAPIC_ID).put((byte) IOAPIC_VERSION).put((byte) 1 /* enabled */)
                .putInt((int) MemoryMap.IOAPIC_BASE);

        int sci = m.pm().sciIrq();
        for (int pin = 0; pin < ISA_IRQS; pin++) {
            if (pin == 0) {
                ioInt(b, INT_TYPE_EXTINT, FLAGS_CONFORM, ISA_BUS_ID, 0, pin);  // the 8259's output
            } else if (pin == Madt.PIT_GSI) {
                ioInt(b, INT_TYPE_INT, FLAGS_CONFORM, ISA_BUS_ID, Madt.PIT_IRQ, pin);
            } else if (pin == sci) {
                ioInt(b, INT_TYPE_INT, FLAGS_ACTIVE_LOW_LEVEL, ISA_BUS_ID, sci, pin);
            } else {
                ioInt(b, INT_TYPE_INT, FLAGS_CONFORM, ISA_BUS_ID, pin, pin);
            }
        }
        pci.routes().stream()
                .sorted(Comparator.comparingInt(PciIntxRoute::slot).thenComparingInt(PciIntxRoute::pin))
                // PCI source IRQ: device number in bits 2-6, pin (0 = INTA) in bits 0-1.
                .forEach(r -> ioInt(b, INT_TYPE_INT, FLAGS_CONFORM, PCI_BUS_ID, (r.slot() << 2) | (r.pin() - 1),
                        r.ioapicPin()));

        // Local interrupts on every CPU (destination APIC ID 0xff): ExtINT on LINT0, NMI on LINT1.
        localInt(b, INT_TYPE_EXTINT, 0);
        localInt(b, INT_TYPE_NMI, 1);

        byte[] out = b.array();
        if (b.position() != out.length) throw new IllegalStateException("MP table size miscounted");
        out[header + 7] = SdtBuilder.checksum(out, header, tableLength);
        out[10] = SdtBuilder.checksum(out, 0, FLOATING_POINTER_LENGTH);
        return out;
    }

    /**
     * Writes the table at {@link MemoryMap#MPTABLE_BASE}; it must end before the ACPI tables start.
     *
     * @return the number of bytes written
     */
    public static int write(AcpiMachine m, GuestMemory memory) {
        byte[] t = build(m, MemoryMap.MPTABLE_BASE);
        long room = MemoryMap.ACPI_BASE - MemoryMap.MPTABLE_BASE;
        if (t.length > room) {
            throw new AcpiBuildException(String.format(
                    "the MP table for %d vCPUs and %d PCI interrupt routes needs %d bytes but only %d fit at 0x%x before the ACPI tables",
                    m.vcpus(), m.bus0().routes().size(), t.length, room, MemoryMap.MPTABLE_BASE));
        }
        try {
            memory.write(MemoryMap.MPTABLE_BASE, t);
        } catch (GuestMemoryException e) {
            throw new AcpiBuildException("cannot write the MP table at 0x" + Long.toHexString(MemoryMap.MPTABLE_BASE)
                    + ": not RAM (the guest needs at least 1 MiB of memory)", e);
        }
        return t.length;
    }

    private static void ioInt(ByteBuffer b, int type, int flags, int bus, int busIrq, int pin) {
        b.put((byte) ENTRY_IO_INT).put((byte) type).putShort((short) flags).put((byte) bus).put((byte) busIrq)
                .put((byte) AcpiMachine.IOAPIC_ID).put((byte) pin);
    }

    private static void localInt(ByteBuffer b, int type, int lint) {
        b.put((byte) ENTRY_LOCAL_INT).put((byte) type).putShort((short) FLAGS_CONFORM).put((byte) 0).put((byte) 0)
                .put((byte) 0xff).put((byte) lint);
    }

    private static byte[] ascii(String s, int width) {
        return String.format("%-" + width + "s", s).getBytes(StandardCharsets.US_ASCII);
    }
}
