package org.jbhyve.bhyve.devices.virtio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bindings.freebsd.libc.errno_h;
import org.jbhyve.bindings.linux.tun.tun_h;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The FreeBSD tap backend on Linux: its frame I/O for real over a {@link FramePair} (a
 * {@code SOCK_SEQPACKET} socket pair, one frame per read and write like a tap) — frames both ways,
 * boundaries kept, timeouts, wakeups, a full queue, a frame longer than the buffer, the peer going
 * away, close — and, without a FreeBSD kernel, its name rules and every error message for the FreeBSD
 * errno numbers. Opening a real {@code /dev/tapN} is {@link FreeBsdTapDeviceTest}'s, on FreeBSD.
 */
class FreeBsdTapBackendTest {
    private final FramePair pair = new FramePair();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment rx = arena.allocate(VirtioNet.MAX_FRAME);
    private FreeBsdTapBackend backend;

    private FreeBsdTapBackend backend() throws IOException {
        if (backend == null) backend = FreeBsdTapBackend.over(pair.backendEnd, "tap9");
        return backend;
    }

    @AfterEach
    void close() {
        if (backend != null) backend.close();
        else pair.closeBackendEnd();
        pair.close();
        arena.close();
    }

    static byte[] frame(int length, int seed) {
        byte[] f = new byte[length];
        for (int i = 0; i < length; i++) f[i] = (byte) (i * 31 + seed);
        return f;
    }

