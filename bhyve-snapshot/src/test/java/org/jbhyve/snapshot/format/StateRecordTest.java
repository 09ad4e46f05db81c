package org.jbhyve.snapshot.format;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** State records: every type round trips, the exact bytes match the spec, lookups by name, defaults, errors. */
class StateRecordTest {

    static StateRecord everyType() {
        StateRecord inner = StateRecord.builder().putU16("port", 0x3f8).putString("label", "com1").build();
        StateRecord deep = inner;
        for (int i = 0; i < 10; i++) deep = StateRecord.builder().putRecord("next", deep).putU8("level", i).build();
        return StateRecord.builder()
                .putU8("u8_min", 0).putU8("u8_max", 255)
                .putU16("u16_max", 65535)
                .putU32("u32_max", 0xffff_ffffL)
                .putU64("u64_max", -1L).putU64("u64_high_bit", Long.MIN_VALUE)
                .putI64("i64_min", Long.MIN_VALUE).putI64("i64_neg", -42)
                .putBool("yes", true).putBool("no", false)
                .putBytes("blob", new byte[] {0, 1, 2, (byte) 0xff})
                .putBytes("empty_blob", new byte[0])
                .putString("text", "héllo, wörld ✓ \uD83D\uDE00")
                .putString("empty_text", "")
                .putU64Array("array", 0, 1, -1, Long.MAX_VALUE)
                .putU64Array("empty_array")
                .putRecord("inner", inner)
                .putRecord("empty_record", StateRecord.EMPTY)
                .putRecords("list", List.of(inner, StateRecord.EMPTY, inner))
                .putRecords("empty_list", List.of())
                .putRecord("deep", deep)
                .build();
    }

    @Test
    void everyTypeRoundTrips() throws Exception {
        StateRecord r = everyType();
        byte[] bytes = r.encode();
        StateRecord back = StateRecord.decode(bytes);
        assertThat(back).isEqualTo(r);
        assertThat(back.encode()).isEqualTo(bytes);
        assertThat(back.u8("u8_max")).isEqualTo(255);
        assertThat(back.u16("u16_max")).isEqualTo(65535);
        assertThat(back.u32("u32_max")).isEqualTo(0xffff_ffffL);
        assertThat(back.u64("u64_max")).isEqualTo(-1L);
        assertThat(back.i64("i64_min")).isEqualTo(Long.MIN_VALUE);
        assertThat(back.bool("yes")).isTrue();
        assertThat(back.bool("no")).isFalse();
        assertThat(back.bytes("blob")).containsExactly(0, 1, 2, 0xff);
        assertThat(back.string("text")).isEqualTo("héllo, wörld ✓ \uD83D\uDE00");
        assertThat(back.u64Array("array")).containsExactly(0, 1, -1, Long.MAX_VALUE);
        assertThat(back.record("inner").u16("port")).isEqualTo(0x3f8);
        assertThat(back.records("list")).hasSize(3);
        assertThat(back.records("list").get(1)).isEqualTo(StateRecord.EMPTY);
        StateRecord d = back.record("deep");
        for (int i = 9; i > 0; i--) {
            assertThat(d.u8("level")).isEqualTo(i);
            d = d.record("next");
        }
        assertThat(back.fields().stream().map(StateRecord.Field::name)).startsWith("u8_min", "u8_max", "u16_max");
    }

    @Test
    void bytesAreExactlyWhatTheSpecSays() throws Exception {
        // The worked example in docs/snapshot-format.md, "State records".
        StateRecord r = StateRecord.builder()
                .putU8("ier", 1)
                .putU64("tsc", 0x0102030405060708L)
                .putBool("thre", true)
                .putString("id", "ab")
                .putRecords("q", List.of(StateRecord.builder().putU16("n", 7).build()))
                .build();
        String hex = HexFormat.of().formatHex(r.encode());
        assertThat(hex).isEqualTo(
                "05000000"                                   // 5 fields
                + "01" + "03" + "696572" + "01000000" + "01"  // u8 "ier" = 1
                + "04" + "03" + "747363" + "08000000" + "0807060504030201" // u64 "tsc"
                + "06" + "04" + "74687265" + "01000000" + "01" // bool "thre" = true
                + "08" + "02" + "6964" + "02000000" + "6162"  // string "id" = "ab"
                + "0b" + "01" + "71" + "15000000"             // record[] "q", 21 bytes:
                + "01000000" + "0d000000"                     //   1 record of 13 bytes:
                + "01000000" + "02" + "01" + "6e" + "02000000" + "0700"); //   1 field, u16 "n" = 7
        assertThat(StateRecord.decode(HexFormat.of().parseHex(hex))).isEqualTo(r);
    }

