package org.jbhyve.bhyve.devices.testdev;

import org.jbhyve.bhyve.device.InterruptLine;
import org.jbhyve.bhyve.device.IoHandler;
import org.jbhyve.bhyve.device.Lifecycle;
import org.jbhyve.bhyve.device.MmioHandler;
import org.jbhyve.bhyve.device.Platform;
import org.jbhyve.bhyve.device.Snapshottable;
import org.jbhyve.bhyve.devices.StateReader;
import org.jbhyve.snapshot.format.SnapshotFormatException;
import org.jbhyve.snapshot.format.StateRecord;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * QEMU's pc-testdev (hw/misc/pc-testdev.c), the test device kvm-unit-tests drives, and bhyve's
 * {@code -l pc-testdev}:
 * <ul>
 * <li>0xe0-0xe3: a 32-bit scratch register. An access of 1, 2 or 4 bytes at offset {@code k}
 *     reads or replaces exactly those bytes (so {@code outb 0xe1} changes bits 8..15), which tests
 *     the instruction emulator's port I/O of every width.</li>
 * <li>0xe8-0xeb: the same register again. In QEMU this window is served one byte at a time and
 *     wider accesses are split; the bytes a guest sees are identical, so here it is simply the
 *     same register.</li>
 * <li>0x2000-0x2017: interrupt lines 0-23, one byte each: writing non-zero raises the line,
 *     zero lowers it (lines 0-15 reach the PIC and IOAPIC, 16-23 the IOAPIC). Reads return 0, as
 *     in bhyve. Only byte writes count.</li>
 * <li>0xff000000-0xff00ffff: 64 KiB of device memory behind MMIO exits, readable and writable at
 *     1, 2, 4 and 8 bytes, little endian, which tests MMIO instruction emulation. It overlaps the
 *     boot ROM window, so, as in bhyve, pc-testdev and a boot ROM exclude each other.</li>
 * </ul>
 * What is not here: the flush-page port 0xe4. QEMU answers a 32-bit write of a guest physical
 * address by mprotect()ing that page away and back, so that KVM must drop and re-create its
 * mapping; a device here has no access to host mappings. Writes to 0xe4 are accepted, the address
 * is checked to be RAM, and a note is logged once that nothing was flushed. bhyve's pc-testdev
 * does not have the port at all. The debug-exit port 0xf4 that bhyve's pc-testdev also provides is
 * the separate {@link DebugExit}; {@code -l pc-testdev} should create both.
 *
 * <p>Out-of-range accesses (past the end of a window, wrong width) read as all ones, are ignored
 * on write, and are logged once per kind.
 *
 * <p>Snapshots (chunk {@code dev.pc-testdev}, version 1): {@code ioport} (u32, the scratch
 * register), {@code irq_lines} (u32, bit n set while the guest holds line n raised) and
 * {@code iomem} (bytes, the 64 KiB of device memory). A restore raises the lines saved raised.
 */
public final class PcTestDev implements IoHandler, MmioHandler, Lifecycle, Snapshottable {
    public static final int IOPORT = 0xe0, FLUSH_PORT = 0xe4, IOPORT_BYTEWISE = 0xe8, IRQ_PORT = 0x2000;
    public static final int IRQ_LINES = 24;
    public static final long IOMEM_BASE = 0xff00_0000L, IOMEM_SIZE = 0x1_0000;
    private static final String NAME = "pc-testdev";

    private final Platform platform;
    private final InterruptLine[] lines = new InterruptLine[IRQ_LINES];
    private final boolean[] raised = new boolean[IRQ_LINES];
    private final byte[] iomem = new byte[(int) IOMEM_SIZE];
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private int ioportData;

    /** Claims the ports and the MMIO window listed in the class comment. */
    public PcTestDev(Platform platform) {
        this.platform = platform;
        for (int i = 0; i < IRQ_LINES; i++) lines[i] = platform.irq(i);
        platform.io().register(IOPORT, 4, NAME + " ioport", this);
        platform.io().register(FLUSH_PORT, 4, NAME + " flush-page", this);
        platform.io().register(IOPORT_BYTEWISE, 4, NAME + " ioport-byte", this);
        platform.io().register(IRQ_PORT, IRQ_LINES, NAME + " irq-line", this);
        platform.mmio().register(IOMEM_BASE, IOMEM_SIZE, NAME + " iomem", this);
    }

    // ---- port I/O ----

    @Override
    public synchronized int in(int port, int size) {
        if (isScratch(port)) {
            int offset = port & 3;
            if (offset + size > 4) return outOfRange("read", port, size);
            return (int) (Integer.toUnsignedLong(ioportData) >>> (8 * offset) & mask(size));
        }
        if (port >= IRQ_PORT && port < IRQ_PORT + IRQ_LINES) return 0;
        return outOfRange("read", port, size); // the flush port is write-only
    }

