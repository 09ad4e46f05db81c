package org.jbhyve.bhyve.devices.acpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jbhyve.bhyve.devices.acpi.aml.Aml.arg;
import static org.jbhyve.bhyve.devices.acpi.aml.Aml.buffer;
import static org.jbhyve.bhyve.devices.acpi.aml.Aml.device;
import static org.jbhyve.bhyve.devices.acpi.aml.Aml.eisaId;
import static org.jbhyve.bhyve.devices.acpi.aml.Aml.ifElse;
import static org.jbhyve.bhyve.devices.acpi.aml.Aml.integer;
import static org.jbhyve.bhyve.devices.acpi.aml.Aml.method;
import static org.jbhyve.bhyve.devices.acpi.aml.Aml.name;
import static org.jbhyve.bhyve.devices.acpi.aml.Aml.nameRef;
import static org.jbhyve.bhyve.devices.acpi.aml.Aml.pkg;
import static org.jbhyve.bhyve.devices.acpi.aml.Aml.returnOf;
import static org.jbhyve.bhyve.devices.acpi.aml.Aml.scope;
import static org.jbhyve.bhyve.devices.acpi.aml.Aml.store;
import static org.jbhyve.bhyve.devices.acpi.aml.Aml.string;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.List;
import org.jbhyve.bhyve.devices.acpi.aml.Aml;
import org.jbhyve.bhyve.devices.acpi.aml.AmlTerm;
import org.jbhyve.bhyve.devices.acpi.aml.EisaId;
import org.jbhyve.bhyve.devices.acpi.aml.NameString;
import org.jbhyve.bhyve.devices.acpi.aml.ResourceTemplate;
import org.junit.jupiter.api.Test;

class AmlEncodingTest {
    private static final HexFormat HEX = HexFormat.of();

    /**
     * The AML body (after the table header) that Intel's iasl 20200925 produced, with
     * {@code iasl -on} (keep name paths as written), from:
     *
     * <pre>
     * DefinitionBlock ("", "DSDT", 2, "BHYVE ", "BVDSDT  ", 1) {
     *   Name (_S5, Package () { 0x05, Zero })
     *   Name (PICM, 0x00)
     *   Method (_PIC, 1, NotSerialized) { Store (Arg0, PICM) }
     *   Scope (\_SB) {
     *     Device (PC00) {
     *       Name (_HID, EisaId ("PNP0A03"))
     *       Method (_BBN, 0, NotSerialized) { Return (0x00) }
     *       Name (_CRS, ResourceTemplate () {
     *         WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode, 0, 0, 0, 0, 1,,,)
     *         IO (Decode16, 0x0CF8, 0x0CF8, 0x01, 0x08)
     *         WordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange, 0, 0x0D00, 0x1FFF, 0, 0x1300,,,, TypeStatic)
     *         DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite,
     *                      0, 0xC0000000, 0xDFFFFFFF, 0, 0x20000000,,,, AddressRangeMemory, TypeStatic)
     *         QWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite,
     *                      0, 0x800000000, 0xFFFFFFFFF, 0, 0x800000000,,,, AddressRangeMemory, TypeStatic)
     *         IRQNoFlags () {4}
     *         IRQ (Level, ActiveLow, Shared, ) {5,10,11}
     *         Memory32Fixed (ReadWrite, 0xFED00000, 0x00000400)
     *       })
     *       Name (APRT, Package () { Package () { 0x0003FFFF, 0x01, Zero, 0x11 } })
     *       Method (_PRT, 0, Serialized) { If (\PICM) { Return (\_SB.PC00.APRT) } Else { Return (Package () {}) } }
     *     }
     *   }
     *   Name (BUF, Buffer () { 0x01, 0x02, 0x03 })
     *   Name (STR, "jbhyve")
     *   Name (INTS, Package () { 0x1234, 0x12345678, 0x123456789A, 0xFFFFFFFFFFFFFFFF, One })
     * }
     * </pre>
     */
    private static final String IASL_OUTPUT = "085f53355f1205020a0500085049434d00140c5f5049430170685049434d10490e5c5f53425f"
            + "5b82400e50433030085f4849440c41d00a0314085f42424e00a400085f4352531149080a85880d00020c000000000000000000"
            + "01004701f80cf80c0108880d00010c030000000dff1f00000013871700000c0100000000000000c0ffffffdf00000000000000"
            + "208a2b00000c0100000000000000000000000008000000ffffffff0f000000000000000000000000000000080000002210002320"
            + "0c18860900010000d0fe0004000079000841505254120e01120b040cffff030001000a1114235f50525408a0165c5049434da45c"
            + "2f035f53425f5043303041505254a105a4120200084255465f11060a03010203085354525f0d6a62687976650008494e545312"
            + "15050b34120c785634120e9a78563412000000ff01";

