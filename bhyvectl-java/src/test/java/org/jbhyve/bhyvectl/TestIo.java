package org.jbhyve.bhyvectl;

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

/** Raw socket reads, stale sockets and the shared libnv vectors, for the bhyvectl tests. */
final class TestIo {
    private TestIo() {}

    /** Reads exactly {@code n} bytes from a blocking socket with read(2); SCM_RIGHTS data is discarded. */
    static byte[] readRaw(int fd, int n) {
        byte[] out = new byte[n];
        int got = 0;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(n);
            while (got < n) {
                long r = libc_h.read(libc_h.allocateErrnoState(a), fd, buf, n - got);
                if (r <= 0) throw new IllegalStateException("read returned " + r + " after " + got + " bytes");
                MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, out, got, (int) r);
                got += (int) r;
            }
        }
        return out;
    }

    /** A socket file nobody listens on, as a VM that was killed leaves behind. */
    static void makeStaleSocket(Path path) throws IOException {
        try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.bind(UnixDomainSocketAddress.of(path));
        }
    }

    static byte[] vector(String name) {
        String p = System.getProperty("jbhyve.shared.dir");
        Path dir = p != null && Files.isDirectory(Path.of(p)) ? Path.of(p) : Path.of("/work/shared");
        try {
            return Files.readAllBytes(dir.resolve("vectors/libnv").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
