package org.jbhyve.bhyve.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;


import org.jbhyve.testguests.RequiresKvm;
import org.jbhyve.testguests.TestGuests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The virtio devices on real /dev/kvm, driven by test guests through ordinary bhyve command lines:
 * a sector written through virtio-blk's legacy interface is in the image file, virtio-rnd's modern
 * interface gives random bytes, and a line written to virtio-console's port reaches the client of
 * its UNIX socket (and a line back reaches the guest).
 */
@RequiresKvm
class VirtioKvmTest {
    private static final Duration T = Duration.ofSeconds(120);
    private static final int GUEST_OK = 1;

    private static Path image(Path dir) throws IOException {
        Path img = dir.resolve("disk.img");
        Files.write(img, new byte[1 << 20]);
        return img;
    }

    private static String bhyveId(Path img) throws Exception {
        byte[] d = MessageDigest.getInstance("MD5").digest(img.toString().getBytes(StandardCharsets.UTF_8));
        HexFormat hex = HexFormat.of().withUpperCase();
        return "BHYVE-" + hex.formatHex(d, 0, 2) + "-" + hex.formatHex(d, 2, 4) + "-" + hex.formatHex(d, 4, 6);
    }

    @Test
    void theGuestWritesASectorThroughVirtioBlkAndTheHostFindsItInTheImage(@TempDir Path dir) throws Exception {
        Path img = image(dir);
        try (BhyveRun run = BhyveRun.guest("virtioblk", "-s", "3,virtio-blk," + img)) {
            assertThat(run.exitStatus(T)).as(run.output() + run.stderr()).isEqualTo(GUEST_OK);
            assertThat(run.output().lines().toList())
                    .containsExactly("blk capacity 2048 queue 128", "blk id " + bhyveId(img), "blk ok");
        }
        byte[] file = Files.readAllBytes(img);
        byte[] expected = new byte[512];
        for (int i = 0; i < 512; i++) expected[i] = TestGuests.virtioBlkPattern(i);
        int at = TestGuests.VIRTIOBLK_SECTOR * 512;
        assertThat(Arrays.copyOfRange(file, at, at + 512)).isEqualTo(expected);
        assertThat(Arrays.copyOfRange(file, 0, at)).containsOnly(0);
        assertThat(Arrays.copyOfRange(file, at + 512, file.length)).containsOnly(0);
    }

    @Test
    void aReadOnlyDiskRefusesTheGuestsWriteAndStaysUntouched(@TempDir Path dir) throws Exception {
        Path img = image(dir);
        // -W: MSI instead of MSI-X, as bhyve's flag; the guest uses INTx-free polling either way.
        try (BhyveRun run = BhyveRun.guest("virtioblk", "-W", "-s", "3,virtio-blk," + img + ",ro")) {
            assertThat(run.exitStatus(T)).as(run.output() + run.stderr()).isEqualTo((1 << 1) | 1);
            assertThat(run.output()).contains("blk fail write");
        }
        assertThat(Files.readAllBytes(img)).containsOnly(0);
    }

    @Test
    void theGuestReadsRandomBytesThroughTheModernInterface() throws Exception {
        try (BhyveRun run = BhyveRun.guest("virtiornd", "-s", "4,virtio-rnd")) {
            assertThat(run.exitStatus(T)).as(run.output() + run.stderr()).isEqualTo(GUEST_OK);
            assertThat(run.output().lines().toList()).containsExactly("rnd ok");
        }
    }

    @Test
    void aLineWrittenToTheConsolePortReachesTheSocketClient(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("con.sock");
        try (BhyveRun run = BhyveRun.guest("virtiocon", "-s", "5,virtio-console,port1=" + sock)) {
            // The socket exists once the VM is built; the guest waits for PORT_OPEN, i.e. for us.
            assertThat(Files.exists(sock)).as(run.stderr()).isTrue();
            try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
                assertThat(readLine(client)).isEqualTo("hello from virtio-console");
                client.write(ByteBuffer.wrap("ping\n".getBytes(StandardCharsets.US_ASCII)));
                assertThat(run.exitStatus(T)).as(run.output() + run.stderr()).isEqualTo(GUEST_OK);
            }
            assertThat(run.output().lines().toList())
                    .containsExactly("con port 0 name port1", "con port 0 open", "con got ping", "con ok");
        }
    }

    /**
     * Suspends the console guest while it waits for the host (its rings, the negotiated features and
     * the control state in the snapshot), restores it in a new VMM, and only then connects: the
     * restored device tells the restored guest about the client and the exchange completes.
     */
    @Test
    void aConsoleGuestSuspendedMidProtocolCarriesOnAfterRestore(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("con.sock");
        Path snap = dir.resolve("con.snap");
        try (BhyveRun run = BhyveRun.guest("virtiocon", "-s", "5,virtio-console,port1=" + sock)) {
            run.awaitOutput(o -> o.contains("con port 0 name port1\n"), T);
            run.runtime.checkpoint(new SnapshotTarget.File(snap), true);
            assertThat(run.exitStatus(T)).as(run.output() + run.stderr()).isZero();
            // A separate bhyve process would be gone, its socket stale; in this JVM the device lives on
            // (VmRuntime does not close PCI devices), so release its socket as process exit would.
            closeVirtioDevices(run.runtime);
        }
        try (BhyveRun restored = BhyveRun.restore(snap, List.of())) {
            try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
                assertThat(readLine(client)).isEqualTo("hello from virtio-console");
                client.write(ByteBuffer.wrap("pong\n".getBytes(StandardCharsets.US_ASCII)));
                assertThat(restored.exitStatus(T)).as(restored.output() + restored.stderr()).isEqualTo(GUEST_OK);
            }
            assertThat(restored.output().lines().toList()).containsExactly("con port 0 open", "con got pong", "con ok");
        }
    }

    private static void closeVirtioDevices(VmRuntime runtime) throws Exception {
        for (var s : runtime.snapshottables()) {
            if (s instanceof org.jbhyve.bhyve.devices.virtio.VirtioPciDevice && s instanceof AutoCloseable c) c.close();
        }
    }

    /** Reads one line; a watchdog closes the channel if none comes within {@link #T}. */
    private static String readLine(SocketChannel c) throws IOException {
        Thread watchdog = Thread.ofPlatform().daemon().start(() -> {
            try {
                Thread.sleep(T.toMillis());
                c.close();
            } catch (InterruptedException | IOException e) {
                // done in time
            }
        });
        try {
            return readLineUnbounded(c);
        } finally {
            watchdog.interrupt();
        }
    }

    private static String readLineUnbounded(SocketChannel c) throws IOException {
        StringBuilder sb = new StringBuilder();
        ByteBuffer b = ByteBuffer.allocate(1);
        while (true) {
            b.clear();
            if (c.read(b) < 0) throw new AssertionError("socket closed after '" + sb + "'");
            char ch = (char) b.get(0);
            if (ch == '\n') return sb.toString();
            sb.append(ch);
        }
    }
}
