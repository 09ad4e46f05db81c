package org.jbhyve.bhyve.devices.virtio;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.jbhyve.bindings.libc.Errno;
import org.jbhyve.bindings.libc.libc_h;
import org.jbhyve.bindings.libc.pollfd;

/**
 * Ethernet frames through a descriptor that carries exactly one frame per {@code read(2)} and
 * {@code write(2)} — a tap: Linux's {@code /dev/net/tun} attached to an interface, FreeBSD's
 * {@code /dev/tapN} — with a pipe whose write end wakes a {@link #receive} waiting in {@code poll(2)}.
 * Both tap backends open and configure their descriptor their own way and hand it to this class for
 * the I/O, which is the same on both systems.
 *
 * <p>The wakeup is a pipe, not an eventfd: {@code pipe2} exists on every FreeBSD and Linux jbhyve
 * runs on (FreeBSD's eventfd is 13.0+), and one mechanism means the tests that run this class on
 * Linux cover the code FreeBSD runs.
 *
 * <p>The descriptor must be non-blocking. {@link #send} drops a frame the device cannot take now
 * (EAGAIN, ENOBUFS, EIO: on Linux the interface is down, on FreeBSD the frame is longer than the
 * tap's 65535-byte limit), as a wire would. {@link #receive} reads one frame; one longer than the
 * buffer is cut short by the kernel, so the buffer must hold the largest frame. A read of 0 bytes is
 * end of file (a tap never delivers an empty frame): the device or, in tests, the peer went away.
 *
 * <p>{@link #send} and {@link #ioctl} may be called by one thread while another calls {@link #receive};
 * {@link #close} comes after the receiving thread has stopped (see {@link NetBackend}).
 */
final class FrameIo implements AutoCloseable {
    /** Bytes read from the wake pipe at a time; wakeups are 1 byte each and only their presence matters. */
    private static final int DRAIN = 64;

    private final String name;
    private final int fd;
    private final int wakeRead;
    private final int wakeWrite;
    /** Serializes {@link #send}, {@link #ioctl}, {@link #wakeup} and {@link #close}. */
    private final Object lock = new Object();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment txErrno = libc_h.allocateErrnoState(arena);
    private final MemorySegment rxErrno = libc_h.allocateErrnoState(arena);
    private final MemorySegment polls = arena.allocate(pollfd.layout(), 2);
    private final MemorySegment framePoll = polls.asSlice(0, pollfd.sizeof());
    private final MemorySegment wakePoll = polls.asSlice(pollfd.sizeof(), pollfd.sizeof());
    private final MemorySegment drain = arena.allocate(DRAIN);
    private final MemorySegment wakeByte = arena.allocate(1);
    private volatile boolean closed;

    private FrameIo(String name, int fd, int wakeRead, int wakeWrite) {
        this.name = name;
        this.fd = fd;
        this.wakeRead = wakeRead;
        this.wakeWrite = wakeWrite;
        pollfd.fd(framePoll, fd);
        pollfd.events(framePoll, libc_h.POLLIN);
        pollfd.fd(wakePoll, wakeRead);
        pollfd.events(wakePoll, libc_h.POLLIN);
    }

