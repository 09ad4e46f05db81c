package org.jbhyve.snapshot.ipc;

import org.jbhyve.bindings.libc.libc_h;
import org.jbhyve.snapshot.nv.LibnvVectors;
import org.jbhyve.snapshot.nv.NvException;
import org.jbhyve.snapshot.nv.NvFormatter;
import org.jbhyve.snapshot.nv.NvList;
import org.jbhyve.snapshot.nv.NvPacker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** nvlist_send / nvlist_recv over real AF_UNIX stream sockets on this host. */
class NvSocketTest {

    private static final Duration SHORT = Duration.ofMillis(300);
    private static final Duration LONG = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private UnixSocket client;
    private UnixSocket server;
    private int dirFd = -1;

    @BeforeEach
    void pair() throws Exception {
        UnixSocket[] p = UnixSocket.pair();
        client = p[0];
        server = p[1];
        Files.writeString(dir.resolve("probe.txt"), "written before the checkpoint");
        dirFd = TestFds.openDirectory(dir);
    }

    @AfterEach
    void closeAll() {
        client.close();
        server.close();
        Sys.close(dirFd);
    }

    /** bhyvectl's --suspend request (reference 1b), with the snapshot directory's descriptor. */
    private NvList checkpointRequest(int fd) {
        return new NvList().addString("cmd", "checkpoint").addString("filename", "snap1").add("suspend", true)
                .addDescriptor("fddir", fd);
    }

    private static byte[] vector(String name) {
        return LibnvVectors.valid().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow().bytes();
    }

    @Test
    void theCheckpointRequestOnTheWireIsWhatBhyvectlSends() throws Throwable {
        NvSocket.send(client.fd(), checkpointRequest(dirFd));
        long deadline = Sys.deadline(LONG);
        byte[] wire = NvSocket.receiveBytes(server.fd(), 148, deadline, "test data");
        assertThat(wire).isEqualTo(vector("bhyvectl_checkpoint_suspend"));
        int[] fds = NvSocket.receiveDescriptors(server.fd(), 1, deadline);
        try {
            assertThat(fds).hasSize(1);
            assertThat(fds[0]).isNotEqualTo(dirFd);
            assertThat(TestFds.readAt(fds[0], "probe.txt")).isEqualTo("written before the checkpoint");
        } finally {
            Sys.close(fds[0]);
        }
    }

    @Test
    void theReceiverGetsAWorkingDirectoryDescriptor() throws Throwable {
        NvSocket.send(client.fd(), checkpointRequest(dirFd));
        NvList got = NvSocket.receive(server.fd(), 0, LONG);
        try {
            assertThat(got.getString("cmd")).isEqualTo("checkpoint");
            assertThat(got.getString("filename")).isEqualTo("snap1");
            assertThat(got.getBool("suspend")).isTrue();
            int fddir = got.getDescriptor("fddir");
            assertThat(TestFds.readAt(fddir, "probe.txt")).isEqualTo("written before the checkpoint");
            // the sender's descriptor is untouched
            assertThat(TestFds.readAt(dirFd, "probe.txt")).isEqualTo("written before the checkpoint");
            String expected = LibnvVectors.valid().stream().filter(v -> v.name().equals("bhyvectl_checkpoint_suspend"))
                    .findFirst().orElseThrow().text();
            assertThat(NvFormatter.format(got)).isEqualTo(expected.replace("\"fddir\" 0", "\"fddir\" " + fddir));
        } finally {
            NvSocket.closeDescriptors(got);
        }
        assertThat(TestFds.countOpen(dir)).isEqualTo(1); // only ours
    }