    @Test
    void encodesTheSameBytesAsIasl() {
        AmlTerm crs = new ResourceTemplate()
                .wordBusNumber(0, 0)
                .fixedIo(0xcf8, 8)
                .wordIo(0x0d00, 0x1fff)
                .dwordMemory(0xc000_0000L, 0xdfff_ffffL)
                .qwordMemory(0x8_0000_0000L, 0xf_ffff_ffffL)
                .irqNoFlags(4)
                .irq(false, true, true, 5, 10, 11)
                .memory32Fixed(true, 0xfed0_0000L, 0x400)
                .build();
        List<AmlTerm> all = List.of(
                name("_S5", pkg(integer(5), integer(0))),
                name("PICM", integer(0)),
                method("_PIC", 1, false, List.of(store(arg(0), nameRef("PICM")))),
                scope("\\_SB", List.of(device("PC00", List.of(
                        name("_HID", eisaId("PNP0A03")),
                        method("_BBN", 0, false, List.of(returnOf(integer(0)))),
                        name("_CRS", crs),
                        name("APRT", pkg(pkg(integer(0x3ffff), integer(1), integer(0), integer(0x11)))),
                        method("_PRT", 0, true, List.of(ifElse(nameRef("\\PICM"),
                                List.of(returnOf(nameRef("\\_SB.PC00.APRT"))),
                                List.of(returnOf(pkg()))))))))),
                name("BUF", buffer(new byte[] {1, 2, 3})),
                name("STR", string("jbhyve")),
                name("INTS", pkg(integer(0x1234), integer(0x12345678), integer(0x12_3456_789aL), integer(-1),
                        integer(1))));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        all.forEach(t -> out.writeBytes(t.bytes()));
        assertThat(HEX.formatHex(out.toByteArray())).isEqualTo(IASL_OUTPUT);
    }