    private void send(byte[] f) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            backend().send(a.allocateFrom(ValueLayout.JAVA_BYTE, f));
        }
    }

    private byte[] receive(int timeoutMillis) throws IOException {
        int n = backend().receive(rx, timeoutMillis);
        return rx.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void bareFramesNoHeaderNoOffloads() throws IOException {
        assertThat(backend().headerBytes()).isZero();
        assertThat(backend().offloads()).isFalse();
        assertThat(backend().name()).isEqualTo("tap9");
        backend().setOffloads(0);
        assertThatThrownBy(() -> backend().setOffloads(tun_h.TUN_F_CSUM)).isInstanceOf(IOException.class)
                .hasMessageContaining("no virtio-net header");
    }

    @Test
    void eachSendIsOneFrameOnTheOtherSide() throws IOException {
        byte[] a = frame(60, 1), b = frame(1514, 2), c = frame(9018, 3);
        send(a);
        send(b);
        send(c);
        assertThat(pair.read(2000)).isEqualTo(a);
        assertThat(pair.read(2000)).isEqualTo(b);
        assertThat(pair.read(2000)).isEqualTo(c);
        assertThat(pair.read(50)).as("nothing more").isNull();
    }

    @Test
    void eachReceiveIsOneFrameWithItsLength() throws IOException {
        byte[] a = frame(42, 4), b = frame(65535, 5), c = frame(64, 6);
        assertThat(pair.write(a) && pair.write(b) && pair.write(c)).isTrue();
        assertThat(receive(1000)).isEqualTo(a);
        assertThat(receive(1000)).isEqualTo(b);
        assertThat(receive(1000)).isEqualTo(c);
    }

    @Test
    void receiveGivesZeroAfterTheTimeoutWhenNothingComes() throws IOException {
        backend();
        long t0 = System.nanoTime();
        assertThat(backend().receive(rx, 300)).isZero();
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(ms).as("waited for the timeout").isBetween(250L, 5000L);
    }

    /** A receive waiting up to 20 s, on another thread, started 200 ms ago. */
    private CompletableFuture<Integer> receiveWaiting() throws Exception {
        backend();
        CompletableFuture<Integer> got = CompletableFuture.supplyAsync(() -> {
            try {
                return backend.receive(rx, 20_000);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Thread.sleep(200);
        return got;
    }

    @Test
    void aFrameEndsAWaitingReceive() throws Exception {
        CompletableFuture<Integer> got = receiveWaiting();
        byte[] f = frame(100, 7);
        pair.write(f);
        assertThat(got.get(5, TimeUnit.SECONDS)).isEqualTo(100);
        assertThat(rx.asSlice(0, 100).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(f);
    }

    @Test
    void wakeupEndsAWaitingReceiveWithZero() throws Exception {
        long t0 = System.nanoTime();
        CompletableFuture<Integer> got = receiveWaiting();
        backend.wakeup();
        assertThat(got.get(5, TimeUnit.SECONDS)).isZero();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(5000);
    }

    @Test
    void wakeupsBeforeAReceiveEndItOnceThenTheyAreGone() throws IOException {
        backend();
        // More wakeups than the pipe holds (64 KiB on Linux and FreeBSD): the excess is dropped quietly.
        for (int i = 0; i < 100_000; i++) backend.wakeup();
        long t0 = System.nanoTime();
        assertThat(backend.receive(rx, 10_000)).isZero();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("returned at once").isLessThan(2000);
        t0 = System.nanoTime();
        assertThat(backend.receive(rx, 300)).isZero();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("all wakeups were collected")
                .isGreaterThanOrEqualTo(250);
        byte[] f = frame(70, 8);
        pair.write(f);
        assertThat(receive(1000)).as("frames still come through").isEqualTo(f);
    }

    @Test
    void aFrameLongerThanTheBufferIsCutAndTheNextOneIsWhole() throws IOException {
        byte[] big = frame(3000, 9), next = frame(100, 10);
        pair.write(big);
        pair.write(next);
        MemorySegment small = arena.allocate(1500);
        assertThat(backend().receive(small, 1000)).isEqualTo(1500);
        assertThat(small.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(Arrays.copyOf(big, 1500));
        assertThat(receive(1000)).isEqualTo(next);
    }

    @Test
    void framesTheOtherSideCannotTakeAreDroppedNotErrors() throws IOException {
        // Nobody reads the host side: the socket's queue fills and writes fail with EAGAIN.
        int sent = 5000;
        for (int i = 0; i < sent; i++) send(frame(1000, i));
        int arrived = 0;
        while (pair.read(100) != null) arrived++;
        assertThat(arrived).as("some frames, not all").isPositive().isLessThan(sent);
    }

    @Test
    void theOtherSideGoingAwayIsEndOfFileForReceiveAndAnErrorForSend() throws IOException {
        backend();
        pair.closeHost();
        assertThatThrownBy(() -> backend.receive(rx, 1000)).isInstanceOf(IOException.class)
                .hasMessageContaining("end of file on tap9");
        assertThatThrownBy(() -> send(frame(60, 11))).isInstanceOf(IOException.class)
                .hasMessageStartingWith("write to tap9: ");
    }

    @Test
    void closeClosesTheDescriptorAndMakesTheRestNoOps() throws IOException {
        backend().close();
        assertThat(pair.read(2000)).as("end of file on the other side").isEmpty();
        send(frame(60, 12));
        backend.wakeup();
        assertThat(backend.receive(rx, 10)).isZero();
        backend.close();
    }

    // ---------------------------------------------------------------- names and messages

    @Test
    void deviceNamesAreBhyvesTapPrefixesAndInterfaceNames() {
        for (String ok : new String[] {"tap0", "tap12", "vmnet3", "tap", "vmnet", "tap_vm1", "tap456789012345"}) {
            FreeBsdTapBackend.checkDeviceName(ok, "t");
        }
        for (String bad : new String[] {"tun0", "em0", "", "vmn0", "netgraph", "netmap:em0", "vale0:1"}) {
            assertThatThrownBy(() -> FreeBsdTapBackend.checkDeviceName(bad, "virtio-net@pci.0.3.0"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("virtio-net@pci.0.3.0: \"" + bad + "\" is not a FreeBSD tap device: give tapN or vmnetN"
                            + " (e.g. -s 3,virtio-net,tap0)");
        }
        for (String bad : new String[] {"tap0/../../etc/x", "tap0:1", "tap4567890123456"}) {
            assertThatThrownBy(() -> FreeBsdTapBackend.checkDeviceName(bad, "t")).isInstanceOf(ConfigException.class)
                    .hasMessage("t: \"" + bad + "\" is not a valid interface name (1 to 15 characters, no '/' or ':')");
        }
    }

    @Test
    void openFailuresNameTheDeviceAndTheFix() {
        assertThat(FreeBsdTapBackend.openFailure("t", "tap7", errno_h.ENOENT)).hasMessage("t: /dev/tap7 does not"
                + " exist: create the interface first (ifconfig tap7 create), or run as root, which creates it on"
                + " open (if_tuntap must be loaded: kldload if_tuntap)");
        assertThat(FreeBsdTapBackend.openFailure("t", "vmnet", errno_h.ENOENT)).hasMessage("t: /dev/vmnet does not"
                + " exist: only root can create a tap by opening /dev/vmnet (or set sysctl"
                + " net.link.tap.user_open=1), and if_tuntap must be loaded (kldload if_tuntap)");
        String denied = "t: cannot open /dev/tap0: permission denied (run as root, or let this user open taps:"
                + " sysctl net.link.tap.user_open=1 and a devfs rule giving it /dev/tap0)";
        assertThat(FreeBsdTapBackend.openFailure("t", "tap0", errno_h.EACCES)).hasMessage(denied);
        assertThat(FreeBsdTapBackend.openFailure("t", "tap0", errno_h.EPERM)).hasMessage(denied);
        assertThat(FreeBsdTapBackend.openFailure("t", "tap0", errno_h.EBUSY)).hasMessage("t: /dev/tap0 is already"
                + " open: another VM, program or virtio-net device uses it (give each its own tap)");
        assertThat(FreeBsdTapBackend.openFailure("t", "tap0", errno_h.ENXIO)).hasMessage("t: cannot open /dev/tap0:"
                + " no such device or address (the interface is being created or destroyed; try again)");
        // FreeBSD's numbering, not Linux's: 35 is EAGAIN there (Linux: EDEADLK), 11 is EDEADLK (Linux: EAGAIN).
        assertThat(FreeBsdTapBackend.openFailure("t", "tap0", errno_h.EAGAIN))
                .hasMessage("t: cannot open /dev/tap0: resource temporarily unavailable");
        assertThat(FreeBsdTapBackend.openFailure("t", "tap0", 11))
                .hasMessage("t: cannot open /dev/tap0: resource deadlock avoided");
        assertThat(FreeBsdTapBackend.openFailure("t", "tap0", 93)).hasMessage("t: cannot open /dev/tap0: errno 93");
    }

    @Test
    void setupFailuresNameTheInterfaceAndTheFix() {
        assertThat(FreeBsdTapBackend.interfaceNameFailure("t", "tapx", errno_h.ENOTTY)).hasMessage(
                "t: cannot read the interface name of /dev/tapx: inappropriate ioctl for device (it is not a tap device)");
        assertThat(FreeBsdTapBackend.bringUpFailure("t", "tap3", errno_h.EPERM)).hasMessage("t: cannot bring tap3"
                + " up: operation not permitted (run as root, or bring it up beforehand: ifconfig tap3 up, or"
                + " sysctl net.link.tap.up_on_open=1)");
        assertThat(FreeBsdTapBackend.bringUpFailure("t", "tap3", errno_h.ENXIO))
                .hasMessage("t: cannot bring tap3 up: no such device or address");
    }

    @Test
    void openingIsForFreeBsdOnly() {
        assumeFalse(HostAbi.FREEBSD, "checks the non-FreeBSD behaviour");
        assertThatThrownBy(() -> FreeBsdTapBackend.open("tap0", "t")).isInstanceOf(ConfigException.class)
                .hasMessage("t: /dev/tap0 is a FreeBSD tap device; this host is " + System.getProperty("os.name"));
    }

    /** The shared frame I/O takes this OS's numbers: Linux's here, FreeBSD's (bindings.freebsd.libc) there. */
    @Test
    void hostNumbersFollowTheRunningSystem() {
        if (HostAbi.FREEBSD) {
            assertThat(new int[] {HostAbi.O_NONBLOCK, HostAbi.O_CLOEXEC, HostAbi.EAGAIN, HostAbi.ENOBUFS})
                    .containsExactly(0x4, 0x100000, 35, 55);
        } else {
            assertThat(new int[] {HostAbi.O_NONBLOCK, HostAbi.O_CLOEXEC, HostAbi.EAGAIN, HostAbi.ENOBUFS})
                    .containsExactly(04000, 02000000, 11, 105);
        }
        assertThat(HostAbi.describe(35, false)).isEqualTo("EDEADLK");
        assertThat(HostAbi.describe(35, true)).isEqualTo("resource temporarily unavailable");
        assertThat(HostAbi.describe(13, true)).isEqualTo(HostAbi.describe(13, false)).isEqualTo("permission denied");
    }
}
