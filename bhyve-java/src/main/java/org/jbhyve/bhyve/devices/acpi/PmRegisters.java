package org.jbhyve.bhyve.devices.acpi;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.jbhyve.bhyve.device.MemoryMap;

/**
 * The ACPI fixed hardware the FADT points at, as the VMM's power-management device implements it.
 *
 * @param pm1aEvent   PM1a event block: PM1_STS then PM1_EN, 2 bytes each
 * @param pm1aControl PM1a control block: PM1_CNT, 2 bytes; writing SLP_EN with SLP_TYP =
 *                    {@link #S5_SLEEP_TYPE} powers off
 * @param pmTimer     the 32-bit ACPI PM timer, 4 bytes
 * @param gpe0        GPE0 block (status byte then enable byte), or empty when the VMM has none;
 *                    bhyve puts one at 0x40c for its VM generation counter
 */
public record PmRegisters(int sciIrq, int smiCommand, int acpiEnable, int acpiDisable,
                          int pm1aEvent, int pm1aControl, int pmTimer, OptionalInt gpe0,
                          int resetPort, int resetValue) {
    public static final int PM1_EVENT_LENGTH = 4, PM1_CONTROL_LENGTH = 2, PM_TIMER_LENGTH = 4, GPE0_LENGTH = 2;

    /**
     * The SLP_TYP value of \_S5 (soft off). bhyve's DSDT declares {@code Name (_S5, Package () {5, 0})}
     * and its PM1 control handler powers off when SLP_TYP == 5, so the DSDT and the device model
     * must agree on this number.
     */
    public static final int S5_SLEEP_TYPE = 5;

    public PmRegisters {
        if (sciIrq < 0 || sciIrq > 15) throw new IllegalArgumentException("SCI must be an ISA IRQ: " + sciIrq);
        checkByte(acpiEnable, "ACPI_ENABLE");
        checkByte(acpiDisable, "ACPI_DISABLE");
        checkByte(resetValue, "reset value");
        new IoRange(smiCommand, 1);
        new IoRange(pm1aEvent, PM1_EVENT_LENGTH);
        new IoRange(pm1aControl, PM1_CONTROL_LENGTH);
        new IoRange(pmTimer, PM_TIMER_LENGTH);
        new IoRange(resetPort, 1);
        gpe0.ifPresent(p -> new IoRange(p, GPE0_LENGTH));
    }

    /** bhyve's ports (MemoryMap), without a GPE0 block. */
    public static PmRegisters bhyve() {
        return new PmRegisters(MemoryMap.SCI_IRQ, MemoryMap.SMI_CMD_PORT, MemoryMap.ACPI_ENABLE_VALUE,
                MemoryMap.ACPI_DISABLE_VALUE, MemoryMap.PM1A_EVT_PORT, MemoryMap.PM1A_CNT_PORT,
                MemoryMap.PM_TIMER_PORT, OptionalInt.empty(), MemoryMap.RESET_PORT, 0x6);
    }

    public PmRegisters withGpe0(int port) {
        return new PmRegisters(sciIrq, smiCommand, acpiEnable, acpiDisable, pm1aEvent, pm1aControl, pmTimer,
                OptionalInt.of(port), resetPort, resetValue);
    }

    /** The ports these registers occupy, for the motherboard resource device (PNP0C02). */
    public List<IoRange> ioRanges() {
        List<IoRange> r = new ArrayList<>();
        r.add(new IoRange(smiCommand, 1));
        r.add(new IoRange(pm1aEvent, PM1_EVENT_LENGTH));
        r.add(new IoRange(pm1aControl, PM1_CONTROL_LENGTH));
        r.add(new IoRange(pmTimer, PM_TIMER_LENGTH));
        gpe0.ifPresent(p -> r.add(new IoRange(p, GPE0_LENGTH)));
        return r;
    }

    private static void checkByte(int v, String what) {
        if (v < 0 || v > 0xff) throw new IllegalArgumentException(what + " must be a byte: " + v);
    }
}
