package org.jbhyve.bhyve.control;

import org.jbhyve.bindings.libc.libc_h;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/** Descriptors, raw socket writes and the shared libnv vectors, for the control socket tests. */
public final class TestIo {
    private TestIo() {}

    /** {@code open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)}, as bhyvectl opens the snapshot directory. */
    public static int openDirectory(Path dir) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = libc_h.allocateErrnoState(a);
            int fd = libc_h.open(err, a.allocateFrom(dir.toString()),
                    libc_h.O_RDONLY | libc_h.O_DIRECTORY | libc_h.O_CLOEXEC, 0);
            if (fd < 0) throw new IllegalStateException("open " + dir + ": errno " + libc_h.errno(err));
            return fd;
        }
    }

    public static void close(int fd) {
        try (Arena a = Arena.ofConfined()) {
            libc_h.close(libc_h.allocateErrnoState(a), fd);
        }
    }

    /** Whether a read on the socket {@code fd} finds the end of the stream now (the peer has closed or shut it down). */
    static boolean readsEndOfFile(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = libc_h.allocateErrnoState(a);
            long n = libc_h.recv(err, fd, a.allocate(16), 16, libc_h.MSG_DONTWAIT);
            return n == 0;
        }
    }

    static boolean isOpen(int fd) {
        return Files.exists(Path.of("/proc/self/fd/" + fd));
    }

    /** Writes raw bytes on a socket, bypassing the nvlist codec (for malformed requests). */
    static void writeRaw(int fd, byte[] data) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(data.length);
            MemorySegment.copy(data, 0, buf, ValueLayout.JAVA_BYTE, 0, data.length);
            long n = libc_h.write(libc_h.allocateErrnoState(a), fd, buf, data.length);
            if (n != data.length) throw new IllegalStateException("short write " + n);
        }
    }

    /** A socket file nobody listens on, as a VM that was killed leaves behind (Java does not unlink it). */
    static void makeStaleSocket(Path path) throws IOException {
        try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.bind(UnixDomainSocketAddress.of(path));
        }
    }

    /** shared/: the jbhyve.shared.dir property's directory when it exists, else /work/shared. */
    public static Path sharedDir() {
        String p = System.getProperty("jbhyve.shared.dir");
        Path dir = p != null ? Path.of(p) : Path.of("/work/shared");
        return Files.isDirectory(dir) ? dir : Path.of("/work/shared");
    }

    /** A libnv vector from shared/vectors/libnv. */
    static byte[] vector(String name) {
        try {
            return Files.readAllBytes(sharedDir().resolve("vectors/libnv").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