    /**
     * The line moves under the lock, as it does in the other ISA models: two vCPUs writing one line's
     * byte at once could otherwise apply their levels in the opposite order to the one they recorded
     * in {@code raised}, leaving the line up while the device (and its snapshot) says it is down.
     */
    @Override
    public void out(int port, int size, int value) {
        synchronized (this) {
            if (isScratch(port)) {
                int offset = port & 3;
                if (offset + size > 4) {
                    outOfRange("write", port, size);
                    return;
                }
                int m = (int) (mask(size) << (8 * offset));
                ioportData = ioportData & ~m | value << (8 * offset) & m;
            } else if (port >= FLUSH_PORT && port < FLUSH_PORT + 4) {
                flushPage(port, size, value);
            } else if (port >= IRQ_PORT && port < IRQ_PORT + IRQ_LINES) {
                if (size != 1) {
                    outOfRange("write", port, size);
                    return;
                }
                int n = port - IRQ_PORT;
                boolean level = (value & 0xff) != 0;
                raised[n] = level;
                lines[n].set(level);
            }
        }
    }

    private static boolean isScratch(int port) {
        return port >= IOPORT && port < IOPORT + 4 || port >= IOPORT_BYTEWISE && port < IOPORT_BYTEWISE + 4;
    }

    private void flushPage(int port, int size, int value) {
        if (port != FLUSH_PORT || size != 4) {
            outOfRange("write", port, size);
            return;
        }
        long page = Integer.toUnsignedLong(value) & ~0xfffL;
        if (!platform.memory().isRam(page, 4096)) {
            report("flush-bad", "flush-page for 0x" + Long.toHexString(page) + ", which is not guest RAM; ignored");
            return;
        }
        report("flush", "flush-page requested (first: 0x" + Long.toHexString(page)
                + "); host mappings cannot be dropped from a device here, nothing was flushed");
    }

    // ---- MMIO ----

    @Override
    public synchronized long read(long address, int size) {
        long offset = address - IOMEM_BASE;
        if (!validMmio(offset, size)) {
            report("mmio-read", "iomem read of " + size + " bytes at 0x" + Long.toHexString(address)
                    + " leaves the window or has a bad width; reads as all ones");
            return size >= 8 ? -1L : (1L << (8 * size)) - 1;
        }
        long v = 0;
        for (int i = 0; i < size; i++) v |= (iomem[(int) offset + i] & 0xffL) << (8 * i);
        return v;
    }

    @Override
    public synchronized void write(long address, int size, long value) {
        long offset = address - IOMEM_BASE;
        if (!validMmio(offset, size)) {
            report("mmio-write", "iomem write of " + size + " bytes at 0x" + Long.toHexString(address)
                    + " leaves the window or has a bad width; ignored");
            return;
        }
        for (int i = 0; i < size; i++) iomem[(int) offset + i] = (byte) (value >>> (8 * i));
    }

    private static boolean validMmio(long offset, int size) {
        return (size == 1 || size == 2 || size == 4 || size == 8) && offset >= 0 && offset + size <= IOMEM_SIZE;
    }

    // ---- lifecycle ----

    /** Clears the scratch register and device memory and lowers every line the guest raised. */
    @Override
    public void reset() {
        boolean[] toLower = new boolean[IRQ_LINES];
        synchronized (this) {
            ioportData = 0;
            Arrays.fill(iomem, (byte) 0);
            for (int i = 0; i < IRQ_LINES; i++) {
                toLower[i] = raised[i];
                raised[i] = false;
            }
        }
        for (int i = 0; i < IRQ_LINES; i++) if (toLower[i]) lines[i].deassertLine();
    }

    // ---- snapshot ----

    @Override
    public String stateName() {
        return "dev." + NAME;
    }

    @Override
    public int stateVersion() {
        return 1;
    }

    @Override
    public synchronized StateRecord saveState() {
        long levels = 0;
        for (int i = 0; i < IRQ_LINES; i++) if (raised[i]) levels |= 1L << i;
        return StateRecord.builder()
                .putU32("ioport", Integer.toUnsignedLong(ioportData))
                .putU32("irq_lines", levels)
                .putBytes("iomem", iomem.clone())
                .build();
    }

    @Override
    public void restoreState(StateRecord state, int version) throws SnapshotFormatException {
        StateReader r = StateReader.open(this, state, version);
        int data = (int) r.u32("ioport");
        long levels = r.u32Bits("irq_lines", (1L << IRQ_LINES) - 1);
        byte[] mem = r.bytesExactly("iomem", (int) IOMEM_SIZE, "the device memory window");
        boolean[] wasRaised;
        synchronized (this) {
            wasRaised = raised.clone();
            ioportData = data;
            System.arraycopy(mem, 0, iomem, 0, iomem.length);
            for (int i = 0; i < IRQ_LINES; i++) raised[i] = (levels & 1L << i) != 0;
        }
        // Re-drive the lines: raise the saved ones, lower those this device had raised and the saved
        // state has not. Lines it never raised are left alone (an ISA IRQ may be another device's).
        for (int i = 0; i < IRQ_LINES; i++) {
            boolean level = (levels & 1L << i) != 0;
            if (level) lines[i].assertLine();
            else if (wasRaised[i]) lines[i].deassertLine();
        }
    }

    private static long mask(int size) {
        return size >= 4 ? 0xffff_ffffL : (1L << (8 * size)) - 1;
    }

    private int outOfRange(String what, int port, int size) {
        report(what + "-" + port + "-" + size, size + "-byte " + what + " of port 0x" + Integer.toHexString(port)
                + " does not fit the register; " + (what.equals("read") ? "reads as all ones" : "ignored"));
        return size == 4 ? -1 : (1 << (8 * size)) - 1;
    }

    private void report(String key, String message) {
        if (reported.add(key)) platform.log(NAME, message);
    }
}
