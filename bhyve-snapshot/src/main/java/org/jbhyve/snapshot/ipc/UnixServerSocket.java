package org.jbhyve.snapshot.ipc;

import org.jbhyve.bindings.libc.Errno;
import org.jbhyve.bindings.libc.libc_h;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A listening {@code AF_UNIX} {@code SOCK_STREAM} socket bound to a path: the server side of the
 * checkpoint socket (bhyve binds {@code /var/run/bhyve/<vmname>}; the caller chooses the path).
 *
 * <ul>
 * <li>{@link #bind}: if the path exists and a process accepts connections on it, binding fails with
 *     "already in use by a running VM"; if it is a stale socket (connecting is refused: the VM that made
 *     it is gone), it is removed and the bind retried; anything that is not a socket is left alone. The
 *     socket file is made mode 0600 before {@code listen}, so nobody else can connect in between.</li>
 * <li>{@link #accept(Duration)} waits with {@code poll} in short slices, so {@link #close()} from
 *     another thread stops it within {@value #POLL_SLICE_MILLIS} ms.</li>
 * <li>{@link #close()} closes the socket and removes the path.</li>
 * </ul>
 */
public final class UnixServerSocket implements AutoCloseable {
    /** {@code listen} backlog, as bhyve's checkpoint socket. */
    public static final int BACKLOG = 10;
    static final int POLL_SLICE_MILLIS = 100;

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private final Path path;
    private final int fd;
    private final ReentrantLock lock = new ReentrantLock();
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private UnixServerSocket(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /**
     * Creates the socket, binds it to {@code path} (replacing a stale socket), makes it 0600 and
     * listens.
     *
     * @throws IpcException with a sentence that says what is wrong: in use by a running VM, not a
     *                      socket, permission denied, path too long, ...
     */
    public static UnixServerSocket bind(Path path) throws IpcException {
        SocketAbi abi = Sys.ABI;
        byte[] p = UnixSocket.pathBytes(path);
        int fd = UnixSocket.socket(abi.SOCK_NONBLOCK());
        boolean ok = false;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Sys.errnoState(a);
            MemorySegment addr = abi.sockaddrUn(a, p);
            int len = abi.sockaddrUnLength(p);
            for (int attempt = 0; ; attempt++) {
                if (libc_h.bind(err, fd, addr, len) == 0) break;
                int e = Sys.errno(err);
                if (e != abi.EADDRINUSE() || attempt >= 2) {
                    if (e == abi.EADDRINUSE()) {
                        throw new IpcException("cannot bind " + path + ": still in use after removing a stale socket"
                                + " (another process is creating it at the same time?)", abi.errnoName(e));
                    }
                    throw Sys.fail("cannot bind the checkpoint socket " + path, e);
                }
                removeIfStale(path);
            }
            try {
                Files.setPosixFilePermissions(path, EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
            } catch (IOException | UnsupportedOperationException e) {
                deleteQuietly(path);
                throw new IpcException("cannot make " + path + " mode 0600: " + e.getMessage(), null, e);
            }
            if (libc_h.listen(err, fd, BACKLOG) != 0) {
                int e = Sys.errno(err);
                deleteQuietly(path);
                throw Sys.fail("cannot listen on " + path, e);
            }
            ok = true;
            return new UnixServerSocket(path, fd);
        } finally {
            if (!ok) Sys.close(fd);
        }
    }

    /** Decides what to do with an existing {@code path}: remove a stale socket, refuse anything else. */
    private static void removeIfStale(Path path) throws IpcException {
        SocketAbi abi = Sys.ABI;
        if (!isSocket(path)) {
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) return; // gone meanwhile: retry the bind
            throw new IpcException("cannot bind " + path + ": it exists and is not a socket; not removing it", "EADDRINUSE");
        }
        byte[] p = UnixSocket.pathBytes(path);
        int probe = UnixSocket.socket(abi.SOCK_NONBLOCK());
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Sys.errnoState(a);
            int rc;
            int e;
            do {
                rc = libc_h.connect(err, probe, abi.sockaddrUn(a, p), abi.sockaddrUnLength(p));
                e = rc == 0 ? 0 : Sys.errno(err);
            } while (rc != 0 && e == Errno.EINTR);
            if (rc == 0 || e == abi.EAGAIN() || e == abi.EINPROGRESS()) {
                // accepted, or the backlog is full: a live server either way
                throw new IpcException(path + " is already in use by a running VM (a process is accepting"
                        + " connections on it); stop that VM or choose another name", "EADDRINUSE");
            }
            if (e == Errno.ENOENT) return;
            if (e != abi.ECONNREFUSED()) {
                throw Sys.fail("cannot tell whether the existing socket " + path + " is in use", e);
            }
        } finally {
            Sys.close(probe);
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new IpcException("cannot remove the stale socket " + path + ": " + e.getMessage(), null, e);
        }
    }

    private static boolean isSocket(Path path) {
        try {
            Object mode = Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return mode instanceof Integer m && (m & S_IFMT) == S_IFSOCK;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            try {
                return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther();
            } catch (IOException ex) {
                return false;
            }
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // best effort
        }
    }

    public Path path() {
        return path;
    }

    /** The listening descriptor (owned by this object). */
    public int fd() {
        return fd;
    }

    /**
     * Waits up to {@code timeout} for a connection. Returns empty on timeout, or once {@link #close()}
     * has been called (from any thread).
     */
    public Optional<UnixSocket> accept(Duration timeout) throws IpcException {
        SocketAbi abi = Sys.ABI;
        long deadline = Sys.deadline(timeout);
        lock.lock();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Sys.errnoState(a);
            while (!closed.get()) {
                int c = libc_h.accept4(err, fd, MemorySegment.NULL, MemorySegment.NULL, abi.SOCK_CLOEXEC());
                if (c >= 0) return Optional.of(UnixSocket.adopt(c));
                int e = Sys.errno(err);
                if (e != abi.EAGAIN() && e != Errno.EINTR && e != abi.ECONNABORTED()) {
                    throw Sys.fail("cannot accept on " + path, e);
                }
                int ms = Sys.millisLeft(deadline);
                if (ms == 0) return Optional.empty();
                Sys.poll(fd, libc_h.POLLIN, Math.min(ms, POLL_SLICE_MILLIS), "waiting for connections on " + path);
            }
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Stops {@link #accept}, closes the socket and removes the path. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        lock.lock();
        try {
            Sys.close(fd);
            deleteQuietly(path);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "UnixServerSocket[" + path + ", fd " + fd + (closed.get() ? ", closed" : "") + "]";
    }
}
