package org.jbhyve.bhyve.devices;

import org.jbhyve.bhyve.device.InterruptLine;
import org.jbhyve.bhyve.device.IoBus;
import org.jbhyve.bhyve.device.MmioBus;
import org.jbhyve.bhyve.device.MsiSink;
import org.jbhyve.bhyve.device.Platform;
import org.jbhyve.vmm.GuestMemory;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A platform for device unit tests: the real {@link IoBus} and {@link MmioBus}, guest RAM over an
 * arena segment, interrupt lines that record every assert, deassert and pulse, and a log that keeps
 * every message. Tests drive devices through the buses exactly as a guest's IN/OUT and MMIO
 * accesses would arrive.
 */
public final class FakePlatform implements Platform, AutoCloseable {
    private final IoBus io = new IoBus();
    private final MmioBus mmio = new MmioBus();
    private final Arena arena = Arena.ofShared();
    private final GuestMemory memory;
    private final Map<Integer, RecordingLine> lines = new ConcurrentHashMap<>();
    private final List<String> logs = new ArrayList<>();
    private final List<long[]> msis = new ArrayList<>();

    /** A platform with 1 MiB of guest RAM at GPA 0. */
    public FakePlatform() {
        this(1 << 20);
    }

    public FakePlatform(long ramBytes) {
        memory = new GuestMemory(new GuestMemory.Region(0, ramBytes, arena.allocate(ramBytes, 4096)), null);
    }

    @Override
    public IoBus io() { return io; }

    @Override
    public MmioBus mmio() { return mmio; }

    @Override
    public GuestMemory memory() { return memory; }

    @Override
    public RecordingLine irq(int irq) {
        return line(irq);
    }

    /** The recording line for {@code irq} (the same object the device got). */
    public RecordingLine line(int irq) {
        return lines.computeIfAbsent(irq, RecordingLine::new);
    }

    @Override
    public MsiSink msi() {
        return (address, data) -> {
            synchronized (msis) {
                msis.add(new long[] {address, data});
            }
        };
    }

    @Override
    public void log(String device, String message) {
        synchronized (logs) {
            logs.add(device + ": " + message);
        }
    }

    /** Every message logged so far. */
    public List<String> logs() {
        synchronized (logs) {
            return List.copyOf(logs);
        }
    }

    // ---- what a guest's IN and OUT instructions do ----

    public int inb(int port) { return io.in(port, 1) & 0xff; }

    public int inw(int port) { return io.in(port, 2) & 0xffff; }

    public int inl(int port) { return io.in(port, 4); }

    public void outb(int port, int value) { io.out(port, 1, value & 0xff); }

    public void outw(int port, int value) { io.out(port, 2, value & 0xffff); }

    public void outl(int port, int value) { io.out(port, 4, value); }

    @Override
    public void close() {
        arena.close();
    }

    /** One recorded change on an interrupt line. */
    public enum Edge { ASSERT, DEASSERT, PULSE }

    /** An interrupt line that remembers its level and every change made to it. */
    public static final class RecordingLine implements InterruptLine {
        private final int irq;
        private final List<Edge> events = new ArrayList<>();
        private boolean asserted;

        RecordingLine(int irq) {
            this.irq = irq;
        }

        public int irq() { return irq; }

        @Override
        public synchronized void assertLine() {
            asserted = true;
            events.add(Edge.ASSERT);
            notifyAll();
        }

        @Override
        public synchronized void deassertLine() {
            asserted = false;
            events.add(Edge.DEASSERT);
            notifyAll();
        }

        @Override
        public synchronized void pulse() {
            events.add(Edge.PULSE);
            notifyAll();
        }

        public synchronized boolean isAsserted() { return asserted; }

        public synchronized List<Edge> events() { return List.copyOf(events); }

        public synchronized long count(Edge kind) {
            return events.stream().filter(e -> e == kind).count();
        }

        public synchronized void clearEvents() { events.clear(); }

        /** Waits until at least {@code n} events of {@code kind} were recorded; false on timeout. */
        public synchronized boolean awaitCount(Edge kind, long n, long timeout, TimeUnit unit)
                throws InterruptedException {
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            while (count(kind) < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }

        @Override
        public synchronized String toString() {
            return "IRQ " + irq + (asserted ? " (asserted) " : " ") + events;
        }
    }
}
