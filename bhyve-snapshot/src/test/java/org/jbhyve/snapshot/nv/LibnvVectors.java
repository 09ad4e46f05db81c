package org.jbhyve.snapshot.nv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The FreeBSD libnv test vectors in {@code shared/vectors/libnv}: found through the system property
 * {@code jbhyve.shared.dir} (surefire sets it) when that directory exists, else {@code /work/shared}.
 * A missing directory fails the test that asked, naming the directory: the vectors are what proves
 * byte-exactness, so tests never skip without them.
 */
public final class LibnvVectors {
    private LibnvVectors() {}

    /** A valid vector listed in MANIFEST.txt. */
    public record Vector(String name, int size, String sha256, String producedBy, int flags, int descriptors,
                         String content, byte[] bytes, String text) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** An entry of invalid/EXPECTED.txt. {@code descriptors} is -1 when the bytes went to nvlist_unpack. */
    public record Invalid(String file, int flags, int descriptors, boolean accepted, String errnoName,
                          String description, String acceptedText, byte[] bytes) {
        @Override
        public String toString() {
            return file;
        }
    }

    /** The property's directory when it exists, else /work/shared (as the other modules' tests look). */
    public static Path sharedDir() {
        String prop = System.getProperty("jbhyve.shared.dir");
        Path dir = prop != null && !prop.isBlank() && Files.isDirectory(Path.of(prop))
                ? Path.of(prop) : Path.of("/work/shared");
        return dir.toAbsolutePath().normalize();
    }

    /** shared/vectors/libnv, or an AssertionError naming the directory that is missing. */
    public static Path dir() {
        Path dir = sharedDir().resolve("vectors/libnv");
        if (!Files.isDirectory(dir)) {
            throw new AssertionError("libnv test vectors not found: " + dir + " does not exist (set the system"
                    + " property jbhyve.shared.dir to the directory holding vectors/libnv, or provide /work/shared)");
        }
        return dir;
    }

    public static List<Vector> valid() {
        Path dir = dir();
        List<Vector> out = new ArrayList<>();
        for (String line : lines(dir.resolve("MANIFEST.txt"))) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\t");
            if (f.length < 6) throw new AssertionError("MANIFEST.txt: cannot parse line: " + line);
            String name = f[0].substring(0, f[0].length() - ".bin".length());
            Args args = Args.parse(f[4]);
            out.add(new Vector(name, Integer.parseInt(f[1]), f[2], f[3], args.flags, Math.max(args.descriptors, 0),
                    f[5], read(dir.resolve(f[0])), new String(read(dir.resolve(name + ".txt")), StandardCharsets.UTF_8)));
        }
        if (out.isEmpty()) throw new AssertionError("MANIFEST.txt in " + dir + " lists no vectors");
        return out;
    }

    public static List<Invalid> invalid() {
        Path dir = dir().resolve("invalid");
        List<Invalid> out = new ArrayList<>();
        List<String> acceptedLines = null;
        String[] pending = null;
        for (String line : lines(dir.resolve("EXPECTED.txt"))) {
            if (line.startsWith("#|")) {
                if (acceptedLines == null) throw new AssertionError("EXPECTED.txt: '#|' line outside an ACCEPTED entry");
                acceptedLines.add(line);
                continue;
            }
            if (pending != null) {
                out.add(invalidEntry(dir, pending, acceptedLines));
                pending = null;
                acceptedLines = null;
            }
            if (line.isBlank() || line.startsWith("#")) continue;
            pending = line.split("\t");
            if (pending.length < 4) throw new AssertionError("EXPECTED.txt: cannot parse line: " + line);
            if (pending[2].startsWith("ACCEPTED")) acceptedLines = new ArrayList<>();
        }
        if (pending != null) out.add(invalidEntry(dir, pending, acceptedLines));
        if (out.isEmpty()) throw new AssertionError("EXPECTED.txt in " + dir + " lists nothing");
        return out;
    }

    private static Invalid invalidEntry(Path dir, String[] f, List<String> acceptedLines) {
        Args args = Args.parse(f[1]);
        String verdict = f[2].trim();
        boolean accepted = verdict.startsWith("ACCEPTED");
        String errno = null;
        String text = null;
        if (accepted) {
            boolean spaced = !acceptedLines.isEmpty() && acceptedLines.getFirst().startsWith("#| ");
            StringBuilder sb = new StringBuilder();
            for (String l : acceptedLines) sb.append(l.substring(spaced ? 3 : 2)).append('\n');
            text = sb.toString();
        } else {
            String[] v = verdict.split(" ");
            if (v.length != 3 || !v[0].equals("ERROR")) throw new AssertionError("EXPECTED.txt: unknown verdict " + verdict);
            errno = v[2];
        }
        return new Invalid(f[0], args.flags, args.descriptors, accepted, errno, f[3], text, read(dir.resolve(f[0])));
    }

    /** {0, 1, ..., n-1}: decoding with these shows each descriptor's wire index. */
    public static int[] identityFds(int n) {
        int[] fds = new int[n];
        for (int i = 0; i < n; i++) fds[i] = i;
        return fds;
    }

    private record Args(int flags, int descriptors) {
        static Args parse(String s) {
            int flags = 0;
            int descriptors = -1;
            String[] t = s.trim().split("\\s+");
            for (int i = 0; i + 1 < t.length; i += 2) {
                switch (t[i]) {
                    case "-f" -> flags = Integer.parseInt(t[i + 1]);
                    case "-d" -> descriptors = Integer.parseInt(t[i + 1]);
                    default -> throw new AssertionError("unknown nvcheck argument " + t[i] + " in '" + s + "'");
                }
            }
            return new Args(flags, descriptors);
        }
    }

    private static List<String> lines(Path p) {
        return List.of(new String(read(p), StandardCharsets.UTF_8).split("\n", -1));
    }

    public static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read test vector " + p, e);
        }
    }
}
