package org.jbhyve.bhyve.devices.virtio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.jbhyve.bhyve.config.ConfigException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The FreeBSD tap backend on a real tap(4) device. FreeBSD only: skipped elsewhere, with the reason;
 * {@code ci/freebsd/run-tests} runs it in a FreeBSD VM. Needs root (cloning a tap, ifconfig) and fails,
 * rather than skips, without it, so a broken setup is not mistaken for a skip.
 *
 * <p>Opening {@code tap} clones a new interface, which the backend brings up; a second open of the same
 * device is refused as busy; with an address on the interface, the host's ARP request for a neighbour
 * arrives as a frame, and the ARP reply the backend sends lands in the host's ARP table.
 */
class FreeBsdTapDeviceTest {
    private static final byte[] GUEST_MAC = {0x02, 0, 0, 0, 0, 0x01};
    private static final byte[] HOST_IP = {(byte) 192, 0, 2, 1}, GUEST_IP = {(byte) 192, 0, 2, 2}; // TEST-NET-1

    @BeforeEach
    void onFreeBsd() {
        assumeTrue(HostAbi.FREEBSD, "needs FreeBSD's tap(4); this is " + System.getProperty("os.name")
                + " (ci/freebsd/run-tests runs it)");
    }

    @Test
    void aClonedTapComesUpCarriesFramesBothWaysAndIsExclusive() throws Exception {
        FreeBsdTapBackend tap = FreeBsdTapBackend.open("tap", "t");
        String ifname = tap.name();
        try (Arena arena = Arena.ofConfined()) {
            assertThat(ifname).matches("tap[0-9]+");
            assertThat(run("ifconfig", ifname)).as("brought up").containsPattern("flags=[0-9a-f]+<UP[,>]");
            assertThatThrownBy(() -> FreeBsdTapBackend.open(ifname, "t")).isInstanceOf(ConfigException.class)
                    .hasMessage("t: /dev/" + ifname + " is already open: another VM, program or virtio-net device"
                            + " uses it (give each its own tap)");

            run("ifconfig", ifname, "inet", "192.0.2.1/24");
            try (DatagramSocket s = new DatagramSocket()) {
                // To a neighbour on the tap's subnet: the host first asks for its MAC, through the tap.
                s.send(new DatagramPacket(new byte[1], 1, InetAddress.getByAddress(GUEST_IP), 9));
            }
            MemorySegment buffer = arena.allocate(VirtioNet.MAX_FRAME);
            byte[] request = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (request == null && System.nanoTime() < deadline) {
                int n = tap.receive(buffer, 1000);
                byte[] f = buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
                if (n >= 42 && f[12] == 0x08 && f[13] == 0x06 && f[21] == 1
                        && Arrays.equals(f, 38, 42, GUEST_IP, 0, 4)) {
                    request = f;
                }
            }
            assertThat(request).as("the host's ARP request for 192.0.2.2 through " + ifname).isNotNull();
            byte[] hostMac = Arrays.copyOfRange(request, 22, 28);

            ByteBuffer reply = ByteBuffer.allocate(60); // the minimum Ethernet frame, zero-padded
            reply.put(hostMac).put(GUEST_MAC).putShort((short) 0x0806);
            reply.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 2);
            reply.put(GUEST_MAC).put(GUEST_IP).put(hostMac).put(HOST_IP);
            tap.send(arena.allocateFrom(ValueLayout.JAVA_BYTE, reply.array()));
            String arp = "";
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!arp.contains("02:00:00:00:00:01") && System.nanoTime() < deadline) {
                Thread.sleep(100);
                arp = run("arp", "-n", "192.0.2.2");
            }
            assertThat(arp).as("the reply reached the host's ARP table").contains("at 02:00:00:00:00:01 on " + ifname);
        } finally {
            tap.close();
            run("ifconfig", ifname, "destroy");
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 30 s");
        }
        if (p.exitValue() != 0 && !command[0].equals("arp")) {
            throw new AssertionError(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out);
        }
        return out;
    }
}
