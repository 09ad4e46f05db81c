package org.jbhyve.bhyve.devices.testdev;

import org.jbhyve.bhyve.device.IoHandler;
import org.jbhyve.bhyve.device.Lifecycle;
import org.jbhyve.bhyve.device.MemoryMap;
import org.jbhyve.bhyve.device.Platform;

/**
 * QEMU's isa-debug-exit at ports 0xf4-0xf7 (iobase=0xf4, iosize=4, as kvm-unit-tests configures
 * it; bhyve's pc-testdev places the same thing there): a write of {@code v} (1, 2 or 4 bytes)
 * asks the VMM to exit with status {@code (v << 1) | 1}, so a guest can report pass or fail and
 * never be mistaken for a clean 0. Reads return all ones.
 */
public final class DebugExit implements IoHandler, Lifecycle {
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

    /** No state to reset: the device only forwards writes. */
    @Override
    public void reset() { }
}
