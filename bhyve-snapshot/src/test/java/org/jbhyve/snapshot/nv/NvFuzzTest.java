package org.jbhyve.snapshot.nv;

import com.sun.management.ThreadMXBean;
import org.jbhyve.snapshot.nv.LibnvVectors.Vector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded randomized tests (plain java.util.Random, fixed seeds, so every failure reproduces):
 * mutations of every valid vector either decode or are rejected with an NvException, never
 * another exception, never a hang, never an allocation out of proportion to the input; and random
 * lists survive pack → unpack unchanged.
 */
class NvFuzzTest {

    static final int MUTATIONS_PER_VECTOR = 20_000;
    static final int RANDOM_LISTS = 3_000;
    /** Allowed allocation of one unpack: this many bytes per input byte, plus {@link #ALLOCATION_SLACK}. */
    static final long ALLOCATION_FACTOR = 16;
    /** Room for the exception (message, stack trace) and small fixed costs. */
    static final long ALLOCATION_SLACK = 16 * 1024;

    private static final ThreadMXBean MX = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    static List<Vector> valid() {
        return LibnvVectors.valid();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void mutatedVectorsDecodeOrAreRejected(Vector v) {
        long seed = 0x6e766c6973740000L ^ v.name().hashCode();
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            Random r = new Random(seed);
            int rejected = 0;
            for (int i = 0; i < MUTATIONS_PER_VECTOR; i++) {
                byte[] input = NvMutations.mutate(v.bytes(), r);
                int[] fds = LibnvVectors.identityFds(r.nextInt(4) == 0 ? r.nextInt(4) : v.descriptors());
                if (!unpackChecked(input, v.flags(), fds, "vector " + v.name() + ", seed " + seed + ", mutation " + i)) {
                    rejected++;
                }
            }
            // the mutations must mostly hit the checks, not slip past them
            assertThat(rejected).isGreaterThan(MUTATIONS_PER_VECTOR / 2);
        });
    }

    @Test
    void randomBytesBehindAPlausibleHeader() {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            Random r = new Random(20260101);
            for (int i = 0; i < 50_000; i++) {
                byte[] b = new byte[19 + r.nextInt(200)];
                r.nextBytes(b);
                b[0] = 0x6c;
                b[2] = (byte) (r.nextBoolean() ? 0 : b[2] & 0x83);
                ByteBuffer.wrap(b).order((b[2] & 0x80) != 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN)
                        .putLong(11, b.length - 19).putLong(3, r.nextInt(3));
                if (b.length > 19 && r.nextBoolean()) b[19] = (byte) (1 + r.nextInt(12));
                unpackChecked(b, b[2] & 3, LibnvVectors.identityFds(2), "random input " + i);
            }
        });
    }

    /**
     * Unpacks one input under the fuzz contract; returns whether it was accepted. An accepted list
     * must pack and unpack back to itself.
     */
    private static boolean unpackChecked(byte[] input, int flags, int[] fds, String what) {
        NvList list;
        try {
            list = NvUnpacker.unpack(input, flags, fds);
        } catch (NvException e) {
            if (e.offset() < 0 || e.offset() > input.length || e.reason() == null || e.reason().isEmpty()) {
                fail(what + ": rejection without a usable offset or reason: " + e + "\ninput " + hex(input), e);
            }
            checkAllocation(input, flags, fds, what);
            return false;
        } catch (Throwable t) {
            fail(what + ": unpack threw " + t + " instead of NvException\ninput " + hex(input), t);
            return false;
        }
        checkAllocation(input, flags, fds, what);
        try {
            NvPacker.Packed p = NvPacker.pack(list);
            assertThat(NvUnpacker.unpack(p.bytes(), list.flags(), p.descriptors())).isEqualTo(list);
        } catch (Throwable t) {
            fail(what + ": accepted list did not round-trip\ninput " + hex(input), t);
        }
        return true;
    }

    /**
     * Unpacks the input again and measures what that allocates. The first unpack of an input may pay
     * one-time JVM costs (class loading, string-concatenation bootstraps on a new error path), so the
     * measurement is of the second.
     */
    private static void checkAllocation(byte[] input, int flags, int[] fds, String what) {
        long tid = Thread.currentThread().threadId();
        long before = MX.getThreadAllocatedBytes(tid);
        try {
            NvUnpacker.unpack(input, flags, fds);
        } catch (NvException expected) {
            // measured either way
        }
        long allocated = MX.getThreadAllocatedBytes(tid) - before;
        long bound = ALLOCATION_FACTOR * input.length + ALLOCATION_SLACK;
        if (allocated > bound) {
            fail(what + ": unpacking " + input.length + " bytes allocated " + allocated + " bytes (bound " + bound
                    + ")\ninput " + hex(input));
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** Large inputs built to make the decoder allocate: the cost must stay proportional. */
    @Test
    void allocationStaysProportionalOnLargeHostileInputs() {
        int size = 1 << 20;
        // an nvlist array announcing as many elements as the bytes can hold; the first holds the rest
        // of the buffer, the others are never reached and become empty lists
        RawNv arr = new RawNv().header(0, 0).pair(11, "a", 0, (size - 100) / 19).header(2, 0);
        for (int i = 0; 59 + (i + 1) * 21 <= size; i++) arr.pair(1, "x", 0, 0);
        byte[] a = arr.bytes();
        assertThat(NvUnpacker.unpack(a, 0).getNvListArray("a")).hasSize((size - 100) / 19);
        // a list of many tiny null pairs with distinct names (index and uniqueness bookkeeping)
        RawNv many = new RawNv().header(0, 0);
        for (int i = 0; (i + 1) * 24 + 19 <= size; i++) many.pair(1, String.format("%04x", i & 0xffff), 0, 0);
        byte[] m = many.bytes();
        // the same in a NO_UNIQUE list where every name is equal
        RawNv same = new RawNv().header(2, 0);
        for (int i = 0; (i + 1) * 21 + 19 <= size; i++) same.pair(1, "x", 0, 0);
        byte[] s = same.bytes();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            unpackChecked(a, 0, new int[0], "huge nvlist array");
            unpackChecked(s, 2, new int[0], "many equal names");
            // duplicates in a unique list are found at once, whatever the size
            unpackChecked(m, 0, new int[0], "many distinct names");
        });
    }

    // ---- round trips of random lists ------------------------------------------------------------

    @Test
    void randomListsRoundTrip() {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            Random r = new Random(0x5eed_0001L);
            for (int i = 0; i < RANDOM_LISTS; i++) {
                NvList list = RandomLists.list(r, 0, 4);
                String what = "random list " + i;
                NvPacker.Packed p = NvPacker.pack(list);
                assertThat(p.bytes()).as(what).hasSize((int) NvPacker.packedSize(list));
                assertThat(p.descriptors()).as(what).isEqualTo(list.descriptors());
                NvList back = NvUnpacker.unpack(p.bytes(), list.flags(), p.descriptors());
                assertThat(back).as(what).isEqualTo(list);
                assertThat(NvFormatter.format(back)).as(what).isEqualTo(NvFormatter.format(list));
                assertThat(NvPacker.pack(back).bytes()).as(what).isEqualTo(p.bytes());
                NvPacker.Packed be = NvPacker.pack(list, ByteOrder.BIG_ENDIAN);
                assertThat(NvUnpacker.unpack(be.bytes(), list.flags(), be.descriptors())).as(what + " big-endian").isEqualTo(list);
            }
        });
    }

    @Test
    void deepRandomListsRoundTrip() {
        Random r = new Random(0x5eed_0002L);
        for (int i = 0; i < 20; i++) {
            NvList l = RandomLists.list(r, 0, 2);
            int levels = NvList.MAX_DEPTH - l.depth();
            for (int d = 0; d < levels; d++) {
                l = r.nextBoolean() ? new NvList().addNvList("c" + d, l) : new NvList().addNvListArray("a", new NvList(), l);
            }
            assertThat(l.depth()).isEqualTo(NvList.MAX_DEPTH);
            NvPacker.Packed p = NvPacker.pack(l);
            assertThat(NvUnpacker.unpack(p.bytes(), 0, p.descriptors())).isEqualTo(l);
        }
    }
}
