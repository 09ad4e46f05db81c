package org.jbhyve.bhyve.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.jbhyve.testguests.RequiresKvm;
import org.junit.jupiter.api.Test;

/**
 * virtio-net on real /dev/kvm with a real tap: the VMM attaches a new tap interface, the test moves
 * it into a fresh network namespace and brings it up, and a peer process in that namespace
 * ({@link NetnsPeer}, a packet socket on the tap) sends the guest a frame and receives the one the
 * guest sends back. Needs root (CAP_NET_ADMIN) and iproute2; fails (does not skip) without
 * /dev/net/tun.
 */
@RequiresKvm
class VirtioNetKvmTest {
    private static final Duration T = Duration.ofSeconds(180);
    private static final int GUEST_OK = 1;

    @Test
    void aFrameGoesToTheGuestAndOneComesBackThroughATapInANamespace() throws Exception {
        assertThat(Path.of("/dev/net/tun")).as("/dev/net/tun is needed for virtio-net's tap backend (modprobe tun)")
                .exists();
        String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0x100000));
        String ns = "jbhyve-net-" + tag;
        String tap = "jbtap" + tag;
        run("ip", "netns", "add", ns);
        try (BhyveRun vm = BhyveRun.guest("virtionet", "-s", "6,virtio-net," + tap)) {
            String mac = expectedMac("6-0-test");
            // The VMM created the tap in this namespace; move it to the test's one and bring it up there.
            run("ip", "link", "set", tap, "netns", ns);
            runQuietly("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf." + tap + ".disable_ipv6=1");
            run("ip", "-n", ns, "link", "set", tap, "up");
            String peer = run("ip", "netns", "exec", ns, Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    NetnsPeer.class.getName(), tap, mac, "ping from host");
            assertThat(vm.exitStatus(T)).as(vm.output() + vm.stderr()).isEqualTo(GUEST_OK);
            assertThat(vm.output().lines().toList()).containsExactly("net mac " + mac, "net got ping from host", "net ok");
            assertThat(peer.strip()).isEqualTo("got " + mac + " pong from guest to "
                    + HexFormat.ofDelimiter(":").formatHex(NetnsPeer.PEER_MAC));
        } finally {
            runQuietly("ip", "netns", "del", ns);
        }
    }

    /** bhyve's generated MAC: 00:a0:98 and the first three bytes of MD5("slot-function-vmname"). */
    private static String expectedMac(String seed) throws Exception {
        byte[] d = MessageDigest.getInstance("MD5").digest(seed.getBytes(StandardCharsets.UTF_8));
        return HexFormat.ofDelimiter(":").formatHex(new byte[] {0, (byte) 0xa0, (byte) 0x98, d[0], d[1], d[2]});
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("jbhyve-net", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in 120 s");
            }
            String text = Files.readString(out);
            if (p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed (" + p.exitValue() + "): " + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static void runQuietly(String... command) {
        try {
            run(command);
        } catch (Exception | AssertionError e) {
            // best effort (cleanup, optional tuning)
        }
    }
}
