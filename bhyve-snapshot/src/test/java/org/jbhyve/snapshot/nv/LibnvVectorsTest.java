package org.jbhyve.snapshot.nv;

import org.jbhyve.snapshot.nv.LibnvVectors.Invalid;
import org.jbhyve.snapshot.nv.LibnvVectors.Vector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Byte-exactness with FreeBSD's libnv: shared/vectors/libnv, decoded, re-encoded and rejected. */
class LibnvVectorsTest {

    static List<Vector> valid() {
        return LibnvVectors.valid();
    }

    static List<Invalid> invalid() {
        return LibnvVectors.invalid();
    }

    static Stream<Vector> sentWithDescriptors() {
        return LibnvVectors.valid().stream().filter(v -> v.descriptors() > 0);
    }

    @Test
    void theVectorDirectoryIsThere() {
        assertThat(LibnvVectors.dir().resolve("MANIFEST.txt")).isRegularFile();
        assertThat(valid()).hasSizeGreaterThanOrEqualTo(8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void vectorMatchesItsManifestEntry(Vector v) throws NoSuchAlgorithmException {
        assertThat(v.bytes()).hasSize(v.size());
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(v.bytes()));
        assertThat(sha).isEqualTo(v.sha256());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void decodesToItsText(Vector v) {
        NvList list = NvUnpacker.unpack(v.bytes(), v.flags(), LibnvVectors.identityFds(v.descriptors()));
        assertThat(NvFormatter.format(list)).isEqualTo(v.text());
        assertThat(list.isReadOnly()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void reencodesToTheSameBytes(Vector v) {
        int[] dummyFds = new int[v.descriptors()];
        java.util.Arrays.fill(dummyFds, 42);
        NvList list = NvUnpacker.unpack(v.bytes(), v.flags(), dummyFds);
        NvPacker.Packed packed = NvPacker.pack(list);
        assertThat(packed.bytes()).isEqualTo(v.bytes());
        assertThat(packed.descriptors()).isEqualTo(dummyFds);
        assertThat(NvPacker.packedSize(list)).isEqualTo(v.size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void nvlistPackRefusesExactlyTheListsWithDescriptors(Vector v) {
        NvList list = NvUnpacker.unpack(v.bytes(), v.flags(), LibnvVectors.identityFds(v.descriptors()));
        if (v.descriptors() == 0) {
            assertThat(v.producedBy()).isEqualTo("nvlist_pack");
            assertThat(NvPacker.packWithoutDescriptors(list)).isEqualTo(v.bytes());
        } else {
            assertThatThrownBy(() -> NvPacker.packWithoutDescriptors(list))
                    .isInstanceOfSatisfying(NvException.class, e -> assertThat(e.code()).isEqualTo(NvException.Code.EOPNOTSUPP));
        }
    }

    /** MANIFEST.txt: nvlist_unpack() (no fds) rejects the nvlist_send data with EINVAL. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("sentWithDescriptors")
    void sendDataIsRejectedWithoutItsDescriptors(Vector v) {
        NvException e = catchThrowableOfType(NvException.class, () -> NvUnpacker.unpack(v.bytes(), v.flags()));
        assertThat(e.code()).isEqualTo(NvException.Code.EINVAL);
        assertThat(e.offset()).isEqualTo(3);
        assertThat(e.getMessage()).contains("announces 1 descriptors but 0 were received");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void wrongFlagsAreEilseq(Vector v) {
        NvException e = catchThrowableOfType(NvException.class,
                () -> NvUnpacker.unpack(v.bytes(), v.flags() ^ NvList.NO_UNIQUE, LibnvVectors.identityFds(v.descriptors())));
        assertThat(e.code()).isEqualTo(NvException.Code.EILSEQ);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalidInputGetsLibnvsVerdict(Invalid v) {
        int[] fds = LibnvVectors.identityFds(Math.max(v.descriptors(), 0));
        if (v.accepted()) {
            NvList list = NvUnpacker.unpack(v.bytes(), v.flags(), fds);
            assertThat(NvFormatter.format(list)).as(v.description()).isEqualTo(v.acceptedText());
        } else {
            NvException e = catchThrowableOfType(NvException.class, () -> NvUnpacker.unpack(v.bytes(), v.flags(), fds));
            assertThat(e).as("%s: %s must be rejected", v.file(), v.description()).isNotNull();
            assertThat(e.code().name()).as(v.description()).isEqualTo(v.errnoName());
            assertThat(e.offset()).isBetween(0L, (long) v.bytes().length);
            assertThat(e.getMessage()).startsWith("malformed nvlist at offset " + e.offset() + ": ");
        }
    }

    @Test
    void everyFileInInvalidHasAVerdict() throws IOException {
        Path dir = LibnvVectors.dir().resolve("invalid");
        Set<String> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("EXPECTED.txt"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> listed = invalid().stream().map(Invalid::file).collect(Collectors.toCollection(TreeSet::new));
        assertThat(listed).isEqualTo(files);
    }

    /** The reasons for the shipped malformed inputs, so the messages stay useful. */
    @Test
    void invalidVectorsAreRejectedForTheRightReason() {
        for (Invalid v : invalid()) {
            if (v.accepted()) continue;
            NvException e = catchThrowableOfType(NvException.class, () -> NvUnpacker.unpack(v.bytes(), v.flags()));
            String expected = switch (v.file()) {
                case "truncated_header.bin" -> "truncated nvlist header: 10 of 19 bytes";
                case "bad_magic.bin" -> "bad nvlist magic 0x6d";
                case "size_field_too_big.bin" -> "nvlh_size 23 but 22 bytes follow";
                case "bool_value_2.bin" -> "bool value 2 is neither 0 nor 1";
                case "string_without_nul.bin" -> "has no terminating NUL";
                case "nested_size_is_child_only.bin" -> "nvlh_size 56 but 102 bytes follow";
                default -> "";
            };
            assertThat(e.getMessage()).as(v.file()).contains(expected);
        }
    }
}