    @Test
    void moreDescriptorsThanOneMessageHoldsGoInBatches() throws Throwable {
        int[] many = new int[NvSocket.FDS_PER_MESSAGE + 16];
        Arrays.fill(many, dirFd);
        NvList list = new NvList().addDescriptorArray("dirs", many).addDescriptor("one", dirFd);
        NvSocket.send(client.fd(), list);
        NvList got = NvSocket.receive(server.fd(), 0, LONG, new NvSocket.Limits(1 << 20, 256));
        try {
            int[] fds = got.getDescriptorArray("dirs");
            Set<Integer> distinct = new HashSet<>();
            for (int fd : fds) distinct.add(fd);
            distinct.add(got.getDescriptor("one"));
            assertThat(distinct).hasSize(many.length + 1);
            assertThat(TestFds.readAt(fds[fds.length - 1], "probe.txt")).isEqualTo("written before the checkpoint");
            assertThat(TestFds.countOpen(dir)).isEqualTo(1 + many.length + 1);
        } finally {
            NvSocket.closeDescriptors(got);
        }
        assertThat(TestFds.countOpen(dir)).isEqualTo(1);
    }

    @Test
    void aListWithoutDescriptorsIsJustTheBytes() throws Exception {
        NvList list = new NvList().add("s", "checkpoint");
        NvSocket.send(client.fd(), list);
        assertThat(NvSocket.receiveBytes(server.fd(), 51, Sys.deadline(LONG), "test")).isEqualTo(vector("string_checkpoint"));
        NvSocket.send(client.fd(), list);
        assertThat(NvSocket.receive(server.fd(), 0, LONG)).isEqualTo(list);
    }

