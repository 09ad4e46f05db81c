package org.jbhyve.bhyve.devices.acpi;

import static org.jbhyve.bhyve.devices.acpi.SdtBuilder.ACCESS_BYTE;
import static org.jbhyve.bhyve.devices.acpi.SdtBuilder.ACCESS_DWORD;
import static org.jbhyve.bhyve.devices.acpi.SdtBuilder.ACCESS_WORD;
import static org.jbhyve.bhyve.devices.acpi.SdtBuilder.SPACE_SYSTEM_IO;

/**
 * The Fixed ACPI Description Table, "FACP" (ACPI 6.5, 5.2.9): revision 5 minor 1, as bhyve
 * declares it, and 268 bytes, the length of that revision. (bhyve appends ACPI 6.0's 8-byte
 * hypervisor vendor identity, always zero, making its table longer than its revision says; iasl
 * flags that, ACPICA truncates it.) Fields are appended in the spec's order; the comments give each
 * one's offset.
 */
final class Fadt {
    static final String SIGNATURE = "FACP";
    static final int REVISION = 5, MINOR_REVISION = 1;
    static final int LENGTH = 268;

    /** CMOS index of the RTC century byte (0x32, the PC convention bhyve declares). */
    static final int RTC_CENTURY_INDEX = 0x32;

    // IAPC_BOOT_ARCH (offset 109).
    static final int BOOT_LEGACY_DEVICES = 1 << 0, BOOT_8042 = 1 << 1, BOOT_NO_VGA = 1 << 2, BOOT_NO_ASPM = 1 << 4;

    // Fixed feature flags (offset 112), the set bhyve declares.
    static final int WBINVD = 1 << 0;
    static final int PROC_C1 = 1 << 2;
    /** No fixed-hardware sleep button (there is none); the power button is fixed hardware (PM1 PWRBTN_STS). */
    static final int SLP_BUTTON = 1 << 5;
    static final int TMR_VAL_EXT = 1 << 8;   // the PM timer is 32 bits wide
    static final int RESET_REG_SUP = 1 << 10;
    static final int HEADLESS = 1 << 12;
    static final int FORCE_APIC_PHYSICAL_DESTINATION_MODE = 1 << 19;
    static final int FLAGS = WBINVD | PROC_C1 | SLP_BUTTON | TMR_VAL_EXT | RESET_REG_SUP | HEADLESS
            | FORCE_APIC_PHYSICAL_DESTINATION_MODE;

    private Fadt() {}

