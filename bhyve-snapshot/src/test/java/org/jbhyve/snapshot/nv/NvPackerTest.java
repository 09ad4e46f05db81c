package org.jbhyve.snapshot.nv;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Lists built with the API pack to exactly the bytes FreeBSD's libnv produced. */
class NvPackerTest {

    private static final Map<String, LibnvVectors.Vector> VECTORS = LibnvVectors.valid().stream()
            .collect(Collectors.toMap(LibnvVectors.Vector::name, Function.identity()));

    private static byte[] vector(String name) {
        LibnvVectors.Vector v = VECTORS.get(name);
        assertThat(v).as("vector %s in MANIFEST.txt", name).isNotNull();
        return v.bytes();
    }

    /** What bhyvectl --checkpoint/--suspend builds (reference 1b), with the directory fd 9. */
    static NvList bhyvectl(boolean suspend) {
        return new NvList()
                .addString("cmd", "checkpoint")
                .addString("filename", "snap1")
                .add("suspend", suspend)
                .addDescriptor("fddir", 9);
    }

    @Test
    void bhyvectlCheckpointMessage() {
        NvPacker.Packed suspend = NvPacker.pack(bhyvectl(true));
        assertThat(suspend.bytes()).isEqualTo(vector("bhyvectl_checkpoint_suspend"));
        assertThat(suspend.descriptors()).containsExactly(9);
        assertThat(NvPacker.pack(bhyvectl(false)).bytes()).isEqualTo(vector("bhyvectl_checkpoint_nosuspend"));
    }

    @Test
    void simpleVectors() {
        assertThat(NvPacker.packWithoutDescriptors(new NvList())).isEqualTo(vector("empty"));
        assertThat(NvPacker.packWithoutDescriptors(new NvList().add("b", true))).isEqualTo(vector("bool_true"));
        assertThat(NvPacker.packWithoutDescriptors(new NvList().add("s", "checkpoint"))).isEqualTo(vector("string_checkpoint"));
    }

    @Test
    void allTypes() {
        NvList l = new NvList()
                .addNull("null")
                .add("bool", true)
                .addNumber("number", 1234567890123L)
                .addString("string", "str")
                .addNvList("nvlist", new NvList().addString("inner", "x"))
                .addBinary("binary", new byte[] {1, 2, 3})
                .addBoolArray("bool_array", false, true)
                .addNumberArray("number_array", 5, 6)
                .addStringArray("string_array", "a", "b");
        assertThat(NvPacker.pack(l).bytes()).isEqualTo(vector("all_types"));
    }

    @Test
    void nestedListWithPairsBeforeAndAfter() {
        NvList l = new NvList()
                .addString("before", "b")
                .addNvList("child", new NvList().addNumber("x", 42).addString("y", "inner"))
                .add("after", true);
        assertThat(NvPacker.pack(l).bytes()).isEqualTo(vector("nested_1"));
    }

    @Test
    void nvlistArrayFollowedByAPair() {
        NvList l = new NvList()
                .addNvListArray("arr", new NvList().addNumber("i", 0).addString("s", "first"), new NvList().addNumber("i", 1))
                .add("after", false);
        assertThat(NvPacker.pack(l).bytes()).isEqualTo(vector("nvlist_array_2"));
    }

    /**
     * FORMAT.txt: a nested header's nvlh_descriptors counts descriptors from that sub-list to the end
     * of the traversal, so a child without descriptors followed by one in the parent says 1.
     */
    @Test
    void nestedHeaderCountsDescriptorsToTheEnd() {
        NvList l = new NvList()
                .addNvList("child", new NvList().add("x", 1L))
                .addDescriptor("fd", 5);
        NvPacker.Packed p = NvPacker.pack(l);
        ByteBuffer b = ByteBuffer.wrap(p.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        int child = 19 + 19 + "child".length() + 1;
        assertThat(b.get(child)).isEqualTo((byte) 0x6c);
        assertThat(b.getLong(3)).isEqualTo(1);
        assertThat(b.getLong(child + 3)).isEqualTo(1);
        assertThat(b.getLong(child + 11)).isEqualTo(p.bytes().length - child - 19);
        assertThat(p.descriptors()).containsExactly(5);
        // a descriptor before the child is not counted in the child's header
        NvList before = new NvList().addDescriptor("fd", 5).addNvList("child", new NvList().add("x", 1L));
        byte[] bb = NvPacker.pack(before).bytes();
        int child2 = 19 + 19 + 3 + 8 + 19 + 6;
        assertThat(bb[child2]).isEqualTo((byte) 0x6c);
        assertThat(ByteBuffer.wrap(bb).order(ByteOrder.LITTLE_ENDIAN).getLong(child2 + 3)).isZero();
    }

    /** The FreeBSD 13+ datasize of a nested list: the child's own packed size, grandchildren included. */
    @Test
    void nestedDatasizeIsTheChildsOwnPackedSize() {
        NvList grandchild = new NvList().add("g", true);
        NvList child = new NvList().addNvList("gc", grandchild).add("z", 7L);
        NvList top = new NvList().addNvList("c", child).add("after", "x");
        byte[] b = NvPacker.pack(top).bytes();
        long datasize = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(19 + 3);
        assertThat(datasize).isEqualTo(NvPacker.pack(child).bytes().length);
        assertThat(datasize).isEqualTo(NvPacker.packedSize(child));
        // the child's own bytes, minus the headers' sizes, appear verbatim
        assertThat(NvUnpacker.unpack(b, 0)).isEqualTo(top);
    }

    @Test
    void bigEndianPackingSetsTheFlagEverywhereAndUnpacks() {
        NvList l = new NvList(NvList.NO_UNIQUE).addNumber("n", 0x0102030405060708L)
                .addNvList("c", new NvList().addNumberArray("a", 1, 2).addStringArray("s", "x"))
                .addNvListArray("arr", new NvList().addDescriptor("d", 3), new NvList(NvList.IGNORE_CASE))
                .addDescriptorArray("da", 4, 5);
        NvPacker.Packed be = NvPacker.pack(l, ByteOrder.BIG_ENDIAN);
        assertThat(be.bytes()[2]).isEqualTo((byte) 0x82);
        assertThat(be.bytes()).hasSize(NvPacker.pack(l).bytes().length);
        NvList back = NvUnpacker.unpack(be.bytes(), NvList.NO_UNIQUE, be.descriptors());
        assertThat(back).isEqualTo(l);
        assertThat(be.descriptors()).containsExactly(3, 4, 5);
    }

    @Test
    void emptyChildIsHeaderThenUp() {
        byte[] b = NvPacker.pack(new NvList().addNvList("c", new NvList())).bytes();
        assertThat(b).hasSize(19 + 19 + 2 + 19 + 20);
        assertThat(b[19 + 19 + 2 + 19] & 0xff).isEqualTo(255);
        assertThat(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(19 + 3)).isEqualTo(19);
    }
}
