package org.jbhyve.bhyve.snapshot;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The header and manifest examples of docs/snapshot-format.md (§4, §5) are the bytes of a golden
 * fixture, so that someone writing a reader from the document can check it against a real file. This
 * keeps the two from drifting apart: an edit to either that the other does not follow fails here.
 */
class FormatDocExamplesTest {
    private static final Path DOC = Path.of("../docs/snapshot-format.md");
    private static final Path FIXTURE = Path.of("src/test/resources/snapshots/format-1.0/demo-4m-live.snap");

    private static String doc() throws Exception {
        assertThat(DOC).as("docs/snapshot-format.md, next to this module").isRegularFile();
        return Files.readString(DOC);
    }

    /** The first fenced block after {@code heading}, with the given opening fence. */
    private static String block(String doc, String heading, String fence) {
        int h = doc.indexOf(heading);
        assertThat(h).as("heading '%s' in the format document", heading).isNotNegative();
        int start = doc.indexOf(fence + "\n", h);
        assertThat(start).as("a %s block after '%s'", fence, heading).isNotNegative();
        start += fence.length() + 1;
        int end = doc.indexOf("```\n", start);
        return doc.substring(start, end);
    }

    @Test
    void theHeaderExampleIsTheFixturesFirst64Bytes() throws Exception {
        String hexdump = block(doc(), "## 4. Header", "```");
        StringBuilder hex = new StringBuilder();
        for (String line : hexdump.split("\n")) {
            // "00000000: 4a42 4859 ...  JBHYVSNP....": the 8 groups between the offset and the text
            hex.append(line.substring(10, 49).replace(" ", ""));
        }
        byte[] fixture = Files.readAllBytes(FIXTURE);
        assertThat(HexFormat.of().formatHex(Arrays.copyOf(fixture, 64))).isEqualTo(hex.toString());
    }

    @Test
    void theManifestExampleIsTheFixturesManifestByteForByte() throws Exception {
        String example = block(doc(), "### Example", "```json");
        byte[] fixture = Files.readAllBytes(FIXTURE);
        ByteBuffer header = ByteBuffer.wrap(fixture).order(ByteOrder.LITTLE_ENDIAN);
        int offset = (int) header.getLong(16);
        int length = (int) header.getLong(24);
        String manifest = new String(fixture, offset, length, StandardCharsets.UTF_8);
        assertThat(example).isEqualTo(manifest);
        assertThat(doc()).contains("is at 0x" + Integer.toHexString(offset) + " and is " + length + " (0x"
                + Integer.toHexString(length) + ")");
    }
}