    /**
     * Takes over {@code fd} (non-blocking, one frame per read and write) and makes the wake pipe.
     *
     * @param name what the descriptor is, for messages ("tap tap0", "tap0 (/dev/tap0)")
     * @throws IOException if the pipe cannot be made; {@code fd} is then still the caller's to close
     */
    static FrameIo open(int fd, String name) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = libc_h.allocateErrnoState(a);
            MemorySegment ends = a.allocate(ValueLayout.JAVA_INT, 2);
            if (libc_h.pipe2(err, ends, HostAbi.O_CLOEXEC | HostAbi.O_NONBLOCK) != 0) {
                throw new IOException("cannot make the wakeup pipe for " + name + ": " + HostAbi.describe(libc_h.errno(err)));
            }
            return new FrameIo(name, fd, ends.getAtIndex(ValueLayout.JAVA_INT, 0), ends.getAtIndex(ValueLayout.JAVA_INT, 1));
        }
    }

    /** What the descriptor is, as given to {@link #open}. */
    String name() {
        return name;
    }

    /** Writes one frame; a frame the device cannot take now is dropped. */
    void send(MemorySegment frame) throws IOException {
        synchronized (lock) {
            if (closed) return;
            if (libc_h.write(txErrno, fd, frame, frame.byteSize()) >= 0) return;
            int e = libc_h.errno(txErrno);
            if (e == HostAbi.EAGAIN || e == HostAbi.ENOBUFS || e == Errno.EIO || e == Errno.EINTR) return;
            throw new IOException("write to " + name + ": " + HostAbi.describe(e));
        }
    }

    /**
     * Waits up to {@code timeoutMillis} for a frame and reads it into {@code buffer}.
     *
     * @return its length, or 0 if none came in time, {@link #wakeup} was called, or the wait was interrupted
     * @throws IOException at end of file or on an error from the descriptor
     */
    int receive(MemorySegment buffer, int timeoutMillis) throws IOException {
        if (closed) return 0;
        int n = readFrame(buffer);
        if (n > 0) return n;
        int ready = libc_h.poll(rxErrno, polls, 2, timeoutMillis);
        if (ready < 0) {
            int e = libc_h.errno(rxErrno);
            if (e == Errno.EINTR) return 0;
            throw new IOException("poll on " + name + ": " + HostAbi.describe(e));
        }
        if (ready == 0 || closed) return 0;
        if ((pollfd.revents(wakePoll) & libc_h.POLLIN) != 0) {
            drainWakeups();
            return 0;
        }
        short events = pollfd.revents(framePoll);
        if ((events & libc_h.POLLNVAL) != 0) throw new IOException(name + " is no longer an open descriptor");
        // POLLIN, or POLLHUP/POLLERR: the read returns the frame, end of file or the error.
        return events != 0 ? readFrame(buffer) : 0;
    }

    /** One non-blocking read: the frame's length, 0 if there is none now, or an exception. */
    private int readFrame(MemorySegment buffer) throws IOException {
        long n = libc_h.read(rxErrno, fd, buffer, buffer.byteSize());
        if (n > 0) return (int) n;
        if (n == 0) throw new IOException("end of file on " + name + " (the device went away)");
        int e = libc_h.errno(rxErrno);
        if (e == HostAbi.EAGAIN || e == Errno.EINTR) return 0;
        throw new IOException("read from " + name + ": " + HostAbi.describe(e));
    }

    private void drainWakeups() {
        while (libc_h.read(rxErrno, wakeRead, drain, DRAIN) == DRAIN) {
            // more wakeups than one read takes: keep reading until the pipe is empty
        }
    }

    /**
     * Makes a {@link #receive} waiting now, or the next one, return 0. A full pipe (wakeups nobody
     * collected) already wakes the receiver, so a failed write is not an error.
     */
    void wakeup() {
        synchronized (lock) {
            if (!closed) libc_h.write(txErrno, wakeWrite, wakeByte, 1);
        }
    }

    /** {@code ioctl(fd, request, arg)} on the frame descriptor: 0, or the errno ({@code EBADF} once closed). */
    int ioctl(long request, long arg) {
        synchronized (lock) {
            if (closed) return Errno.EBADF;
            return libc_h.ioctl(txErrno, fd, request, arg) == 0 ? 0 : libc_h.errno(txErrno);
        }
    }

    /** Closes the descriptor and the pipe. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) return;
            closed = true;
            libc_h.close(txErrno, fd);
            libc_h.close(txErrno, wakeRead);
            libc_h.close(txErrno, wakeWrite);
        }
        arena.close();
    }
}
