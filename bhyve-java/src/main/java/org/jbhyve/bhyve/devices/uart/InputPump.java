package org.jbhyve.bhyve.devices.uart;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.jbhyve.bhyve.device.ReadAhead;

/** Host input on its way to the guest: reads a stream and hands it over at the guest's pace. */
final class InputPump {
    private InputPump() {}

    /** How long a wait for FIFO room lasts before the stop condition is checked again. */
    private static final long ROOM_POLL_MILLIS = 100;
    /**
     * How long a wait for a client's input lasts before the stop condition is checked again. Longer: a
     * client that stops being wanted has its read-ahead discarded, which ends the wait at once, so this
     * only bounds an idle client's wake-ups.
     */
    private static final long INPUT_POLL_MILLIS = 1000;

    /**
     * Copies {@code in} to {@code receiver} until end of stream, an I/O error or {@code stopped}.
     * Each byte waits for room in the receive FIFO, so input is never lost to an overrun while the
     * guest keeps reading; while it does not, the host buffers (tty, socket) hold the rest.
     *
     * @return normally at end of stream or when stopped
     * @throws IOException when reading fails
     */
    static void forward(InputStream in, SerialBackend.Receiver receiver, BooleanSupplier stopped)
            throws IOException {
        byte[] buffer = new byte[256];
        while (!stopped.getAsBoolean()) {
            int n = in.read(buffer);
            if (n < 0 || !handOver(buffer, n, receiver, stopped)) return;
        }
    }

    /**
     * Copies what a client sent, read ahead of the guest, to {@code receiver} until the client hung up
     * and the guest took all of it, the input is discarded, or {@code stopped}.
     */
    static void forward(ReadAhead in, SerialBackend.Receiver receiver, BooleanSupplier stopped) {
        byte[] buffer = new byte[256];
        try {
            while (!stopped.getAsBoolean()) {
                int n = in.take(buffer, INPUT_POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (n < 0 || !handOver(buffer, n, receiver, stopped)) return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Hands {@code n} bytes to the guest one at a time as room appears; false when stopped first. Stopping
     * is checked before every byte, not only while the guest has no room: a guest that keeps reading would
     * otherwise get the rest of a batch from a client that another one has replaced.
     */
    private static boolean handOver(byte[] buffer, int n, SerialBackend.Receiver receiver, BooleanSupplier stopped) {
        for (int i = 0; i < n; i++) {
            try {
                while (!receiver.awaitRoom(ROOM_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                    if (stopped.getAsBoolean()) return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (stopped.getAsBoolean()) return false;
            receiver.receive(buffer[i]);
        }
        return true;
    }
}
