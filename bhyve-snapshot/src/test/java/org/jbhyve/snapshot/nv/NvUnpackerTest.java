package org.jbhyve.snapshot.nv;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The unpacker's checks one by one, on hand-assembled input. */
class NvUnpackerTest {

    private static NvException reject(byte[] b) {
        return reject(b, 0, new int[0]);
    }

    private static NvException reject(byte[] b, int flags, int[] fds) {
        NvException e = catchThrowableOfType(NvException.class, () -> NvUnpacker.unpack(b, flags, fds));
        assertThat(e).as("expected a rejection").isNotNull();
        return e;
    }

    private static String text(byte[] b) {
        return NvFormatter.format(NvUnpacker.unpack(b, 0));
    }

    @Test
    void hostileDatasizeFailsFastWithoutAllocating() {
        byte[] b = new RawNv().header(0, 0).pair(7, "b", 1L << 60, 0).put(1).bytes();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        reject(b); // the first rejection pays one-time JVM costs (string concatenation bootstrap); measure the second
        long before = mx.getThreadAllocatedBytes(tid);
        NvException e = reject(b);
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertThat(e.code()).isEqualTo(NvException.Code.EINVAL);
        assertThat(e.offset()).isEqualTo(19 + 3);
        assertThat(e.getMessage()).isEqualTo("malformed nvlist at offset 22: datasize 1152921504606846976 of pair \"b\" but 1 bytes are left");
        assertThat(allocated).isLessThan(256 * 1024);
    }

    @Test
    void hugeCountsFailFast() {
        // nitems * 8 wraps to 0 = datasize
        assertThat(reject(new RawNv().header(0, 0).pair(9, "a", 0, 1L << 61).bytes()).reason())
                .contains("number_array of 2305843009213693952 items has datasize 0");
        assertThat(reject(new RawNv().header(0, 0).pair(11, "a", 0, 1L << 62).raw(new byte[40]).bytes()).reason())
                .contains("cannot fit");
        assertThat(reject(new RawNv().header(0, 0).pair(10, "a", 2, 3).raw(new byte[2]).bytes()).reason())
                .contains("3 strings in 2 bytes");
        assertThat(reject(new RawNv().header(0, 0).pair(12, "a", 8, -1L).u64(0).bytes(), 0, new int[] {0}).reason())
                .contains("descriptor_array of 18446744073709551615 items");
    }

    @Test
    void namesAreChecked() {
        assertThat(reject(new RawNv().header(0, 0).pairRaw(1, 0, 0, 0).bytes()).reason()).contains("name size 0");
        assertThat(reject(new RawNv().header(0, 0).pairRaw(1, 2049, 0, 0).raw(new byte[2049]).bytes()).reason())
                .contains("exceeds NV_NAME_MAX");
        assertThat(reject(new RawNv().header(0, 0).pairRaw(1, 2, 0, 0).raw(new byte[] {'a', 'b'}).bytes()).reason())
                .contains("no terminating NUL");
        assertThat(reject(new RawNv().header(0, 0).pairRaw(1, 3, 0, 0).raw(new byte[] {'a', 0, 0}).bytes()).reason())
                .contains("NUL at byte 1");
        assertThat(reject(new RawNv().header(0, 0).pairRaw(1, 9, 0, 0).raw(new byte[] {'a', 0}).bytes()).reason())
                .contains("name of 9 bytes but 2 bytes are left");
        byte[] longest = new byte[2048];
        java.util.Arrays.fill(longest, 0, 2047, (byte) 'n');
        assertThat(NvUnpacker.unpack(new RawNv().header(0, 0).pairRaw(1, 2048, 0, 0).raw(longest).bytes(), 0)
                .get("n".repeat(2047)).type()).isEqualTo(NvType.NULL);
    }