    @Test
    void lookupsAreByNameWithDefaultsForMissingFields() throws Exception {
        StateRecord v1 = StateRecord.builder().putU8("lcr", 3).putU8("extra_from_newer_version", 9).build();
        StateRecord r = StateRecord.decode(v1.encode());
        assertThat(r.u8("lcr")).isEqualTo(3);
        assertThat(r.u8("mcr", 0x08)).isEqualTo(0x08);
        assertThat(r.bool("loopback", false)).isFalse();
        assertThat(r.bytes("fifo", new byte[0])).isEmpty();
        assertThat(r.records("queues", List.of())).isEmpty();
        assertThat(r.has("extra_from_newer_version")).isTrue(); // present, simply never asked for
        assertThatThrownBy(() -> r.u8("mcr"))
                .isInstanceOf(SnapshotFormatException.class)
                .hasMessage("state record has no field 'mcr' (u8)");
    }

    @Test
    void aFieldOfTheWrongTypeIsAnErrorEvenWithADefault() {
        StateRecord r = StateRecord.builder().putU32("count", 5).build();
        assertThatThrownBy(() -> r.u64("count", 0)).hasMessage("state record field 'count' is u32, not u64");
    }

    @Test
    void decodedRecordsNameTheirChunkInErrors() throws Exception {
        StateRecord r = StateCodec.decode(vcpu().encode(), 0, vcpu().encode().length, "snapshot /x: chunk 'vcpu' instance 1");
        assertThatThrownBy(() -> r.u64("rflags")).hasMessage("snapshot /x: chunk 'vcpu' instance 1 has no field 'rflags' (u64)");
        assertThatThrownBy(() -> r.records("msrs").get(0).u64("index"))
                .hasMessage("snapshot /x: chunk 'vcpu' instance 1, field 'msrs'[0] field 'index' is u32, not u64");
    }

    private static StateRecord vcpu() {
        return StateRecord.builder().putU64("rip", 1)
                .putRecords("msrs", List.of(StateRecord.builder().putU32("index", 0x10).build())).build();
    }

    @Test
    void unknownTypeTagsAreKeptAndSkippedByLookups() throws Exception {
        // u8 "a" = 1, then a field of tag 0x42 (not defined in format 1.0) named "z" with 3 bytes.
        byte[] bytes = HexFormat.of().parseHex("02000000" + "01016101000000" + "01" + "42017a03000000" + "aabbcc");
        StateRecord r = StateRecord.decode(bytes);
        assertThat(r.u8("a")).isEqualTo(1);
        StateRecord.Field z = r.field("z").orElseThrow();
        assertThat(z.type()).isEqualTo(FieldType.UNKNOWN);
        assertThat(z.tag()).isEqualTo(0x42);
        assertThat(r.encode()).isEqualTo(bytes); // written back unchanged
        assertThatThrownBy(() -> r.bytes("z")).hasMessageContaining("of a type this jbhyve does not know (tag 0x42)");
        assertThat(r.toText()).contains("z: unknown(0x42) = aabbcc (3 bytes)");
    }

    @Test
    void builderChecksRangesAndNamesAndReplacesInPlace() {
        assertThatThrownBy(() -> StateRecord.builder().putU8("x", 256)).hasMessageContaining("out of range 0..255");
        assertThatThrownBy(() -> StateRecord.builder().putU16("x", -1)).hasMessageContaining("out of range");
        assertThatThrownBy(() -> StateRecord.builder().putU32("x", 1L << 32)).hasMessageContaining("out of range");
        assertThatThrownBy(() -> StateRecord.builder().putU8("", 1)).hasMessageContaining("invalid field name");
        assertThatThrownBy(() -> StateRecord.builder().putU8("a b", 1)).hasMessageContaining("invalid field name");
        assertThatThrownBy(() -> StateRecord.builder().putU8("x".repeat(256), 1)).hasMessageContaining("invalid field name");

        StateRecord r = StateRecord.builder().putU8("a", 1).putU8("b", 2).putU8("c", 3).build();
        StateRecord changed = r.toBuilder().putU32("b", 20).remove("c").rename("a", "alpha").putBool("d", true).build();
        assertThat(changed.fields().stream().map(StateRecord.Field::name)).containsExactly("alpha", "b", "d");
        assertThat(changed.field("b").orElseThrow().type()).isEqualTo(FieldType.U32);
        assertThat(r.size()).isEqualTo(3); // the original is immutable
    }

