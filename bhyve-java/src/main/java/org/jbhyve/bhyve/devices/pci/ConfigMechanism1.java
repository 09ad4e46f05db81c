package org.jbhyve.bhyve.devices.pci;

import org.jbhyve.bhyve.device.IoHandler;

/**
 * PCI configuration mechanism #1: a 32-bit address register at port 0xcf8 (bit 31 enable, bus
 * 23:16, device 15:11, function 10:8, register 7:2) and a data window at 0xcfc-0xcff, where an
 * access at 0xcfc+n of size s reaches register + n with size s.
 *
 * <p>As in bhyve, the address port only answers 32-bit accesses (0xcf9 is the reset control
 * register, another device's), and a data access that is not naturally aligned, i.e. would cross
 * the dword, reads all ones and writes nothing. With the enable bit clear the window is dead.
 */
final class ConfigMechanism1 {
    static final int ENABLE = 0x80000000;
    static final int ADDRESS_BITS = ENABLE | 0x00fffffc;

    private final PciBus bus;
    /** The address register; one per machine, as on real chipsets (guests serialize their use). */
    private volatile int address;

    ConfigMechanism1(PciBus bus) {
        this.bus = bus;
    }

    static int allOnes(int size) {
        return size >= 4 ? -1 : (1 << (8 * size)) - 1;
    }

    final IoHandler addressPort = new IoHandler() {
        @Override
        public int in(int port, int size) {
            return size == 4 ? address : allOnes(size);
        }

        @Override
        public void out(int port, int size, int value) {
            if (size == 4) address = value & ADDRESS_BITS;
        }
    };

    final IoHandler dataPort = new IoHandler() {
        @Override
        public int in(int port, int size) {
            int a = address;
            if ((a & ENABLE) == 0) return allOnes(size);
            return bus.configRead((a >>> 16) & 0xff, (a >>> 11) & 0x1f, (a >>> 8) & 0x7, (a & 0xfc) + (port & 3), size);
        }

        @Override
        public void out(int port, int size, int value) {
            int a = address;
            if ((a & ENABLE) == 0) return;
            bus.configWrite((a >>> 16) & 0xff, (a >>> 11) & 0x1f, (a >>> 8) & 0x7, (a & 0xfc) + (port & 3), size, value);
        }
    };

    void reset() {
        address = 0;
    }

    /** The address register (for snapshots). */
    int address() {
        return address;
    }

    /** Sets the address register from a snapshot; the caller checked it holds only ADDRESS_BITS. */
    void restoreAddress(int value) {
        address = value & ADDRESS_BITS;
    }
}