    @Test
    void typesAreChecked() {
        for (int t : new int[] {0, 13, 100, 253}) {
            NvException e = reject(new RawNv().header(0, 0).pair(t, "x", 0, 0).bytes());
            assertThat(e.reason()).isEqualTo("unknown pair type " + t);
            assertThat(e.offset()).isEqualTo(19);
        }
        assertThat(reject(new RawNv().header(0, 0).pair(1, "x", 1, 0).put(0).bytes()).reason()).contains("must be 0");
        assertThat(reject(new RawNv().header(0, 0).pair(2, "x", 2, 0).put(0).put(0).bytes()).reason()).contains("must be 1");
        assertThat(reject(new RawNv().header(0, 0).pair(3, "x", 4, 0).u64(0).bytes()).reason()).contains("must be 8");
        assertThat(reject(new RawNv().header(0, 0).pair(4, "x", 0, 0).bytes()).reason()).contains("string pair with datasize 0");
        assertThat(reject(new RawNv().header(0, 0).pair(4, "x", 3, 0).raw(new byte[] {'a', 0, 0}).bytes()).reason())
                .contains("NUL at byte 1");
        assertThat(reject(new RawNv().header(0, 0).pair(5, "x", 0, 0).header(0, 0).bytes()).reason()).contains("nvlist pair with datasize 0");
        assertThat(reject(new RawNv().header(0, 0).pair(7, "x", 0, 0).bytes()).reason()).contains("binary pair with datasize 0");
        assertThat(reject(new RawNv().header(0, 0).pair(8, "x", 0, 0).bytes()).reason()).contains("nitems 0");
        assertThat(reject(new RawNv().header(0, 0).pair(8, "x", 3, 2).raw(new byte[3]).bytes()).reason()).contains("1 per item");
    }

    @Test
    void libnvLeniencesAreKept() {
        // version byte unchecked; nitems of a non-array pair ignored; bool-array bytes not range-checked
        byte[] b = new RawNv().header(0, 0).pair(2, "b", 1, 5).put(1).pair(8, "ba", 2, 2).put(2).put(0).bytes();
        b[1] = 7;
        assertThat(text(b)).isEqualTo("flags 0\nbool \"b\" true\nbool_array \"ba\" 2 raw:2 false\n");
        // an FreeBSD 12-style nvlist datasize (anything non-zero that fits) is accepted
        byte[] b12 = new RawNv().header(0, 0).pair(5, "c", 40, 0).header(0, 0).pair(2, "x", 1, 0).put(1).up().bytes();
        assertThat(text(b12)).isEqualTo("flags 0\nnvlist \"c\" 0\n  bool \"x\" true\n");
    }

    @Test
    void missingFinalUpIsAccepted() {
        byte[] b = new RawNv().header(0, 0).pair(5, "c", 19, 0).header(0, 0).pair(2, "x", 1, 0).put(1).bytes();
        assertThat(text(b)).isEqualTo("flags 0\nnvlist \"c\" 0\n  bool \"x\" true\n");
    }

    @Test
    void markersMoveAsInLibnv() {
        NvException up = reject(new RawNv().header(0, 0).up().bytes());
        assertThat(up.reason()).isEqualTo("NVLIST_UP marker in the top-level list");
        assertThat(up.offset()).isEqualTo(19);
        assertThat(reject(new RawNv().header(0, 0).next().bytes()).reason()).contains("NVLIST_ARRAY_NEXT");
        // NVLIST_ARRAY_NEXT in a plain nested list leaves it
        byte[] b = new RawNv().header(0, 0).pair(5, "c", 19, 0).header(0, 0).next().pair(2, "after", 1, 0).put(0).bytes();
        assertThat(text(b)).isEqualTo("flags 0\nnvlist \"c\" 0\nbool \"after\" false\n");
        // UP inside an array element leaves the array; elements not reached stay empty
        byte[] a = new RawNv().header(0, 0).pair(11, "arr", 0, 3).header(0, 0).pair(2, "x", 1, 0).put(1).up()
                .pair(2, "after", 1, 0).put(1).bytes();
        assertThat(text(a)).isEqualTo("flags 0\nnvlist_array \"arr\" 3\n  element 0 0\n    bool \"x\" true\n"
                + "  element 1 0\n  element 2 0\nbool \"after\" true\n");
        // a marker's datasize is not skipped
        byte[] m = new RawNv().header(0, 0).pair(5, "c", 19, 0).header(0, 0).pair(255, "", 3, 0)
                .pair(2, "y", 1, 0).put(0).bytes();
        assertThat(text(m)).isEqualTo("flags 0\nnvlist \"c\" 0\nbool \"y\" false\n");
    }

