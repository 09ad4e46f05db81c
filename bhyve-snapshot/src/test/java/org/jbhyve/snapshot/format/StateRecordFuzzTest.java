package org.jbhyve.snapshot.format;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Seeded fuzzing of the state-record decoder: random bytes and mutations of valid encodings either
 * decode (and then re-encode to exactly the same bytes: the encoding is canonical) or fail with a
 * SnapshotFormatException; nothing else, whatever the input.
 */
class StateRecordFuzzTest {
    private static final long SEED = Long.getLong("fuzz.seed", 0x5eed_2026L);

    @Test
    void randomBytes() {
        Random rnd = new Random(SEED);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[rnd.nextInt(64)];
            rnd.nextBytes(b);
            if (b.length >= 4 && rnd.nextBoolean()) { // plausible small counts reach further into the decoder
                b[0] = (byte) rnd.nextInt(4);
                b[1] = b[2] = b[3] = 0;
            }
            check(b, "random bytes #" + i);
        }
    }

    @Test
    void mutationsOfValidRecords() {
        Random rnd = new Random(SEED + 1);
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(StateRecordTest.everyType().encode());
        seeds.add(TestSnapshots.vcpuRecord(0).encode());
        seeds.add(TestSnapshots.comRecord().encode());
        seeds.add(StateRecord.EMPTY.encode());
        int decoded = 0;
        for (int i = 0; i < 30_000; i++) {
            byte[] b = seeds.get(rnd.nextInt(seeds.size())).clone();
            int mutations = 1 + rnd.nextInt(4);
            for (int m = 0; m < mutations; m++) b = mutate(b, rnd);
            if (check(b, "mutation #" + i)) decoded++;
        }
        // Single bit flips in names, values and padding-free lengths: some must still decode.
        assertThat(decoded).isPositive();
    }

    static byte[] mutate(byte[] b, Random rnd) {
        if (b.length == 0) return new byte[] {(byte) rnd.nextInt()};
        int at = rnd.nextInt(b.length);
        switch (rnd.nextInt(7)) {
            case 0 -> b[at] ^= (byte) (1 << rnd.nextInt(8));
            case 1 -> b[at] = (byte) rnd.nextInt(256);
            case 2 -> b = Arrays.copyOf(b, at); // truncate
            case 3 -> { // an interesting length: huge, zero, off by one
                if (at + 4 <= b.length) {
                    int v = switch (rnd.nextInt(4)) {
                        case 0 -> -1;
                        case 1 -> 0;
                        case 2 -> Integer.MAX_VALUE;
                        default -> (b[at] & 0xff) + 1;
                    };
                    b[at] = (byte) v;
                    b[at + 1] = (byte) (v >>> 8);
                    b[at + 2] = (byte) (v >>> 16);
                    b[at + 3] = (byte) (v >>> 24);
                }
            }
            case 4 -> { // insert a byte
                byte[] c = new byte[b.length + 1];
                System.arraycopy(b, 0, c, 0, at);
                c[at] = (byte) rnd.nextInt(256);
                System.arraycopy(b, at, c, at + 1, b.length - at);
                b = c;
            }
            case 5 -> { // delete a byte
                byte[] c = new byte[b.length - 1];
                System.arraycopy(b, 0, c, 0, at);
                System.arraycopy(b, at + 1, c, at, b.length - at - 1);
                b = c;
            }
            default -> { // duplicate a slice (repeats fields, nests lengths oddly)
                int len = rnd.nextInt(Math.min(16, b.length - at) + 1);
                byte[] c = new byte[b.length + len];
                System.arraycopy(b, 0, c, 0, at + len);
                System.arraycopy(b, at, c, at + len, b.length - at);
                b = c;
            }
        }
        return b;
    }

    /** True if {@code b} decoded; fails the test for anything thrown but SnapshotFormatException. */
    private static boolean check(byte[] b, String what) {
        StateRecord r;
        try {
            r = StateRecord.decode(b);
        } catch (SnapshotFormatException e) {
            assertThat(e.getMessage()).startsWith("at byte 0x");
            return false;
        } catch (Throwable t) {
            fail(what + " " + java.util.HexFormat.of().formatHex(b) + " threw " + t, t);
            return false;
        }
        assertThat(r.encode()).as(what).isEqualTo(b);
        r.toText();
        SnapshotInspector.fieldsJson(r);
        return true;
    }
}
