package org.jbhyve.snapshot.ipc;

import org.jbhyve.bindings.libc.Errno;
import org.jbhyve.bindings.libc.libc_h;
import org.jbhyve.snapshot.nv.NvList;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A connected {@code AF_UNIX} {@code SOCK_STREAM} socket (close-on-exec), owning its descriptor:
 * the client side of the checkpoint socket ({@link #connect}), a connection accepted by
 * {@link UnixServerSocket}, or one end of a {@link #pair()}.
 */
public final class UnixSocket implements AutoCloseable {
    private final int fd;
    private final AtomicBoolean closed = new AtomicBoolean();

    private UnixSocket(int fd) {
        this.fd = fd;
    }

    /** Takes ownership of a connected socket descriptor. */
    public static UnixSocket adopt(int fd) {
        if (fd < 0) throw new IllegalArgumentException("invalid descriptor " + fd);
        return new UnixSocket(fd);
    }

    /**
     * Connects to the socket at {@code path}, as bhyvectl connects to {@code /var/run/bhyve/<vm>}.
     *
     * @throws IpcException naming the path and why: no such socket, nobody listening, permission
     */
    public static UnixSocket connect(Path path) throws IpcException {
        SocketAbi abi = Sys.ABI;
        byte[] p = pathBytes(path);
        int fd = socket(0);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Sys.errnoState(a);
            MemorySegment addr = abi.sockaddrUn(a, p);
            while (libc_h.connect(err, fd, addr, abi.sockaddrUnLength(p)) != 0) {
                int e = Sys.errno(err);
                if (e == Errno.EINTR) continue;
                Sys.close(fd);
                String hint;
                if (e == Errno.ENOENT) hint = " (no such socket: is the VM running, and is this its name?)";
                else if (e == abi.ECONNREFUSED()) hint = " (nothing is listening: the VM that created it has exited)";
                else hint = "";
                throw new IpcException("cannot connect to " + path + ": " + abi.describe(e) + hint, abi.errnoName(e));
            }
        }
        return new UnixSocket(fd);
    }

    /** Two connected sockets ({@code socketpair}). */
    public static UnixSocket[] pair() throws IpcException {
        SocketAbi abi = Sys.ABI;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Sys.errnoState(a);
            MemorySegment sv = a.allocate(ValueLayout.JAVA_INT, 2);
            if (libc_h.socketpair(err, libc_h.AF_UNIX, libc_h.SOCK_STREAM | abi.SOCK_CLOEXEC(), 0, sv) != 0) {
                throw Sys.fail("cannot create a socket pair", Sys.errno(err));
            }
            return new UnixSocket[] {
                    new UnixSocket(sv.getAtIndex(ValueLayout.JAVA_INT, 0)),
                    new UnixSocket(sv.getAtIndex(ValueLayout.JAVA_INT, 1))};
        }
    }

    /** The socket descriptor (still owned by this object). */
    public int fd() {
        return fd;
    }

    /** {@link NvSocket#send(int, NvList)} on this socket. */
    public void send(NvList list) throws IpcException {
        NvSocket.send(fd, list);
    }

    public void send(NvList list, Duration timeout) throws IpcException {
        NvSocket.send(fd, list, timeout);
    }

    /** {@link NvSocket#receive(int, int, Duration)} on this socket. */
    public NvList receive(int expectedFlags, Duration timeout) throws IpcException {
        return NvSocket.receive(fd, expectedFlags, timeout);
    }

    public NvList receive(int expectedFlags, Duration timeout, NvSocket.Limits limits) throws IpcException {
        return NvSocket.receive(fd, expectedFlags, timeout, limits);
    }

    /** Shuts down both directions, waking a peer blocked on this connection; the descriptor stays open. */
    public void shutdown() {
        try (Arena a = Arena.ofConfined()) {
            libc_h.shutdown(Sys.errnoState(a), fd, libc_h.SHUT_RDWR);
        }
    }

    /**
     * Shuts down the receiving direction only: a receive waiting on it is woken and finds the end of the
     * stream once it has read what had arrived (Linux; FreeBSD drops what had arrived), the peer can send
     * no more, and a reply can still be sent. The descriptor stays open.
     */
    public void shutdownInput() {
        try (Arena a = Arena.ofConfined()) {
            libc_h.shutdown(Sys.errnoState(a), fd, libc_h.SHUT_RD);
        }
    }

    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) Sys.close(fd);
    }

    @Override
    public String toString() {
        return "UnixSocket[fd " + fd + (closed.get() ? ", closed" : "") + "]";
    }

    // ---- shared with UnixServerSocket ------------------------------------------------------------

    /** A new AF_UNIX stream socket, close-on-exec, plus {@code extraFlags} (e.g. SOCK_NONBLOCK). */
    static int socket(int extraFlags) throws IpcException {
        SocketAbi abi = Sys.ABI;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Sys.errnoState(a);
            int fd = libc_h.socket(err, libc_h.AF_UNIX, libc_h.SOCK_STREAM | abi.SOCK_CLOEXEC() | extraFlags, 0);
            if (fd < 0) throw Sys.fail("cannot create an AF_UNIX socket", Sys.errno(err));
            return fd;
        }
    }

    /** The path as sun_path bytes, checked for NUL and length. */
    static byte[] pathBytes(Path path) throws IpcException {
        byte[] p = path.toString().getBytes(StandardCharsets.UTF_8);
        int max = Sys.ABI.sunPathSize() - 1;
        if (p.length == 0) throw new IpcException("empty socket path");
        for (byte b : p) if (b == 0) throw new IpcException("socket path contains a NUL byte: " + path);
        if (p.length > max) {
            throw new IpcException("socket path is " + p.length + " bytes long; " + Sys.ABI.os() + " allows at most "
                    + max + " in an AF_UNIX address: " + path, "ENAMETOOLONG");
        }
        return p;
    }
}