    @Test
    void arrayElementHeadersAreCheckedAndCarryFlags() {
        byte[] ok = new RawNv().header(0, 0).pair(11, "arr", 0, 2).header(1, 0).pair(2, "x", 1, 0).put(1).next()
                .header(2, 0).next().bytes();
        assertThat(text(ok)).isEqualTo("flags 0\nnvlist_array \"arr\" 2\n  element 0 1\n    bool \"x\" true\n  element 1 2\n");
        byte[] bad = new RawNv().header(0, 0).pair(11, "arr", 0, 2).header(0, 0).next().header(0, 0, 5).bytes();
        assertThat(reject(bad).reason()).contains("nvlh_size 5");
    }

    @Test
    void duplicateNamesAreEexist() {
        byte[] b = new RawNv().header(0, 0).pair(2, "a", 1, 0).put(1).pair(1, "a", 0, 0).bytes();
        NvException e = reject(b);
        assertThat(e.code()).isEqualTo(NvException.Code.EEXIST);
        assertThat(e.offset()).isEqualTo(19 + 22);
        byte[] ci = new RawNv().header(1, 0).pair(2, "a", 1, 0).put(1).pair(1, "A", 0, 0).bytes();
        assertThat(reject(ci, 1, new int[0]).code()).isEqualTo(NvException.Code.EEXIST);
        byte[] nu = new RawNv().header(2, 0).pair(2, "a", 1, 0).put(1).pair(1, "a", 0, 0).bytes();
        assertThat(NvUnpacker.unpack(nu, 2).size()).isEqualTo(2);
        // the nested list's own flags decide
        byte[] nested = new RawNv().header(0, 0).pair(5, "c", 19, 0).header(2, 0).pair(1, "a", 0, 0).pair(1, "a", 0, 0)
                .up().bytes();
        assertThat(NvUnpacker.unpack(nested, 0).getNvList("c").size()).isEqualTo(2);
    }

    @Test
    void headerFlagsAreChecked() {
        NvException bits = reject(new RawNv().header(0x04, 0).bytes());
        assertThat(bits.reason()).isEqualTo("unknown nvlist flag bits 0x4");
        assertThat(bits.offset()).isEqualTo(2);
        NvException mismatch = reject(new RawNv().header(1, 0).bytes());
        assertThat(mismatch.code()).isEqualTo(NvException.Code.EILSEQ);
        assertThat(NvUnpacker.unpack(new RawNv().header(3, 0).bytes(), 3).flags()).isEqualTo(3);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> NvUnpacker.unpack(new byte[19], 4))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void descriptorsAreChecked() {
        int[] fds = {100, 200};
        byte[] ok = new RawNv().header(0, 2).pair(6, "a", 8, 0).u64(1).pair(12, "b", 16, 2).u64(0).u64(1).bytes();
        NvList l = NvUnpacker.unpack(ok, 0, fds);
        assertThat(l.getDescriptor("a")).isEqualTo(200);
        assertThat(l.getDescriptorArray("b")).containsExactly(100, 200);
        assertThat(reject(new RawNv().header(0, 1).pair(6, "a", 8, 0).u64(-1).bytes(), 0, fds).reason())
                .contains("negative descriptor index -1");
        assertThat(reject(new RawNv().header(0, 1).pair(6, "a", 8, 0).u64(2).bytes(), 0, fds).reason())
                .contains("descriptor index 2 but 2 descriptors were received");
        assertThat(reject(new RawNv().header(0, 3).bytes(), 0, fds).reason())
                .contains("header announces 3 descriptors but 2 were received");
        // nested headers are held to the same bound
        assertThat(reject(new RawNv().header(0, 0).pair(5, "c", 19, 0).header(0, 5).up().bytes(), 0, fds).offset())
                .isEqualTo(19 + 21 + 3);
    }

