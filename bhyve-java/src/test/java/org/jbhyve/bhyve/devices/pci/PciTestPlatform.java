package org.jbhyve.bhyve.devices.pci;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jbhyve.bhyve.device.InterruptLine;
import org.jbhyve.bhyve.device.IoBus;
import org.jbhyve.bhyve.device.MemoryMap;
import org.jbhyve.bhyve.device.MmioBus;
import org.jbhyve.bhyve.device.MsiSink;
import org.jbhyve.bhyve.device.Platform;
import org.jbhyve.bhyve.device.SharedInterruptLine;
import org.jbhyve.vmm.GuestMemory;

/**
 * A real platform for PCI tests: real I/O and MMIO buses, 16 MiB of guest RAM in an arena, interrupt
 * lines that record their level, an MSI sink that records messages, and a log that records lines.
 * As on the VM's platform, every {@link #irq} call is a new source, wired-OR with the line's others.
 */
final class PciTestPlatform implements Platform, AutoCloseable {
    /** One MSI message as the sink saw it. */
    record Msi(long address, int data) {}

    /** An interrupt line that remembers its level and how often it moved. */
    static final class RecordingLine implements InterruptLine {
        private boolean high;
        private int raises;

        @Override
        public synchronized void assertLine() {
            if (!high) raises++;
            high = true;
        }

        @Override
        public synchronized void deassertLine() {
            high = false;
        }

        synchronized boolean high() { return high; }

        synchronized int raises() { return raises; }
    }

    static final long RAM_SIZE = 16L << 20;

    private final IoBus io = new IoBus();
    private final MmioBus mmio = new MmioBus();
    private final Arena arena = Arena.ofShared();
    private final GuestMemory memory;
    private final Map<Integer, RecordingLine> lines = new ConcurrentHashMap<>();
    private final Map<Integer, SharedInterruptLine> shared = new ConcurrentHashMap<>();
    final List<Msi> msis = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<String> logs = java.util.Collections.synchronizedList(new ArrayList<>());

    PciTestPlatform() {
        MemorySegment ram = arena.allocate(RAM_SIZE, 4096);
        memory = new GuestMemory(new GuestMemory.Region(0, RAM_SIZE, ram), null);
    }

    @Override public IoBus io() { return io; }

    @Override public MmioBus mmio() { return mmio; }

    @Override public GuestMemory memory() { return memory; }

    @Override
    public InterruptLine irq(int irq) {
        if (irq < 0 || irq >= MemoryMap.PCI_INTX_FIRST_PIN + MemoryMap.PCI_INTX_PIN_COUNT) {
            throw new IllegalArgumentException("no interrupt line " + irq);
        }
        RecordingLine line = line(irq);
        return shared.computeIfAbsent(irq, k -> new SharedInterruptLine(level -> {
            if (level) line.assertLine();
            else line.deassertLine();
        })).newSource();
    }

    /** What the line's sources add up to (the source {@link #irq} hands out ORed with the others). */
    RecordingLine line(int irq) {
        return lines.computeIfAbsent(irq, k -> new RecordingLine());
    }

    /** Lines that are high now. */
    List<Integer> highLines() {
        return lines.entrySet().stream().filter(e -> e.getValue().high()).map(Map.Entry::getKey).sorted().toList();
    }

    @Override
    public MsiSink msi() {
        return (address, data) -> msis.add(new Msi(address, data));
    }

    @Override
    public void log(String device, String message) {
        logs.add(device + ": " + message);
    }

    // ---- config access the way a guest does it ----

    /** Mechanism #1 read: address to 0xcf8, then data from 0xcfc + (offset & 3). */
    int cfgRead(int bus, int slot, int function, int offset, int size) {
        io.out(0xcf8, 4, 0x80000000 | bus << 16 | slot << 11 | function << 8 | (offset & 0xfc));
        return io.in(0xcfc + (offset & 3), size);
    }

    void cfgWrite(int bus, int slot, int function, int offset, int size, int value) {
        io.out(0xcf8, 4, 0x80000000 | bus << 16 | slot << 11 | function << 8 | (offset & 0xfc));
        io.out(0xcfc + (offset & 3), size, value);
    }

    int cfgRead(PciAddress a, int offset, int size) {
        return cfgRead(a.bus(), a.slot(), a.function(), offset, size);
    }

    void cfgWrite(PciAddress a, int offset, int size, int value) {
        cfgWrite(a.bus(), a.slot(), a.function(), offset, size, value);
    }

    static long ecam(int bus, int slot, int function, int offset) {
        return MemoryMap.PCI_ECAM_BASE + ((long) bus << 20 | slot << 15 | function << 12 | offset);
    }

    @Override
    public void close() {
        arena.close();
    }
}