    @Test
    void aPeerThatStallsInTheHeaderTimesOut() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            NvSocket.sendBytes(client.fd(), Arrays.copyOf(vector("bhyvectl_checkpoint_suspend"), 10), Sys.deadline(LONG));
            long t0 = System.nanoTime();
            IpcTimeoutException e = catchThrowableOfType(IpcTimeoutException.class,
                    () -> NvSocket.receive(server.fd(), 0, SHORT));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(e.getMessage()).contains("timed out waiting for the nvlist header").contains("10 of 19 bytes")
                    .contains("stalled");
            assertThat(e.errno()).contains("ETIMEDOUT");
            assertThat(ms).isBetween(250L, 5_000L);
        });
    }

    @Test
    void aPeerThatStallsInTheBodyOrBeforeTheDescriptorsTimesOut() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            byte[] msg = vector("bhyvectl_checkpoint_suspend");
            NvSocket.sendBytes(client.fd(), Arrays.copyOf(msg, 100), Sys.deadline(LONG));
            IpcTimeoutException body = catchThrowableOfType(IpcTimeoutException.class,
                    () -> NvSocket.receive(server.fd(), 0, SHORT));
            assertThat(body.getMessage()).contains("nvlist of 148 bytes").contains("81 of 129 bytes received");
        });
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            UnixSocket[] p = UnixSocket.pair();
            try (UnixSocket c = p[0]; UnixSocket s = p[1]) {
                NvSocket.sendBytes(c.fd(), vector("bhyvectl_checkpoint_suspend"), Sys.deadline(LONG));
                IpcTimeoutException fds = catchThrowableOfType(IpcTimeoutException.class,
                        () -> NvSocket.receive(s.fd(), 0, SHORT));
                assertThat(fds.getMessage()).contains("descriptors").contains("0 of the 1 announced");
            }
        });
    }

    @Test
    void aPeerThatClosesEarlyIsAClearError() throws Exception {
        NvSocket.sendBytes(client.fd(), Arrays.copyOf(vector("bhyvectl_checkpoint_suspend"), 30), Sys.deadline(LONG));
        client.close();
        IpcException e = catchThrowableOfType(IpcException.class, () -> NvSocket.receive(server.fd(), 0, LONG));
        assertThat(e).isNotInstanceOf(IpcTimeoutException.class);
        assertThat(e.getMessage()).isEqualTo("the peer closed the connection after 11 of the 129 bytes of the nvlist of 148 bytes");
    }

    @Test
    void descriptorsAnnouncedButNeverSent() throws Exception {
        NvSocket.sendBytes(client.fd(), vector("bhyvectl_checkpoint_suspend"), Sys.deadline(LONG));
        client.close();
        IpcException e = catchThrowableOfType(IpcException.class, () -> NvSocket.receive(server.fd(), 0, LONG));
        assertThat(e.getMessage()).contains("closed the connection before sending the 1 descriptors");
    }

    @Test
    void aHugeSizeIsRejectedFromTheHeaderAlone() {
        byte[] header = new byte[19];
        ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).put(0, (byte) 0x6c).putLong(11, 1L << 60);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            // the first rejection pays one-time JVM costs (string concatenation bootstrap); measure the second
            NvSocket.sendBytes(client.fd(), header, Sys.deadline(LONG));
            catchThrowableOfType(NvException.class, () -> NvSocket.receive(server.fd(), 0, LONG));
            NvSocket.sendBytes(client.fd(), header, Sys.deadline(LONG));
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long tid = Thread.currentThread().threadId();
            long before = mx.getThreadAllocatedBytes(tid);
            NvException e = catchThrowableOfType(NvException.class, () -> NvSocket.receive(server.fd(), 0, LONG));
            long allocated = mx.getThreadAllocatedBytes(tid) - before;
            assertThat(e.code()).isEqualTo(NvException.Code.EMSGSIZE);
            assertThat(e.offset()).isEqualTo(11);
            assertThat(e.getMessage()).contains("nvlh_size 1152921504606846976").contains("1048576 bytes");
            assertThat(allocated).isLessThan(512 * 1024);
        });
    }

    @Test
    void headerChecksComeBeforeTheBody() throws Exception {
        byte[] tooManyFds = vector("bhyvectl_checkpoint_suspend").clone();
        ByteBuffer.wrap(tooManyFds).order(ByteOrder.LITTLE_ENDIAN).putLong(3, 100_000);
        NvSocket.sendBytes(client.fd(), Arrays.copyOf(tooManyFds, 19), Sys.deadline(LONG));
        NvException fds = catchThrowableOfType(NvException.class, () -> NvSocket.receive(server.fd(), 0, LONG));
        assertThat(fds.getMessage()).contains("100000 descriptors, more than the 64");

        byte[] flags = vector("string_checkpoint").clone();
        flags[2] = 1;
        NvSocket.sendBytes(client.fd(), Arrays.copyOf(flags, 19), Sys.deadline(LONG));
        NvException eilseq = catchThrowableOfType(NvException.class, () -> NvSocket.receive(server.fd(), 0, LONG));
        assertThat(eilseq.code()).isEqualTo(NvException.Code.EILSEQ);

        NvSocket.sendBytes(client.fd(), "GET / HTTP/1.1\r\nHost: x\r\n".getBytes(), Sys.deadline(LONG));
        NvException magic = catchThrowableOfType(NvException.class, () -> NvSocket.receive(server.fd(), 0, LONG));
        assertThat(magic.getMessage()).contains("bad nvlist magic 0x47").contains("does not speak libnv");
    }

    @Test
    void extraDescriptorsAreRefusedAndClosed() throws Exception {
        Path marker = Files.writeString(dir.resolve("marker-extra"), "x");
        int m = TestFds.open(marker, libc_h.O_RDONLY | libc_h.O_CLOEXEC);
        try {
            NvSocket.sendBytes(client.fd(), vector("bhyvectl_checkpoint_suspend"), Sys.deadline(LONG));
            NvSocket.sendDescriptors(client.fd(), new int[] {m, m}, Sys.deadline(LONG));
            IpcException two = catchThrowableOfType(IpcException.class, () -> NvSocket.receive(server.fd(), 0, LONG));
            assertThat(two.getMessage()).isEqualTo("refusing the nvlist: the peer sent a descriptor message with 2"
                    + " descriptors where 1 were expected (1 announced in all)");
            assertThat(TestFds.countOpen(marker)).isEqualTo(1); // the sender's own
            // more than the control buffer holds: the kernel truncates (and closes the excess)
            NvSocket.sendBytes(client.fd(), vector("bhyvectl_checkpoint_suspend"), Sys.deadline(LONG));
            NvSocket.sendDescriptors(client.fd(), new int[] {m, m, m, m}, Sys.deadline(LONG));
            IpcException four = catchThrowableOfType(IpcException.class, () -> NvSocket.receive(server.fd(), 0, LONG));
            assertThat(four.getMessage()).contains("refusing the nvlist").contains("control data truncated");
            assertThat(TestFds.countOpen(marker)).isEqualTo(1);
        } finally {
            Sys.close(m);
        }
    }

    @Test
    void descriptorsTheListDoesNotUseAreClosed() throws Throwable {
        Path marker = Files.writeString(dir.resolve("marker-unused"), "x");
        int m = TestFds.open(marker, libc_h.O_RDONLY | libc_h.O_CLOEXEC);
        try {
            byte[] two = vector("bhyvectl_checkpoint_suspend").clone();
            ByteBuffer.wrap(two).order(ByteOrder.LITTLE_ENDIAN).putLong(3, 2); // announce 2, use index 0
            NvSocket.sendBytes(client.fd(), two, Sys.deadline(LONG));
            NvSocket.sendDescriptors(client.fd(), new int[] {dirFd, m}, Sys.deadline(LONG));
            NvList got = NvSocket.receive(server.fd(), 0, LONG);
            try {
                assertThat(TestFds.readAt(got.getDescriptor("fddir"), "probe.txt")).startsWith("written");
                assertThat(TestFds.countOpen(marker)).isEqualTo(1);
            } finally {
                NvSocket.closeDescriptors(got);
            }
        } finally {
            Sys.close(m);
        }
    }

    @Test
    void aMalformedListClosesTheDescriptorsThatCameWithIt() throws Exception {
        Path marker = Files.writeString(dir.resolve("marker-bad"), "x");
        int m = TestFds.open(marker, libc_h.O_RDONLY | libc_h.O_CLOEXEC);
        try {
            byte[] bad = vector("bhyvectl_checkpoint_suspend").clone();
            bad[0x72] = 2; // suspend = 2
            NvSocket.sendBytes(client.fd(), bad, Sys.deadline(LONG));
            NvSocket.sendDescriptors(client.fd(), new int[] {m}, Sys.deadline(LONG));
            NvException e = catchThrowableOfType(NvException.class, () -> NvSocket.receive(server.fd(), 0, LONG));
            assertThat(e.getMessage()).isEqualTo("malformed nvlist at offset 114: bool value 2 is neither 0 nor 1 (pair \"suspend\")");
            assertThat(TestFds.countOpen(marker)).isEqualTo(1);
        } finally {
            Sys.close(m);
        }
    }

    @Test
    void sendingToAClosedPeerIsEpipeNotADeadJvm() throws Exception {
        server.close();
        IpcException e = catchThrowableOfType(IpcException.class,
                () -> NvSocket.send(client.fd(), new NvList().add("s", "x")));
        assertThat(e.errno()).contains("EPIPE");
        assertThat(e.getMessage()).contains("cannot send the nvlist");
    }

    @Test
    void sendingABadDescriptorNamesIt() throws Exception {
        IpcException e = catchThrowableOfType(IpcException.class,
                () -> NvSocket.send(client.fd(), new NvList().addDescriptor("fd", 999_999)));
        assertThat(e.errno()).contains("EBADF");
        assertThat(e.getMessage()).contains("[999999]");
    }

    @Test
    void aPeerThatDoesNotReadMakesSendTimeOut() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            NvList big = new NvList().addBinary("b", new byte[8 << 20]);
            IpcTimeoutException e = catchThrowableOfType(IpcTimeoutException.class,
                    () -> NvSocket.send(client.fd(), big, SHORT));
            assertThat(e.getMessage()).contains("stopped reading");
        });
    }

    @Test
    void theCheckpointMessageSizeIsWellInsideTheLimit() {
        assertThat(NvPacker.packedSize(checkpointRequest(3))).isEqualTo(148);
        assertThat(NvSocket.Limits.CONTROL.maxMessageSize()).isEqualTo(1 << 20);
    }
}