    @Test
    void stringArraysAreStrict() {
        byte[] ok = new RawNv().header(0, 0).pair(10, "s", 4, 2).raw(new byte[] {'a', 0, 'b', 0}).bytes();
        assertThat(text(ok)).isEqualTo("flags 0\nstring_array \"s\" 2 \"a\" \"b\"\n");
        // libnv would take the final 'c' as the NUL and read past the data: refused
        assertThat(reject(new RawNv().header(0, 0).pair(10, "s", 4, 2).raw(new byte[] {'a', 0, 'b', 'c'}).bytes()).reason())
                .contains("string 1 of string_array \"s\" has no terminating NUL");
        assertThat(reject(new RawNv().header(0, 0).pair(10, "s", 4, 1).raw(new byte[] {'a', 0, 'b', 0}).bytes()).reason())
                .contains("has 2 bytes after its 1 strings");
    }

    @Test
    void nestingDepthIsLimited() {
        assertThat(NvUnpacker.unpack(nested(NvList.MAX_DEPTH), 0).depth()).isEqualTo(NvList.MAX_DEPTH);
        NvException e = reject(nested(NvList.MAX_DEPTH + 1));
        assertThat(e.reason()).contains("nested deeper than " + NvList.MAX_DEPTH);
        // also through nvlist arrays
        RawNv r = new RawNv().header(0, 0);
        for (int i = 0; i <= NvList.MAX_DEPTH; i++) r.pair(11, "a", 0, 1).header(0, 0);
        assertThat(reject(r.bytes()).reason()).contains("nested deeper");
    }

    private static byte[] nested(int levels) {
        RawNv r = new RawNv().header(0, 0);
        for (int i = 0; i < levels; i++) r.pair(5, "c", 19, 0).header(0, 0);
        for (int i = 0; i < levels; i++) r.up();
        return r.bytes();
    }

    @Test
    void bigEndianInputIsSwapped() {
        RawNv r = new RawNv(ByteOrder.BIG_ENDIAN).header(0x80, 0).pair(3, "n", 8, 0).u64(0x0102030405060708L)
                .pair(9, "a", 16, 2).u64(1).u64(2)
                .pair(5, "c", 19, 0).header(0x80, 0).pair(3, "m", 8, 0).u64(258).up();
        assertThat(text(r.bytes())).isEqualTo("flags 0\nnumber \"n\" 72623859790382856\nnumber_array \"a\" 2 1 2\n"
                + "nvlist \"c\" 0\n  number \"m\" 258\n");
        // the order of the pairs follows the top-level (and array element) header, not a nested one
        RawNv mixed = new RawNv(ByteOrder.BIG_ENDIAN).header(0x80, 0).pair(5, "c", 19, 0);
        byte[] le = new RawNv().header(0, 0, 29).bytes();
        byte[] rest = new RawNv(ByteOrder.BIG_ENDIAN).pair(3, "m", 8, 0).u64(258).bytes();
        byte[] all = concat(mixed.bytes(), le, rest);
        java.nio.ByteBuffer.wrap(all).putLong(11, all.length - 19);
        assertThat(text(all)).endsWith("  number \"m\" 258\n");
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) o.writeBytes(p);
        return o.toByteArray();
    }

    @Test
    void truncationAnywhereIsRejectedWithItsOffset() {
        byte[] full = NvPacker.pack(NvPackerTest.bhyvectl(true)).bytes();
        for (int n = 0; n < full.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(full, n);
            if (n >= 19) java.nio.ByteBuffer.wrap(cut).order(ByteOrder.LITTLE_ENDIAN).putLong(11, n - 19);
            NvException e = catchThrowableOfType(NvException.class, () -> NvUnpacker.unpack(cut, 0, new int[] {0}));
            if (n == 19 || n == 19 + 34 || n == 19 + 34 + 34 || n == 19 + 34 + 34 + 28) {
                assertThat(e).as("cut at a pair boundary %d", n).isNull(); // a shorter, valid list
            } else {
                assertThat(e).as("cut at %d", n).isNotNull();
                assertThat(e.offset()).isBetween(0L, (long) n);
            }
        }
    }
}
