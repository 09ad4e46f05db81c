package org.jbhyve.bhyve.devices.uart;

import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.devices.FakePlatform;
import org.jbhyve.bindings.libc.libc_h;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A serial port on a real pseudo-terminal, as {@code lpc.com1.path=/dev/pts/N} (the Linux stand-in
 * for FreeBSD's nmdm pairs): the test holds the master side, the UART the slave path.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "allocates a pty through Linux's /dev/ptmx ioctls")
class PathBackendPtyTest {
    static final int BASE = 0x3f8;

    @Test
    void ptySlaveIsOpenedReadWriteInRawMode() throws Exception {
        try (Arena arena = Arena.ofConfined(); PtyMaster master = PtyMaster.open(arena);
             FakePlatform p = new FakePlatform()) {
            ConfigTree cfg = new ConfigTree();
            cfg.set("lpc.com1.path", master.slavePath());
            try (Uart16550 uart = Uart16550.fromConfig(cfg, "lpc.com1", BASE, 4, p)) {
                PathBackend b = (PathBackend) uart.backend();
                assertThat(b.isDevice()).isTrue();
                assertThat(b.awaitOpened(5000)).isTrue();

                // Raw mode: no canonical buffering (bytes arrive without a newline), no CR->NL
                // translation, no echo back to the master.
                master.write("a\rb");
                assertThat(TcpBackendTest.readFromGuest(p, BASE, 3)).isEqualTo("a\rb");

                // Raw mode: no NL->CRNL on output.
                for (char c : "ok\n".toCharArray()) p.outb(BASE, c);
                assertThat(master.read(3, 5000)).isEqualTo("ok\n");
                assertThat(master.read(1, 200)).as("nothing echoed").isEmpty();
            }
        }
    }

    @Test
    void sttySavesMakesRawAndRestoresATerminal() throws Exception {
        try (Arena arena = Arena.ofConfined(); PtyMaster master = PtyMaster.open(arena)) {
            Stty.Target tty = new Stty.Target(new java.io.File(master.slavePath()));
            String original = Stty.save(tty).orElseThrow();
            assertThat(Stty.makeRaw(tty)).isTrue();
            assertThat(Stty.save(tty).orElseThrow()).isNotEqualTo(original);
            assertThat(Stty.restore(tty, original)).isTrue();
            assertThat(Stty.save(tty)).contains(original);
            assertThat(Stty.save(new Stty.Target(new java.io.File("/dev/null")))).as("not a tty").isEmpty();
        }
    }

    /** The master side of a Linux pty, through libc. */
    record PtyMaster(Arena arena, MemorySegment errno, int fd, String slavePath) implements AutoCloseable {
        static final int O_NOCTTY = 0400;
        static final long TIOCGPTN = 0x80045430L, TIOCSPTLCK = 0x40045431L;

        static PtyMaster open(Arena arena) {
            MemorySegment errno = libc_h.allocateErrnoState(arena);
            int fd = libc_h.open(errno, arena.allocateFrom("/dev/ptmx"),
                    libc_h.O_RDWR | O_NOCTTY | libc_h.O_NONBLOCK | libc_h.O_CLOEXEC, 0);
            assertThat(fd).as("open /dev/ptmx, errno %d", libc_h.errno(errno)).isNotNegative();
            MemorySegment n = arena.allocate(ValueLayout.JAVA_INT);
            n.set(ValueLayout.JAVA_INT, 0, 0);
            assertThat(libc_h.ioctl(errno, fd, TIOCSPTLCK, n)).as("unlockpt").isZero();
            assertThat(libc_h.ioctl(errno, fd, TIOCGPTN, n)).as("ptsname").isZero();
            return new PtyMaster(arena, errno, fd, "/dev/pts/" + n.get(ValueLayout.JAVA_INT, 0));
        }

        void write(String s) {
            MemorySegment buf = arena.allocateFrom(s, StandardCharsets.ISO_8859_1);
            long len = s.length();
            assertThat(libc_h.write(errno, fd, buf, len)).isEqualTo(len);
        }

        /** Reads up to {@code n} bytes, waiting at most {@code timeoutMillis}. */
        String read(int n, long timeoutMillis) throws InterruptedException {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            MemorySegment buf = arena.allocate(64);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (got.size() < n && System.nanoTime() < deadline) {
                long r = libc_h.read(errno, fd, buf, Math.min(64, n - got.size()));
                if (r > 0) {
                    got.writeBytes(buf.asSlice(0, r).toArray(ValueLayout.JAVA_BYTE));
                } else {
                    Thread.sleep(5); // EAGAIN: nothing yet
                }
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() {
            libc_h.close(errno, fd);
        }
    }
}
