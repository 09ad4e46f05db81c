package org.jbhyve.bhyve.device;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The port I/O space (0..0xffff): which device owns which ports. Lookup is one array read, so the
 * vCPU exit path stays cheap; registration is rare and copy-on-write so readers take no lock.
 *
 * <p>An access to a port nobody owns reads as all ones and ignores writes, like an ISA bus with
 * nothing on it (bhyve does the same unless {@code x86.strictio} is set).
 */
public final class IoBus {
    /** One registered range. */
    public record Range(int base, int length, String owner, IoHandler handler) {
        public int end() { return base + length; }

        @Override
        public String toString() {
            return String.format("0x%04x-0x%04x %s", base, end() - 1, owner);
        }
    }

    private volatile Range[] byPort = new Range[0x10000];

    /** Claims {@code [base, base+length)}; fails if any port is taken. */
    public synchronized void register(int base, int length, String owner, IoHandler handler) {
        if (base < 0 || length <= 0 || base + length > 0x10000) {
            throw new IllegalArgumentException(owner + ": bad I/O range 0x" + Integer.toHexString(base) + "+" + length);
        }
        Range r = new Range(base, length, owner, handler);
        Range[] next = byPort.clone();
        for (int p = base; p < base + length; p++) {
            if (next[p] != null) {
                throw new IllegalStateException(owner + ": I/O port 0x" + Integer.toHexString(p)
                        + " already belongs to " + next[p].owner());
            }
            next[p] = r;
        }
        byPort = next;
    }

    /** Releases the range that starts at {@code base} (e.g. a BAR being moved). */
    public synchronized void unregister(int base) {
        Range r = byPort[base];
        if (r == null || r.base() != base) return;
        Range[] next = byPort.clone();
        for (int p = r.base(); p < r.end(); p++) next[p] = null;
        byPort = next;
    }

    /** The range owning {@code port}, or null. */
    public Range find(int port) {
        return byPort[port & 0xffff];
    }

    /** Dispatches an IN; unowned ports read as all ones. */
    public int in(int port, int size) {
        Range r = byPort[port & 0xffff];
        if (r == null) return size == 4 ? -1 : (1 << (size * 8)) - 1;
        return r.handler().in(port, size);
    }

    /** Dispatches an OUT; returns false when nobody owns the port. */
    public boolean out(int port, int size, int value) {
        Range r = byPort[port & 0xffff];
        if (r == null) return false;
        r.handler().out(port, size, value);
        return true;
    }

    /** Every registered range, in port order (for diagnostics). */
    public List<Range> ranges() {
        List<Range> out = new ArrayList<>();
        Range last = null;
        for (Range r : byPort) {
            if (r != null && r != last) out.add(r);
            last = r;
        }
        return out;
    }

    @Override
    public String toString() {
        return Arrays.toString(ranges().toArray());
    }
}
