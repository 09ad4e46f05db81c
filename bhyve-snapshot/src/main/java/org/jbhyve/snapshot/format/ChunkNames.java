package org.jbhyve.snapshot.format;

import java.util.regex.Pattern;

/** The chunk name and instance grammar (docs/snapshot-format.md, "Chunk names"). */
final class ChunkNames {
    private ChunkNames() {}

    /** A lower-case letter or digit, then letters, digits and {@code . _ - @ :}; at most 128 characters. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][A-Za-z0-9._@:\\-]{0,127}");
    /** Empty (a kind with one instance) or up to 64 of the same characters. */
    private static final Pattern INSTANCE = Pattern.compile("[A-Za-z0-9._@:\\-]{0,64}");

    static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    static boolean validInstance(String instance) {
        return instance != null && INSTANCE.matcher(instance).matches();
    }

    /** "chunk 'vcpu' instance 1" or "chunk 'vm'" (empty instance). */
    static String label(String name, String instance) {
        return instance.isEmpty() ? "chunk '" + name + "'" : "chunk '" + name + "' instance " + instance;
    }
}
