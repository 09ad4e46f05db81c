package org.jbhyve.bhyve.devices.testdev;

import org.jbhyve.bhyve.device.IoHandler;
import org.jbhyve.bhyve.device.Lifecycle;
import org.jbhyve.bhyve.device.MemoryMap;
import org.jbhyve.bhyve.device.Platform;
import org.jbhyve.bhyve.device.Snapshottable;
import org.jbhyve.bhyve.devices.StateReader;
import org.jbhyve.snapshot.format.SnapshotFormatException;
import org.jbhyve.snapshot.format.StateRecord;

/**
 * QEMU's isa-debug-exit at ports 0xf4-0xf7 (iobase=0xf4, iosize=4, as kvm-unit-tests configures
 * it; bhyve's pc-testdev places the same thing there): a write of {@code v} (1, 2 or 4 bytes)
 * asks the VMM to exit with status {@code (v << 1) | 1}, so a guest can report pass or fail and
 * never be mistaken for a clean 0. Reads return all ones.
 *
 * <p>It has no state, but it is still a snapshot chunk ({@code dev.isa-debug-exit}, version 1, no
 * fields), so a snapshot lists every device and a restore into a VM without it is noticed.
 */
public final class DebugExit implements IoHandler, Lifecycle, Snapshottable {
    public static final int PORT = MemoryMap.DEBUG_EXIT_PORT, PORT_COUNT = 4;

    /** Receives the exit request; runs on the vCPU thread that wrote the port and must not block. */
    @FunctionalInterface
    public interface ExitRequest {
        /**
         * @param status {@code (v << 1) | 1}, truncated to 32 bits; a process exit status keeps
         *     only the low 8 bits of it
         */
        void exit(int status);
    }

    private final ExitRequest onExit;

    /** Claims ports 0xf4-0xf7. */
    public DebugExit(Platform platform, ExitRequest onExit) {
        this.onExit = onExit;
        platform.io().register(PORT, PORT_COUNT, "isa-debug-exit", this);
    }

    @Override
    public int in(int port, int size) {
        return size == 4 ? -1 : (1 << (8 * size)) - 1;
    }

    @Override
    public void out(int port, int size, int value) {
        long v = Integer.toUnsignedLong(value) & (size >= 4 ? 0xffff_ffffL : (1L << (8 * size)) - 1);
        onExit.exit((int) (v << 1 | 1));
    }

    @Override
    public String stateName() {
        return "dev.isa-debug-exit";
    }

    @Override
    public int stateVersion() {
        return 1;
    }

    @Override
    public StateRecord saveState() {
        return StateRecord.EMPTY;
    }

    /** Nothing to restore; fields a later version might add are ignored. */
    @Override
    public void restoreState(StateRecord state, int version) throws SnapshotFormatException {
        StateReader.open(this, state, version);
    }

    /** No state to reset: the device only forwards writes. */
    @Override
    public void reset() { }
}
