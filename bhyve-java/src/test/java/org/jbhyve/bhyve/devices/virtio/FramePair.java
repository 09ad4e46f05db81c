package org.jbhyve.bhyve.devices.virtio;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.jbhyve.bindings.libc.libc_h;
import org.jbhyve.bindings.libc.pollfd;

/**
 * An {@code AF_UNIX SOCK_SEQPACKET} socket pair standing in for a tap: like a tap it carries one
 * frame per read and write, keeps frame boundaries and cuts a frame longer than the read buffer.
 * {@link #backendEnd} goes to the backend under test (which takes it over); this object is the other
 * side, "the host", with blocking-with-timeout helpers. Both ends are non-blocking and close-on-exec.
 */
final class FramePair implements AutoCloseable {
    final int backendEnd;
    private final int hostEnd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment err = libc_h.allocateErrnoState(arena);
    private final MemorySegment buffer = arena.allocate(128 * 1024);
    private boolean hostClosed;

    FramePair() {
        MemorySegment sv = arena.allocate(ValueLayout.JAVA_INT, 2);
        int flags = HostAbi.FREEBSD
                ? org.jbhyve.bindings.freebsd.socket.socket_h.SOCK_NONBLOCK | org.jbhyve.bindings.freebsd.socket.socket_h.SOCK_CLOEXEC
                : libc_h.SOCK_NONBLOCK | libc_h.SOCK_CLOEXEC;
        assertThat(libc_h.socketpair(err, libc_h.AF_UNIX, libc_h.SOCK_SEQPACKET | flags, 0, sv))
                .as("socketpair: errno %d", libc_h.errno(err)).isZero();
        backendEnd = sv.getAtIndex(ValueLayout.JAVA_INT, 0);
        hostEnd = sv.getAtIndex(ValueLayout.JAVA_INT, 1);
    }

    /** Writes one frame from the host side; false if the socket's queue is full. */
    boolean write(byte[] frame) {
        MemorySegment.copy(frame, 0, buffer, ValueLayout.JAVA_BYTE, 0, frame.length);
        long n = libc_h.write(err, hostEnd, buffer, frame.length);
        if (n < 0 && libc_h.errno(err) == HostAbi.EAGAIN) return false;
        assertThat(n).as("write: errno %d", libc_h.errno(err)).isEqualTo(frame.length);
        return true;
    }

    /**
     * Reads one frame on the host side, waiting up to {@code timeoutMillis}: the frame, an empty array at
     * end of file (the backend closed its end), or null if none came.
     */
    byte[] read(int timeoutMillis) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(pollfd.layout());
            pollfd.fd(p, hostEnd);
            pollfd.events(p, libc_h.POLLIN);
            if (libc_h.poll(err, p, 1, timeoutMillis) <= 0) return null;
        }
        long n = libc_h.read(err, hostEnd, buffer, buffer.byteSize());
        if (n < 0 && libc_h.errno(err) == HostAbi.EAGAIN) return null;
        assertThat(n).as("read: errno %d", libc_h.errno(err)).isNotNegative();
        return buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
    }

    /** Closes the backend's end, for a test that never handed it over. */
    void closeBackendEnd() {
        libc_h.close(err, backendEnd);
    }

    /** Closes the host side: the backend then reads end of file. */
    void closeHost() {
        if (!hostClosed) libc_h.close(err, hostEnd);
        hostClosed = true;
    }

    @Override
    public void close() {
        closeHost();
        arena.close();
    }
}