    @Test
    void pkgLengthCountsItselfAndGrowsAtTheSpecBoundaries() {
        // One byte holds up to 63 including itself.
        assertThat(Aml.pkgLength(0)).containsExactly(0x01);
        assertThat(Aml.pkgLength(62)).containsExactly(0x3f);
        // 63 content bytes + 2 length bytes = 65 = 0x041: lead 0x40 | 1, then 0x04.
        assertThat(Aml.pkgLength(63)).containsExactly(0x41, 0x04);
        // Two bytes hold up to 0xfff.
        assertThat(Aml.pkgLength(0xffd)).containsExactly(0x4f, 0xff);
        assertThat(Aml.pkgLength(0xffe)).containsExactly(0x81, 0x00, 0x01); // 0xffe + 3 = 0x1001
        assertThat(Aml.pkgLength(0xffffc)).containsExactly(0x8f, 0xff, 0xff);
        assertThat(Aml.pkgLength(0xffffd)).containsExactly(0xc1, 0x00, 0x00, 0x01); // + 4 = 0x100001
        assertThatThrownBy(() -> Aml.pkgLength((1 << 28) - 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PkgLength");
    }

    @Test
    void integersUseTheSmallestEncoding() {
        assertThat(integer(0).bytes()).containsExactly(0x00);
        assertThat(integer(1).bytes()).containsExactly(0x01);
        assertThat(integer(-1).bytes()).containsExactly(0xff);
        assertThat(integer(2).bytes()).containsExactly(0x0a, 0x02);
        assertThat(integer(0xff).bytes()).containsExactly(0x0a, 0xff);
        assertThat(integer(0x100).bytes()).containsExactly(0x0b, 0x00, 0x01);
        assertThat(integer(0x1_0000).bytes()).containsExactly(0x0c, 0x00, 0x00, 0x01, 0x00);
        assertThat(integer(0xffff_ffffL).bytes()).containsExactly(0x0c, 0xff, 0xff, 0xff, 0xff);
        assertThat(integer(0x1_0000_0000L).bytes()).containsExactly(0x0e, 0, 0, 0, 0, 1, 0, 0, 0);
    }

    @Test
    void eisaIdsRoundTrip() {
        assertThat(EisaId.encode("PNP0A03")).isEqualTo(0x030ad041L);
        assertThat(EisaId.encode("PNP0501")).isEqualTo(0x0105d041L);
        for (String id : List.of("PNP0A03", "PNP0501", "PNP0B00", "PNP0C02", "PNP0103", "PNP0F13", "PNP0000")) {
            assertThat(EisaId.decode(EisaId.encode(id))).isEqualTo(id);
        }
        // The smallest integer encoding, as iasl emits it: PNP0000 fits a Word.
        assertThat(eisaId("PNP0000").bytes()).containsExactly(0x0b, 0x41, 0xd0);
        assertThat(eisaId("PNP0A03").bytes()).containsExactly(0x0c, 0x41, 0xd0, 0x0a, 0x03);
        assertThatThrownBy(() -> EisaId.encode("pnp0a03")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EisaId.encode("PNP0A0")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nameStringsFollowTheGrammar() {
        assertThat(NameString.encode("_S5")).containsExactly('_', 'S', '5', '_');
        assertThat(NameString.encode("\\")).containsExactly('\\', 0x00);
        assertThat(NameString.encode("^^PC00")).containsExactly('^', '^', 'P', 'C', '0', '0');
        assertThat(NameString.encode("\\_SB.PC00")).containsExactly('\\', 0x2e, '_', 'S', 'B', '_', 'P', 'C', '0', '0');
        assertThat(NameString.encode("A.B.C")).containsExactly(0x2f, 3, 'A', '_', '_', '_', 'B', '_', '_', '_',
                'C', '_', '_', '_');
        assertThatThrownBy(() -> NameString.encode("0ABC")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NameString.encode("ABCDE")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NameString.encode("ab")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void largeTermsGetMultiBytePkgLengthsThatTheReaderFollows() {
        // A device with enough content to need a 2-byte PkgLength inside a scope needing one too.
        List<AmlTerm> names = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) names.add(name(String.format("N%03d", i), integer(0x1000 + i)));
        AmlTerm dev = device("BIG", names);
        byte[] table = new byte[36 + dev.length()];
        System.arraycopy(dev.bytes(), 0, table, 36, dev.length());
        AmlReader r = AmlReader.read(table);
        assertThat(r.value("\\BIG_.N039")).isEqualTo(0x1000L + 39);
        assertThat(r.node("\\BIG_")).isInstanceOf(AmlReader.Device.class);
    }

    @Test
    void rejectsWhatTheEncodingCannotExpress() {
        assertThatThrownBy(() -> new ResourceTemplate().wordIo(0x2000, 0x1fff))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> new ResourceTemplate().irqNoFlags(16)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ResourceTemplate().io(0x10000, 0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pkg(java.util.Collections.nCopies(256, integer(0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("255");
        assertThatThrownBy(() -> string("é")).isInstanceOf(IllegalArgumentException.class);
    }
}
