package org.jbhyve.snapshot.format;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** inspect: text for people, JSON for programs, field by field without knowing any device. */
class SnapshotInspectorTest {
    @TempDir
    Path dir;
    Path file;

    @BeforeEach
    void sample() throws Exception {
        file = dir.resolve("s1");
        try (Arena arena = Arena.ofConfined()) {
            TestSnapshots.writeSample(file, arena, 3);
        }
    }

    @Test
    void textDescribesEverything() throws Exception {
        try (SnapshotReader r = SnapshotReader.open(file)) {
            String text = SnapshotInspector.text(r, true);
            assertThat(text).startsWith("snapshot " + file + "\n  format    1.0 (header 64 bytes; manifest at 0x");
            assertThat(text).contains("  created   2026-01-31T12:00:00Z by jbhyve 0.1.0-test\n");
            assertThat(text).contains("  host      Linux 6.1.0-test amd64, backend kvm, GenuineIntel \"Test CPU @ 1.00GHz\"\n");
            assertThat(text).contains("  vm        vm1, 2 vCPUs, 8 MiB RAM\n");
            assertThat(text).containsPattern("  file      [0-9.]+ MiB apparent \\([0-9]+ bytes\\), [0-9.]+ MiB on disk");
            assertThat(text).contains("config (9 keys)\n  name=vm1\n  cpus=2\n  memory.size=8M\n");
            assertThat(text).containsPattern("\n  0 +lowmem +0x0 +8 MiB +0x200000 +[0-9]+ of 2048 \\([0-9.]+%\\) +[0-9.]+ MiB\n");
            assertThat(text).containsPattern("\n  vcpu +1 +1 +yes +0x[0-9a-f]+ +[0-9]+ +0x[0-9a-f]{8} +kvm +ok\n");
            assertThat(text).containsPattern("\n  ram\\.crc +- +1 +no +0x[0-9a-f]+ +[0-9]+ +0x[0-9a-f]{8} +- +ok\n");
            assertThat(text).contains("chunk 'vcpu' instance 1, version 1\n  rip: u64 = 1048577 (0x100001)\n");
            assertThat(text).contains("  msrs: record[] (2 records)\n    [0]\n      index: u32 = 16 (0x10)\n");
            assertThat(text).contains("chunk 'ram.crc', version 1\n  block_size: u32 = 2097152 (0x200000)\n");
        }
    }

    @Test
    void jsonHasTheManifestAndDecodedFields() throws Exception {
        try (SnapshotReader r = SnapshotReader.open(file)) {
            JsonNode j = JsonTrees.read(SnapshotInspector.json(r, true));
            assertThat(j.get("header").get("major").asInt()).isEqualTo(1);
            assertThat(j.get("manifest").get("config").get("memory.size").asText()).isEqualTo("8M");
            assertThat(j.get("file_size").get("allocated").asLong()).isLessThan(j.get("file_size").get("apparent").asLong());
            JsonNode vcpu = j.get("chunks").get(1);
            assertThat(vcpu.get("name").asText()).isEqualTo("vcpu");
            assertThat(vcpu.get("fields").get("rip").get("type").asText()).isEqualTo("u64");
            assertThat(vcpu.get("fields").get("rip").get("value").asLong()).isEqualTo(0x100000);
            assertThat(vcpu.get("fields").get("msrs").get("value").get(1).get("index").get("value").asInt()).isEqualTo(0x6e0);
            assertThat(vcpu.get("fields").get("xsave").get("length").asInt()).isEqualTo(4096);
            assertThat(j.get("regions").get(0).get("populated_pages").asLong()).isPositive();
        }
    }

    @Test
    void commandLine() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status = SnapshotInspector.run(new String[] {"--verify", file.toString()}, new PrintStream(out), new PrintStream(err));
        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("verified: header, manifest, every chunk and every RAM block");

        out.reset();
        status = SnapshotInspector.run(new String[] {"--json", dir.resolve("missing").toString()}, new PrintStream(out), new PrintStream(err));
        assertThat(status).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot open snapshot " + dir.resolve("missing"));
        assertThat(SnapshotInspector.run(new String[] {"--bogus"}, new PrintStream(out), new PrintStream(err))).isEqualTo(2);
    }
}