    @Test
    void arraysAreCopiedInAndOut() throws Exception {
        byte[] b = {1, 2, 3};
        StateRecord r = StateRecord.builder().putBytes("b", b).build();
        b[0] = 9;
        assertThat(r.bytes("b")).containsExactly(1, 2, 3);
        r.bytes("b")[1] = 9;
        assertThat(r.bytes("b")).containsExactly(1, 2, 3);
    }

    @Test
    void malformedInputGivesOneClearError() {
        assertDecodeError("", "at byte 0x0: a record needs at least 4 bytes (its field count), only 0 left");
        assertDecodeError("01000000", "at byte 0x4: the record says it has 1 fields but ends after 0");
        assertDecodeError("01000000" + "00016101000000" + "01", "at byte 0x4: field 0 has type tag 0, which is never valid");
        assertDecodeError("01000000" + "01006101000000" + "01", "at byte 0x4: field 0 has an empty name");
        assertDecodeError("01000000" + "01016102000000" + "0102", "at byte 0x4: field 'a' (u8) has 2 bytes, not 1");
        assertDecodeError("01000000" + "01016109000000" + "01", "at byte 0x4: field 'a' has a value of 9 bytes but only 1 are left in the record");
        assertDecodeError("01000000" + "06016101000000" + "02", "at byte 0x4: bool field 'a' is 2, not 0 or 1");
        assertDecodeError("01000000" + "08016102000000" + "c328", "at byte 0x4: string field 'a' is not valid UTF-8");
        assertDecodeError("01000000" + "09016103000000" + "010203", "at byte 0x4: u64[] field 'a' has 3 bytes, not a multiple of 8");
        assertDecodeError("02000000" + "01016101000000" + "01" + "01016101000000" + "02", "at byte 0xc: field 'a' appears twice");
        assertDecodeError("00000000" + "ff", "at byte 0x4: 1 bytes follow the last of the record's 0 fields");
        assertDecodeError("01000000" + "0101200100000001", "at byte 0x4: field 0 has an invalid name \" \" (allowed: A-Z a-z 0-9 _ . -)");
        assertDecodeError("01000000" + "0b016104000000" + "02000000",
                "at byte 0xf: record[] field 'a' says it has 2 records but ends after 0");
        assertDecodeError("01000000" + "0b016108000000" + "0100000004000000",
                "at byte 0xf: record 0 of field 'a' has 4 bytes but only 0 are left");
    }

    private static void assertDecodeError(String hex, String message) {
        assertThatThrownBy(() -> StateRecord.decode(HexFormat.of().parseHex(hex)))
                .isInstanceOf(SnapshotFormatException.class)
                .hasMessage(message);
    }

    @Test
    void nestingIsBounded() {
        StateRecord r = StateRecord.EMPTY;
        for (int i = 0; i <= StateCodec.MAX_DEPTH; i++) r = StateRecord.builder().putRecord("r", r).build();
        byte[] tooDeep = r.encode();
        assertThatThrownBy(() -> StateRecord.decode(tooDeep)).hasMessageContaining("nest deeper than 32 levels");
        StateRecord ok = StateRecord.EMPTY;
        for (int i = 0; i < StateCodec.MAX_DEPTH; i++) ok = StateRecord.builder().putRecord("r", ok).build();
        byte[] bytes = ok.encode();
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> StateRecord.decode(bytes))).isNull();
    }

    @Test
    void textShowsEveryField() {
        String text = everyType().toText();
        assertThat(text).contains("u8_max: u8 = 255 (0xff)\n");
        assertThat(text).contains("u64_max: u64 = 18446744073709551615 (0xffffffffffffffff)\n");
        assertThat(text).contains("i64_neg: i64 = -42\n");
        assertThat(text).contains("blob: bytes = 000102ff (4 bytes)\n");
        assertThat(text).contains("text: string = \"héllo, wörld ✓ \uD83D\uDE00\"\n");
        assertThat(text).contains("list: record[] (3 records)\n  [0]\n    port: u16 = 1016 (0x3f8)\n");
    }
}
