package org.jbhyve.bhyve.devices.uart;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.devices.FakePlatform;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The stdio backend's stream handling over pipes (the test JVM's real stdin and stdout belong to
 * the test runner), and the one-port-per-process rule through the real factory.
 */
class StdioBackendTest {
    static final int BASE = 0x3f8;

    @Test
    void inputReachesTheGuestAndOutputTheStream() throws Exception {
        PipedOutputStream keyboard = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(keyboard, 4096);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        try (FakePlatform p = new FakePlatform();
             StdioBackend b = StdioBackend.over(stdin, stdout, m -> p.log("com1", m));
             Uart16550 uart = new Uart16550(p, "com1", BASE, 4, b)) {
            assertThat(uart.backend()).isSameAs(b);
            p.outb(BASE + 2, 0x01); // FIFO on
            byte[] typed = new byte[100]; // more than a FIFO: the pump must wait for room
            for (int i = 0; i < typed.length; i++) typed[i] = (byte) ('a' + i % 26);
            keyboard.write(typed);
            keyboard.flush();
            assertThat(TcpBackendTest.readFromGuest(p, BASE, 100)).isEqualTo(new String(typed, StandardCharsets.US_ASCII));
            assertThat(p.inb(BASE + 5) & 0x02).as("no overrun").isZero();
            for (char c : "login: ".toCharArray()) p.outb(BASE, c);
            assertThat(b.awaitDrained(5000)).isTrue();
            assertThat(stdout.toString(StandardCharsets.US_ASCII)).isEqualTo("login: ");
        }
    }

    @Test
    void onlyOneSerialPortCanOwnStdio() {
        try (FakePlatform p = new FakePlatform()) {
            ConfigTree cfg = new ConfigTree();
            cfg.set("lpc.com1.path", "stdio");
            cfg.set("lpc.com2.path", "stdio");
            // The real stdio backend: stdin here is the test runner's pipe, not a terminal, so no
            // terminal mode changes. start() reads stdin, so only the factory is exercised.
            StdioBackend first = StdioBackend.open(m -> { });
            assertThat(StdioBackend.terminalInRawMode()).as("stdin is a pipe here").isFalse();
            try {
                assertThatThrownBy(() -> Uart16550.fromConfig(cfg, "lpc.com2", 0x2f8, 3, p))
                        .isInstanceOf(ConfigException.class)
                        .hasMessageContaining("lpc.com2.path=stdio")
                        .hasMessageContaining("already used");
            } finally {
                first.close();
            }
            StdioBackend again = StdioBackend.open(m -> { }); // closing released it
            again.close();
        }
    }
}
