package org.jbhyve.bhyve.devices.uart;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.devices.FakePlatform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code lpc.comN.path=FILE}: a log file, appended to; errors as config errors. */
class PathBackendTest {
    static final int BASE = 0x3e8;

    @Test
    void aRegularFileGetsTheGuestsOutputAppended(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("com3.log");
        Files.writeString(log, "before reboot\n");
        try (FakePlatform p = new FakePlatform()) {
            ConfigTree cfg = new ConfigTree();
            cfg.set("lpc.com3.path", log.toString());
            try (Uart16550 uart = Uart16550.fromConfig(cfg, "lpc.com3", BASE, 4, p)) {
                PathBackend b = (PathBackend) uart.backend();
                assertThat(b.isDevice()).isFalse();
                for (char c : "after\n".toCharArray()) p.outb(BASE, c);
                assertThat(b.awaitDrained(5000)).isTrue();
            }
        }
        assertThat(Files.readString(log)).isEqualTo("before reboot\nafter\n");
    }

    @Test
    void aMissingFileOutsideDevIsCreated(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("new.log");
        try (FakePlatform p = new FakePlatform();
             PathBackend b = PathBackend.open(log, m -> { });
             Uart16550 uart = new Uart16550(p, "com1", 0x3f8, 4, b)) {
            assertThat(uart.backend()).isSameAs(b);
            p.outb(0x3f8, 'x');
            assertThat(b.awaitDrained(5000)).isTrue();
            assertThat(Files.readString(log, StandardCharsets.ISO_8859_1)).isEqualTo("x");
            assertThat(b.describe()).isEqualTo("file " + log);
        }
    }

    /**
     * A block device is refused before it is opened: it was opened like a tty and the guest's console output
     * written over the start of the disk ({@code -l com1,/dev/sdb} for {@code /dev/nmdm0B}). The node made
     * here (block major 240, reserved for local use) leads to no driver, so nothing can be written even where
     * the check is missing.
     */
    @Test
    void aBlockDeviceIsRefusedBeforeItIsOpened(@TempDir Path dir) throws Exception {
        Path disk = dir.resolve("disk");
        Process mknod = new ProcessBuilder("mknod", disk.toString(), "b", "240", "0").redirectErrorStream(true).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mknod.waitFor() == 0, "mknod needs root (CAP_MKNOD)");
        try (FakePlatform p = new FakePlatform()) {
            ConfigTree cfg = new ConfigTree();
            cfg.set("lpc.com1.path", disk.toString());
            assertThatThrownBy(() -> Uart16550.fromConfig(cfg, "lpc.com1", 0x3f8, 4, p))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("lpc.com1.path=" + disk + ": is a block device (a disk), not a terminal: the guest's"
                            + " output would overwrite it (give an existing tty or nmdm(4) device, a file to log to with"
                            + " its directory, stdio or tcp=HOST:PORT)");
        }
    }

    @Test
    void unusablePathsAreConfigErrorsNamingKeyValueAndFix(@TempDir Path dir) {
        try (FakePlatform p = new FakePlatform()) {
            ConfigTree cfg = new ConfigTree();
            cfg.set("lpc.com1.path", dir.toString());
            assertThatThrownBy(() -> Uart16550.fromConfig(cfg, "lpc.com1", 0x3f8, 4, p))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("lpc.com1.path=" + dir + ": is a directory")
                    .hasMessageContaining("an existing tty or nmdm(4) device");
            cfg.set("lpc.com1.path", dir.resolve("no/such/dir/log").toString());
            assertThatThrownBy(() -> Uart16550.fromConfig(cfg, "lpc.com1", 0x3f8, 4, p))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("no such file or directory");
            cfg.set("lpc.com1.path", "/dev/jbhyve-no-such-tty");
            assertThatThrownBy(() -> Uart16550.fromConfig(cfg, "lpc.com1", 0x3f8, 4, p))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("lpc.com1.path=/dev/jbhyve-no-such-tty");
            // One report: the device opens on a thread of its own, which must not log what the error says.
            assertThat(p.logs()).as("nothing logged besides the error").isEmpty();
            cfg.set("lpc.com1.path", "stdoi");
            assertThatThrownBy(() -> Uart16550.fromConfig(cfg, "lpc.com1", 0x3f8, 4, p))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("lpc.com1.path=stdoi: no such device or file")
                    .hasMessageContaining("./stdoi");
            assertThat(Path.of("stdoi")).doesNotExist();
            cfg.set("lpc.com1.path", "");
            assertThatThrownBy(() -> Uart16550.fromConfig(cfg, "lpc.com1", 0x3f8, 4, p))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("lpc.com1.path is empty");
            assertThat(p.io().find(0x3f8)).isNull();
        }
    }

    @Test
    void withoutAPathTheUartExistsAndOutputIsDropped() {
        try (FakePlatform p = new FakePlatform();
             Uart16550 uart = Uart16550.fromConfig(new ConfigTree(), "lpc.com4", 0x2e8, 3, p)) {
            assertThat(uart.backend()).isSameAs(SerialBackend.NONE);
            p.outb(0x2e8, 'x');
            assertThat(p.inb(0x2e8 + 5)).isEqualTo(0x60);
            assertThat(p.io().find(0x2e8).owner()).isEqualTo("com4");
        }
    }
}
