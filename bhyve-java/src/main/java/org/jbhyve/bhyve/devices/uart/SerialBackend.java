package org.jbhyve.bhyve.devices.uart;

import java.util.concurrent.TimeUnit;

/**
 * The host end of a serial port: where guest output goes and where guest input comes from.
 *
 * <p>Threading contract: {@link #write} is called on a vCPU thread with the UART's lock held, so
 * it must never block for long (queue and return; drop when the host side cannot keep up or is
 * gone). Input is delivered by the backend's own threads through the {@link Receiver} given to
 * {@link #start}; those threads may wait, a vCPU never does.
 */
public interface SerialBackend extends AutoCloseable {

    /** The UART side, as a backend's input thread sees it. */
    interface Receiver {
        /**
         * Waits until the UART can take another byte without an overrun (room in the receive
         * FIFO, VM not paused), at most {@code timeout}. Backends call this before each
         * {@link #receive}, which paces host input to the guest's reading speed the way bhyve stops
         * reading its tty while the FIFO is full, instead of losing pasted text.
         *
         * @return true if there is room now
         */
        boolean awaitRoom(long timeout, TimeUnit unit) throws InterruptedException;

        /**
         * Hands one byte to the guest. If the receive FIFO is full the byte is lost and the
         * overrun error (LSR.OE) is raised, as on hardware.
         */
        void receive(byte b);
    }

    /** Starts delivering host input to {@code receiver}. Called once, after the UART exists. */
    void start(Receiver receiver);

    /** Sends one guest byte to the host. Must not block; drops the byte if it cannot be queued. */
    void write(byte b);

    /** A short description for diagnostics, e.g. {@code stdio} or {@code tcp 127.0.0.1:4444}. */
    String describe();

    /** Stops the backend's threads and releases its host resources. Idempotent. */
    @Override
    void close();

    /** No host side: output is dropped and there is never input (a COM port without a path). */
    SerialBackend NONE = new SerialBackend() {
        @Override
        public void start(Receiver receiver) { }

        @Override
        public void write(byte b) { }

        @Override
        public String describe() { return "none"; }

        @Override
        public void close() { }
    };
}
