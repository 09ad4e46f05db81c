package org.jbhyve.bhyve.device;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ReadAheadTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void bytesComeOutInOrderAcrossPutsAndTakesOfAnySize() throws Exception {
        ReadAhead r = new ReadAhead(100);
        assertThat(r.put(bytes("xhello"), 1, 5)).isTrue();
        assertThat(r.put(bytes(", world"), 0, 7)).isTrue();
        assertThat(r.buffered()).isEqualTo(12);
        byte[] small = new byte[3];
        StringBuilder got = new StringBuilder();
        int n;
        while ((n = r.take(small, 10, TimeUnit.MILLISECONDS)) > 0) got.append(new String(small, 0, n, StandardCharsets.US_ASCII));
        assertThat(got).hasToString("hello, world");
        assertThat(n).as("nothing buffered, not ended: the wait runs out").isZero();
        assertThat(r.ended()).isFalse();
    }

    @Test
    void theEndIsSeenAtOnceButTakenOnlyAfterTheLastByte() throws Exception {
        ReadAhead r = new ReadAhead(100);
        r.put(bytes("ab"), 0, 2);
        r.end();
        assertThat(r.ended()).as("the client hung up, although the guest has not taken its bytes").isTrue();
        byte[] b = new byte[1];
        assertThat(r.take(b, 0, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(r.take(b, 0, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(r.take(b, 5, TimeUnit.SECONDS)).isEqualTo(-1);
    }

    @Test
    void aFullBufferHoldsTheReaderBackUntilTheGuestTakesSome() throws Exception {
        ReadAhead r = new ReadAhead(4);
        assertThat(r.put(bytes("abcdef"), 0, 6)).as("an empty buffer takes a read larger than it").isTrue();
        CompletableFuture<Boolean> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return r.put(bytes("g"), 0, 1);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        assertThat(blocked).as("nothing is dropped: the reader waits").isNotDone();
        byte[] b = new byte[6];
        assertThat(r.take(b, 1, TimeUnit.SECONDS)).isEqualTo(6);
        assertThat(blocked.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(r.take(b, 1, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat((char) b[0]).isEqualTo('g');
    }

    @Test
    void discardDropsEverythingAndReleasesBothSides() throws Exception {
        ReadAhead r = new ReadAhead(1);
        r.put(bytes("x"), 0, 1);
        CompletableFuture<Boolean> writer = CompletableFuture.supplyAsync(() -> {
            try {
                return r.put(bytes("y"), 0, 1);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(50);
        r.discard();
        assertThat(writer.get(5, TimeUnit.SECONDS)).as("a put waiting for room gives up").isFalse();
        assertThat(r.buffered()).isZero();
        assertThat(r.ended()).isTrue();
        assertThat(r.take(new byte[1], 5, TimeUnit.SECONDS)).isEqualTo(-1);
        assertThat(r.put(bytes("z"), 0, 1)).isFalse();
    }
}
