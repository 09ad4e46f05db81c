package org.jbhyve.bhyve.devices.acpi;

import org.jbhyve.bhyve.device.MemoryMap;

/**
 * A legacy device behind the LPC bridge that the DSDT describes so the guest finds it without
 * probing. The ports and IRQs are the PC's fixed ones; records carry them anyway so the DSDT is
 * written from what the VMM actually set up.
 */
public sealed interface IsaDevice {

    /** 16550 UART {@code COM<unit>} (_HID PNP0501, _UID = unit): 8 ports and an edge IRQ. */
    record Uart(int unit, int port, int irq) implements IsaDevice {
        public static final int PORT_COUNT = 8;

        public Uart {
            if (unit < 1 || unit > 4) throw new IllegalArgumentException("COM unit must be 1-4: " + unit);
            checkIrq(irq);
            new IoRange(port, PORT_COUNT); // validates the range
        }

        /** COM1-COM4 at bhyve's (and the PC's) ports and IRQs. */
        public static Uart com(int unit) {
            return switch (unit) {
                case 1 -> new Uart(1, MemoryMap.COM1_PORT, MemoryMap.COM1_IRQ);
                case 2 -> new Uart(2, MemoryMap.COM2_PORT, MemoryMap.COM2_IRQ);
                case 3 -> new Uart(3, MemoryMap.COM3_PORT, MemoryMap.COM3_IRQ);
                case 4 -> new Uart(4, MemoryMap.COM4_PORT, MemoryMap.COM4_IRQ);
                default -> throw new IllegalArgumentException("COM unit must be 1-4: " + unit);
            };
        }
    }

    /** MC146818 RTC/CMOS (_HID PNP0B00): index/data ports and IRQ 8. */
    record Rtc(int port, int irq) implements IsaDevice {
        public static final Rtc STANDARD = new Rtc(MemoryMap.RTC_PORT, MemoryMap.RTC_IRQ);

        public Rtc {
            checkIrq(irq);
            new IoRange(port, 2);
        }
    }

    /**
     * The 8042 keyboard controller at ports 0x60/0x64 with a keyboard (PNP0303, IRQ 1) and a PS/2
     * mouse (PNP0F13, IRQ 12). Present in bhyve on amd64; list it only when jbhyve emulates it.
     */
    record Ps2Controller() implements IsaDevice {
        public static final int DATA_PORT = 0x60, STATUS_PORT = 0x64, KBD_IRQ = 1, MOUSE_IRQ = 12;
    }

    /** The two 8259 PICs (PNP0000) at 0x20 and 0xa0, cascaded on IRQ 2. */
    record Pic() implements IsaDevice {
        public static final int MASTER_PORT = 0x20, SLAVE_PORT = 0xa0, CASCADE_IRQ = 2;
    }

    /** The 8254 PIT (PNP0100) at 0x40-0x43 on IRQ 0. */
    record Pit() implements IsaDevice {
        public static final int PORT = 0x40, PORT_COUNT = 4, IRQ = 0;
    }

    private static void checkIrq(int irq) {
        if (irq < 0 || irq > 15) throw new IllegalArgumentException("ISA IRQ must be 0-15: " + irq);
    }
}