    static byte[] build(AcpiMachine m, long facsAddress, long dsdtAddress) {
        PmRegisters pm = m.pm();
        int gpe0 = pm.gpe0().orElse(0);
        int gpe0Length = pm.gpe0().isPresent() ? PmRegisters.GPE0_LENGTH : 0;
        SdtBuilder t = new SdtBuilder(SIGNATURE, REVISION);
        t.u32(facsAddress)                         // 36 FIRMWARE_CTRL
                .u32(dsdtAddress)                  // 40 DSDT
                .u8(0)                             // 44 reserved (INT_MODEL in ACPI 1.0)
                .u8(0)                             // 45 Preferred_PM_Profile: unspecified
                .u16(pm.sciIrq())                  // 46 SCI_INT
                .u32(pm.smiCommand())              // 48 SMI_CMD
                .u8(pm.acpiEnable())               // 52 ACPI_ENABLE
                .u8(pm.acpiDisable())              // 53 ACPI_DISABLE
                .u8(0)                             // 54 S4BIOS_REQ
                .u8(0)                             // 55 PSTATE_CNT
                .u32(pm.pm1aEvent())               // 56 PM1a_EVT_BLK
                .u32(0)                            // 60 PM1b_EVT_BLK
                .u32(pm.pm1aControl())             // 64 PM1a_CNT_BLK
                .u32(0)                            // 68 PM1b_CNT_BLK
                .u32(0)                            // 72 PM2_CNT_BLK
                .u32(pm.pmTimer())                 // 76 PM_TMR_BLK
                .u32(gpe0)                         // 80 GPE0_BLK
                .u32(0)                            // 84 GPE1_BLK
                .u8(PmRegisters.PM1_EVENT_LENGTH)  // 88 PM1_EVT_LEN
                .u8(PmRegisters.PM1_CONTROL_LENGTH)// 89 PM1_CNT_LEN
                .u8(0)                             // 90 PM2_CNT_LEN
                .u8(PmRegisters.PM_TIMER_LENGTH)   // 91 PM_TMR_LEN
                .u8(gpe0Length)                    // 92 GPE0_BLK_LEN
                .u8(0)                             // 93 GPE1_BLK_LEN
                .u8(0)                             // 94 GPE1_BASE
                .u8(0)                             // 95 CST_CNT
                .u16(0)                            // 96 P_LVL2_LAT
                .u16(0)                            // 98 P_LVL3_LAT
                .u16(0)                            // 100 FLUSH_SIZE
                .u16(0)                            // 102 FLUSH_STRIDE
                .u8(0)                             // 104 DUTY_OFFSET
                .u8(0)                             // 105 DUTY_WIDTH
                .u8(0)                             // 106 DAY_ALRM
                .u8(0)                             // 107 MON_ALRM
                .u8(RTC_CENTURY_INDEX)             // 108 CENTURY
                .u16(bootArch(m))                  // 109 IAPC_BOOT_ARCH
                .u8(0)                             // 111 reserved
                .u32(FLAGS)                        // 112 Flags
                .gas(SPACE_SYSTEM_IO, 8, 0, ACCESS_BYTE, pm.resetPort()) // 116 RESET_REG
                .u8(pm.resetValue())               // 128 RESET_VALUE
                .u16(0)                            // 129 ARM_BOOT_ARCH
                .u8(MINOR_REVISION)                // 131 FADT minor version
                .u64(facsAddress)                  // 132 X_FIRMWARE_CTRL
                .u64(dsdtAddress)                  // 140 X_DSDT
                .gas(SPACE_SYSTEM_IO, 8 * PmRegisters.PM1_EVENT_LENGTH, 0, ACCESS_WORD, pm.pm1aEvent())   // 148
                .noGas()                                                                                 // 160 X_PM1b_EVT_BLK
                .gas(SPACE_SYSTEM_IO, 8 * PmRegisters.PM1_CONTROL_LENGTH, 0, ACCESS_WORD, pm.pm1aControl()) // 172
                .noGas()                                                                                 // 184 X_PM1b_CNT_BLK
                .noGas()                                                                                 // 196 X_PM2_CNT_BLK
                .gas(SPACE_SYSTEM_IO, 8 * PmRegisters.PM_TIMER_LENGTH, 0, ACCESS_DWORD, pm.pmTimer());    // 208
        if (pm.gpe0().isPresent()) {
            // GPE registers are accessed a byte at a time (ACPI 6.5, 4.8.4.1).
            t.gas(SPACE_SYSTEM_IO, 8 * gpe0Length, 0, ACCESS_BYTE, gpe0);                                // 220
        } else {
            t.noGas();
        }
        t.noGas()                                  // 232 X_GPE1_BLK
                .noGas()                           // 244 SLEEP_CONTROL_REG: only for hardware-reduced ACPI
                .noGas();                          // 256 SLEEP_STATUS_REG
        byte[] b = t.finish();
        if (b.length != LENGTH) throw new IllegalStateException("FADT is " + b.length + " bytes, not " + LENGTH);
        return b;
    }

    /**
     * IA-PC boot architecture flags. bhyve declares "no VGA" and "no PCIe ASPM control" and nothing
     * else; jbhyve also sets the legacy-devices and 8042 bits when those exist, because they are
     * true and Linux treats a clear 8042 bit as "do not probe the 8042 unless ACPI lists it".
     */
    static int bootArch(AcpiMachine m) {
        int flags = BOOT_NO_VGA | BOOT_NO_ASPM;
        if (!m.uarts().isEmpty()) flags |= BOOT_LEGACY_DEVICES; // user-visible LPC devices: the COM ports
        if (m.has(IsaDevice.Ps2Controller.class)) flags |= BOOT_8042;
        return flags;
    }
}
