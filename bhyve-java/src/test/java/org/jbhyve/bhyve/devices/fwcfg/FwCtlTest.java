package org.jbhyve.bhyve.devices.fwcfg;

import org.jbhyve.bhyve.devices.FakePlatform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** bhyve's fwctl protocol, driven the way bhyve's UEFI firmware drives it. */
class FwCtlTest {
    static final int OUT = 0x510, IN = 0x511;

    FakePlatform p;
    FwCtl fwctl;

    @BeforeEach
    void setUp() {
        p = new FakePlatform();
        fwctl = new FwCtl(p, 6);
    }

    @AfterEach
    void tearDown() {
        p.close();
    }

    String signature() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 4; i++) sb.append((char) p.inb(IN));
        return sb.toString();
    }

    /** Sends a request: size = header + data bytes (the caller's choice), then the data as words. */
    void send(int size, int op, int txid, byte[] data) {
        p.outl(OUT, size);
        p.outl(OUT, op);
        p.outl(OUT, txid);
        ByteBuffer b = ByteBuffer.allocate((data.length + 3) / 4 * 4).order(ByteOrder.LITTLE_ENDIAN).put(data).rewind();
        while (b.hasRemaining()) p.outl(OUT, b.getInt());
    }

    static byte[] name(String s) {
        return (s + "\0").getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads a response: the size word says how many follow. */
    List<Integer> receive() {
        List<Integer> words = new ArrayList<>();
        int size = p.inl(IN);
        words.add(size);
        for (int i = 1; i < size / 4; i++) words.add(p.inl(IN));
        return words;
    }

    @Test
    void handshakeReturnsTheSignatureOnceAndRestartsOnAZeroWordWrite() {
        assertThat(signature()).isEqualTo("BHYV");
        assertThat(p.inb(IN)).isEqualTo(0xff);
        p.outw(OUT, 1); // only 0 restarts
        assertThat(p.inb(IN)).isEqualTo(0xff);
        p.outw(OUT, 0);
        assertThat((char) p.inb(OUT)).as("either port").isEqualTo('B');
        assertThat(p.inw(IN)).isEqualTo(0xffff);
        assertThat(p.io().find(0x510).owner()).isEqualTo("fwctl");
        assertThat(p.io().find(0x512)).isNull();
    }

    @Test
    void getLenAndGetServeHwNcpu() {
        p.outw(OUT, 0);
        signature();
        send(12 + 8, 4, 0x1234, name("hw.ncpu"));
        assertThat(receive()).containsExactly(24, 4, 0x1234, 0, 4, 0);
        assertThat(p.inl(IN)).as("response done").isEqualTo(-1);
        send(12 + 8, 3, 0x99, name("hw.ncpu"));
        assertThat(receive()).containsExactly(28, 3, 0x99, 0, 4, 0, 6);
    }

    @Test
    void unknownNamesAndOperationsGetEnoentAndLongNamesE2big() {
        signature();
        send(12 + 8, 3, 1, name("hw.nope"));
        assertThat(receive()).containsExactly(16, 3, 1, 2);
        send(12, 1, 2, new byte[0]); // OP_NULL: not served, answered at once
        assertThat(receive()).containsExactly(16, 1, 2, 2);
        send(12 + 8, 5, 3, name("hw.ncpu")); // OP_SET
        assertThat(receive()).containsExactly(16, 5, 3, 2);
        send(12 + 84, 3, 4, new byte[84]);
        assertThat(receive()).containsExactly(16, 3, 4, 7);
    }

    @Test
    void namesMatchAsBhyvesStrncmpDoes() {
        signature();
        // "hw.n" without a NUL, 4 bytes sent: strncmp over 4 bytes matches "hw.ncpu".
        send(12 + 4, 3, 5, "hw.n".getBytes(StandardCharsets.US_ASCII));
        assertThat(receive()).containsExactly(28, 3, 5, 0, 4, 0, 6);
        // "hw.ncpux" does not match.
        send(12 + 8, 3, 6, "hw.ncpux".getBytes(StandardCharsets.US_ASCII));
        assertThat(receive()).containsExactly(16, 3, 6, 2);
    }

    @Test
    void aTrailingPartialWordIsNotWaitedFor() {
        signature();
        // 5 data bytes: bhyve takes one word and answers; "hw.n" alone matches.
        p.outl(OUT, 12 + 5);
        p.outl(OUT, 4);
        p.outl(OUT, 7);
        p.outl(OUT, ByteBuffer.wrap("hw.n".getBytes(StandardCharsets.US_ASCII)).order(ByteOrder.LITTLE_ENDIAN).getInt());
        p.outl(OUT, 0x12345678); // ignored: a response is pending
        assertThat(receive()).containsExactly(24, 4, 7, 0, 4, 0);
    }

    @Test
    void aRestartDiscardsHalfARequestOrHalfAResponse() {
        signature();
        p.outl(OUT, 20);
        p.outl(OUT, 3);
        p.outw(OUT, 0);
        assertThat(signature()).isEqualTo("BHYV");
        send(20, 3, 8, name("hw.ncpu"));
        p.inl(IN);
        p.inl(IN);
        p.outw(OUT, 0);
        assertThat(p.inl(IN)).isEqualTo(-1);
        assertThat(signature()).isEqualTo("BHYV");
        send(20, 3, 9, name("hw.ncpu"));
        assertThat(receive()).containsExactly(28, 3, 9, 0, 4, 0, 6);
    }

    @Test
    void requestsBeforeTheHandshakeCompletesAreIgnored() {
        p.outl(OUT, 20);
        assertThat(signature()).isEqualTo("BHYV");
        send(20, 3, 1, name("hw.ncpu"));
        assertThat(receive()).containsExactly(28, 3, 1, 0, 4, 0, 6);
    }

    @Test
    void aSizeBelowTheHeaderIsLoggedAndIgnoredInsteadOfExiting() {
        signature();
        p.outl(OUT, 4);
        p.outl(OUT, 0);
        assertThat(p.logs()).hasSize(1).first().asString().contains("smaller than its 12-byte header");
        send(20, 3, 1, name("hw.ncpu"));
        assertThat(receive()).containsExactly(28, 3, 1, 0, 4, 0, 6);
    }

    @Test
    void addedNodesAreServedToo() {
        fwctl.addNode("hw.physmem", ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 32).array());
        signature();
        send(12 + 12, 3, 1, name("hw.physmem")); // 11 bytes padded to 3 words
        assertThat(receive()).containsExactly(32, 3, 1, 0, 8, 0, 0, 1);
    }

    @Test
    void resetWaitsForTheHandshakeAgain() {
        signature();
        send(20, 3, 1, name("hw.ncpu"));
        fwctl.reset();
        assertThat(p.inl(IN)).isEqualTo(-1);
        assertThat(signature()).isEqualTo("BHYV");
    }

    @Test
    void randomTrafficNeverThrowsAndHugeSizesCostNoMemory() {
        Random rnd = new Random(0xb4b5);
        int[] sizes = {1, 2, 4};
        signature();
        p.outl(OUT, -1); // announces ~4 GiB: the device must not buffer it
        for (int i = 0; i < 200_000; i++) {
            int port = OUT + rnd.nextInt(2);
            int size = sizes[rnd.nextInt(3)];
            if (rnd.nextInt(3) > 0) p.io().out(port, size, rnd.nextInt(8) == 0 ? 0 : rnd.nextInt());
            else p.io().in(port, size);
        }
        p.outw(OUT, 0);
        assertThat(signature()).isEqualTo("BHYV");
        send(20, 3, 1, name("hw.ncpu"));
        assertThat(receive()).containsExactly(28, 3, 1, 0, 4, 0, 6);
    }
}
