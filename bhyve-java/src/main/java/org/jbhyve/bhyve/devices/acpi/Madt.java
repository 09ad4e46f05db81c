package org.jbhyve.bhyve.devices.acpi;

import org.jbhyve.bhyve.device.MemoryMap;

/**
 * The Multiple APIC Description Table, "APIC" (ACPI 6.5, 5.2.12), as bhyve writes it: revision 1,
 * one enabled local APIC per vCPU (processor UID = APIC ID = vCPU id), one IOAPIC, two interrupt
 * source overrides and an NMI on LINT1 of every CPU.
 */
final class Madt {
    static final String SIGNATURE = "APIC";
    static final int REVISION = 1;
    /** Flags: PCAT_COMPAT, dual 8259s are present and must be masked when the IOAPIC is used. */
    static final int PCAT_COMPAT = 1;

    static final int TYPE_LOCAL_APIC = 0, TYPE_IOAPIC = 1, TYPE_INTERRUPT_OVERRIDE = 2, TYPE_LOCAL_APIC_NMI = 4;
    static final int LOCAL_APIC_ENABLED = 1;

    // MPS INTI flags: polarity in bits 0-1 (1 active high, 3 active low), trigger in bits 2-3 (1 edge, 3 level).
    static final int ACTIVE_HIGH_EDGE = 0x1 | (0x1 << 2);
    static final int ACTIVE_LOW_LEVEL = 0x3 | (0x3 << 2);

    /** The ISA IRQ the PIT uses and the IOAPIC pin it arrives at on every PC since the IOAPIC. */
    static final int PIT_IRQ = 0, PIT_GSI = 2;
    /** Processor UID 0xff means "all processors". */
    static final int ALL_PROCESSORS = 0xff;

    private Madt() {}

    static byte[] build(AcpiMachine m) {
        SdtBuilder t = new SdtBuilder(SIGNATURE, REVISION);
        t.u32(MemoryMap.LAPIC_BASE).u32(PCAT_COMPAT);
        for (int cpu = 0; cpu < m.vcpus(); cpu++) {
            t.u8(TYPE_LOCAL_APIC).u8(8).u8(cpu).u8(cpu).u32(LOCAL_APIC_ENABLED);
        }
        t.u8(TYPE_IOAPIC).u8(12).u8(AcpiMachine.IOAPIC_ID).u8(0)
                .u32(MemoryMap.IOAPIC_BASE).u32(AcpiMachine.IOAPIC_GSI_BASE);
        // The PIT's IRQ 0 is wired to IOAPIC pin 2 (pin 0 carries the 8259's ExtINT).
        interruptOverride(t, PIT_IRQ, PIT_GSI, ACTIVE_HIGH_EDGE);
        // The SCI is level-triggered, declared active-low like bhyve's; identity-mapped to its GSI.
        interruptOverride(t, m.pm().sciIrq(), m.pm().sciIrq(), ACTIVE_LOW_LEVEL);
        t.u8(TYPE_LOCAL_APIC_NMI).u8(6).u8(ALL_PROCESSORS).u16(ACTIVE_HIGH_EDGE).u8(1 /* LINT1 */);
        return t.finish();
    }

    private static void interruptOverride(SdtBuilder t, int isaIrq, int gsi, int flags) {
        t.u8(TYPE_INTERRUPT_OVERRIDE).u8(10).u8(0 /* bus: ISA */).u8(isaIrq).u32(gsi).u16(flags);
    }
}
