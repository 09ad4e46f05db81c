package org.jbhyve.snapshot.nv;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class NvListTest {

    private static NvList checkpoint() {
        return new NvList()
                .addString("cmd", "checkpoint")
                .addString("filename", "snap1")
                .add("suspend", true)
                .addDescriptor("fddir", 7);
    }

    @Test
    void typedGettersReturnTheValues() {
        NvList l = checkpoint().addNumber("n", -1L).addNull("z").addBinary("b", new byte[] {1, 2})
                .addBoolArray("ba", true, false).addNumberArray("na", 1, 2, 3).addStringArray("sa", "x", "")
                .addDescriptorArray("da", 3, 4).addNvList("child", new NvList().add("x", 1L))
                .addNvListArray("arr", new NvList(), new NvList(NvList.IGNORE_CASE).add("y", "z"));
        assertThat(l.getString("cmd")).isEqualTo("checkpoint");
        assertThat(l.getBool("suspend")).isTrue();
        assertThat(l.getDescriptor("fddir")).isEqualTo(7);
        assertThat(Long.toUnsignedString(l.getNumber("n"))).isEqualTo("18446744073709551615");
        assertThat(l.get("z").type()).isEqualTo(NvType.NULL);
        assertThat(l.getBinary("b")).containsExactly(1, 2);
        assertThat(l.getBoolArray("ba")).containsExactly(true, false);
        assertThat(l.getNumberArray("na")).containsExactly(1, 2, 3);
        assertThat(l.getStringArray("sa")).containsExactly("x", "");
        assertThat(l.getDescriptorArray("da")).containsExactly(3, 4);
        assertThat(l.getNvList("child").getNumber("x")).isEqualTo(1);
        assertThat(l.getNvListArray("arr")).hasSize(2);
        assertThat(l.getNvListArray("arr").get(1).flags()).isEqualTo(NvList.IGNORE_CASE);
        assertThat(l.descriptors()).containsExactly(7, 3, 4);
        assertThat(l.depth()).isEqualTo(1);
    }

    @Test
    void missingPairNamesThePairAndTheExpectedType() {
        NvException e = catchThrowableOfType(NvException.class, () -> new NvList().getString("cmd"));
        assertThat(e.code()).isEqualTo(NvException.Code.ENOENT);
        assertThat(e.getMessage()).isEqualTo("nvlist has no pair \"cmd\" (expected a string)");
        assertThat(e.offset()).isEqualTo(-1);
    }

    @Test
    void mistypedPairNamesBothTypes() {
        NvList l = new NvList().addNumber("cmd", 3);
        assertThatThrownBy(() -> l.getString("cmd")).isInstanceOf(NvException.class)
                .hasMessage("nvlist pair \"cmd\" is a number, expected a string");
        assertThatThrownBy(() -> l.getNvList("cmd")).hasMessage("nvlist pair \"cmd\" is a number, expected an nvlist");
        assertThatThrownBy(() -> l.get("cmd").boolValue()).hasMessage("nvlist pair \"cmd\" is a number, not a bool");
        assertThatThrownBy(() -> l.get("nope")).hasMessage("nvlist has no pair named \"nope\"");
    }

    @Test
    void defaultsOnlyWhenThePairIsAbsent() {
        NvList l = new NvList().addNumber("n", 5);
        assertThat(l.getBool("suspend", false)).isFalse();
        assertThat(l.getNumber("n", 9)).isEqualTo(5);
        assertThat(l.getString("s", "d")).isEqualTo("d");
        assertThatThrownBy(() -> l.getString("n", "d")).isInstanceOf(NvException.class);
    }

    @Test
    void duplicateNamesAreEexistUnlessNoUnique() {
        NvList l = new NvList().add("a", true);
        NvException e = catchThrowableOfType(NvException.class, () -> l.add("a", 1L));
        assertThat(e.code()).isEqualTo(NvException.Code.EEXIST);
        assertThat(e.getMessage()).contains("\"a\"");
        assertThat(l.size()).isEqualTo(1);

        NvList dup = new NvList(NvList.NO_UNIQUE).add("a", true).add("a", 1L).add("a", false);
        assertThat(dup.size()).isEqualTo(3);
        assertThat(dup.getBool("a")).isTrue();
        assertThat(dup.getNumber("a")).isEqualTo(1);
        assertThat(dup.get("a").type()).isEqualTo(NvType.BOOL);
    }

    @Test
    void ignoreCaseAppliesToLookupAndUniqueness() {
        NvList l = new NvList(NvList.IGNORE_CASE).addString("Cmd", "x");
        assertThat(l.getString("cMD")).isEqualTo("x");
        assertThatThrownBy(() -> l.add("CMD", true)).isInstanceOf(NvException.class)
                .hasMessageContaining("ignore case");
        NvList strict = new NvList().addString("Cmd", "x").addString("cmd", "y");
        assertThat(strict.getString("cmd")).isEqualTo("y");
        assertThat(strict.exists("CMD")).isFalse();
        // only ASCII letters fold, as strcasecmp in the C locale
        NvList utf = new NvList(NvList.IGNORE_CASE).add("é", true).add("É", true);
        assertThat(utf.size()).isEqualTo(2);
    }

    @Test
    void largeListsUseTheIndexWithTheSameRules() {
        NvList l = new NvList(NvList.IGNORE_CASE | NvList.NO_UNIQUE);
        for (int i = 0; i < 100; i++) l.addNumber("k" + i, i);
        l.add("K5", true);
        assertThat(l.getNumber("K5")).isEqualTo(5);
        assertThat(l.getBool("k5")).isTrue();
        NvList u = new NvList(NvList.IGNORE_CASE);
        for (int i = 0; i < 100; i++) u.addNumber("k" + i, i);
        assertThatThrownBy(() -> u.add("K99", 1L)).isInstanceOf(NvException.class);
        assertThat(u.exists("K42", NvType.NUMBER)).isTrue();
        assertThat(u.exists("K42", NvType.STRING)).isFalse();
    }

    @Test
    void namesAreCheckedLikeLibnv() {
        String max = "n".repeat(NvList.NAME_MAX - 1);
        assertThat(new NvList().add(max, true).size()).isEqualTo(1);
        NvException e = catchThrowableOfType(NvException.class, () -> new NvList().add(max + "n", true));
        assertThat(e.code()).isEqualTo(NvException.Code.ENAMETOOLONG);
        assertThatThrownBy(() -> new NvList().add("a\0b", true)).hasMessageContaining("NUL");
        assertThat(new NvList().add("", true).getBool("")).isTrue();
    }

    @Test
    void valuesAreCheckedLikeLibnv() {
        assertThatThrownBy(() -> new NvList().addString("s", "a\0")).hasMessageContaining("NUL");
        assertThatThrownBy(() -> new NvList().addBinary("b", new byte[0])).hasMessageContaining("empty");
        assertThatThrownBy(() -> new NvList().addNumberArray("a")).hasMessageContaining("empty");
        assertThatThrownBy(() -> new NvList().addStringArray("a", "x", "y\0")).hasMessageContaining("element 1");
        assertThatThrownBy(() -> new NvList().addDescriptor("fd", -1)).hasMessageContaining("negative");
        assertThatThrownBy(() -> new NvList(4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nestedListsAreReadOnlySnapshots() {
        NvList child = new NvList().add("x", 1L);
        NvList parent = new NvList().addNvList("child", child);
        child.add("y", 2L);
        assertThat(parent.getNvList("child").size()).isEqualTo(1);
        assertThat(child.isReadOnly()).isFalse();
        NvList nested = parent.getNvList("child");
        assertThat(nested.isReadOnly()).isTrue();
        assertThatThrownBy(() -> nested.add("z", 3L)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("copy()");
        NvList copy = nested.copy().add("z", 3L);
        assertThat(copy.size()).isEqualTo(2);
        assertThat(parent.getNvList("child").size()).isEqualTo(1);
        // a list can be added to itself: the snapshot is taken first
        NvList self = new NvList().add("a", true);
        self.addNvList("me", self);
        assertThat(self.getNvList("me").size()).isEqualTo(1);
    }

    @Test
    void nestingIsLimited() {
        NvList l = new NvList();
        for (int i = 0; i < NvList.MAX_DEPTH; i++) l = new NvList().addNvList("c", l);
        assertThat(l.depth()).isEqualTo(NvList.MAX_DEPTH);
        NvList deepest = l;
        assertThatThrownBy(() -> new NvList().addNvList("c", deepest)).isInstanceOf(NvException.class)
                .hasMessageContaining("limit is " + NvList.MAX_DEPTH);
        assertThatThrownBy(() -> new NvList().addNvListArray("c", new NvList(), deepest))
                .isInstanceOf(NvException.class);
    }

    @Test
    void equalityIsFlagsAndPairsInOrder() {
        assertThat(checkpoint()).isEqualTo(checkpoint()).hasSameHashCodeAs(checkpoint());
        assertThat(checkpoint().freeze()).isEqualTo(checkpoint());
        assertThat(new NvList().add("a", true).add("b", true)).isNotEqualTo(new NvList().add("b", true).add("a", true));
        assertThat(new NvList(NvList.NO_UNIQUE)).isNotEqualTo(new NvList());
    }

    @Test
    void stringsAreUtf8AndBytesAreKept() {
        NvList l = new NvList().addString("s", "héllo").addString("raw", new byte[] {(byte) 0xff, 'a'});
        assertThat(l.getStringBytes("s")).isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
        assertThat(l.getStringBytes("raw")).containsExactly(0xff, 'a');
        assertThat(l.toString()).isEqualTo("flags 0\nstring \"s\" \"h\\xc3\\xa9llo\"\nstring \"raw\" \"\\xffa\"\n");
        assertThat(l.get("s").toString()).isEqualTo("string \"s\" \"h\\xc3\\xa9llo\"");
    }

    @Test
    void formatterCoversEveryType() {
        NvList l = new NvList(NvList.NO_UNIQUE).addNull("q\"\\").addNumber("n", 1)
                .addDescriptorArray("d", 0, 1)
                .addNvList("c", new NvList(NvList.IGNORE_CASE).addNvList("g", new NvList().add("x", true)))
                .addNvListArray("a", List.of(new NvList().add("i", 0L), new NvList()));
        assertThat(NvFormatter.format(l)).isEqualTo("""
                flags 2
                null "q\\"\\\\"
                number "n" 1
                descriptor_array "d" 2 0 1
                nvlist "c" 1
                  nvlist "g" 0
                    bool "x" true
                nvlist_array "a" 2
                  element 0 0
                    number "i" 0
                  element 1 0
                """);
    }
}
