package org.jbhyve.bhyve.boot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads an image a person named (kernel, initrd, ROM) into memory, refusing before it reads a byte
 * when the file is missing, not a regular file, or larger than the guest could ever hold. Reading
 * the whole image up front means a file that changes or shrinks later cannot leave a guest half
 * loaded.
 */
final class ImageFile {
    /** Java arrays stop a little below 2 GiB. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 16;

    private ImageFile() {}

    /**
     * The bytes of {@code path}.
     *
     * @param what     what the file is, for messages ("kernel", "initrd", "boot ROM")
     * @param maxBytes the most the caller can use; a larger file is refused with {@code limitReason}
     */
    static byte[] read(String what, Path path, long maxBytes, String limitReason) {
        long size;
        try {
            if (!Files.isRegularFile(path)) {
                if (!Files.exists(path)) throw bad(what, path, "no such file");
                throw bad(what, path, "not a regular file");
            }
            size = Files.size(path);
        } catch (IOException e) {
            throw bad(what, path, reason(e));
        }
        if (size == 0) throw bad(what, path, "the file is empty");
        if (size > Math.min(maxBytes, MAX_ARRAY)) {
            throw bad(what, path, "the file is " + human(size) + ", "
                    + (size > maxBytes ? limitReason : "larger than the " + human(MAX_ARRAY) + " jbhyve can load"));
        }
        byte[] bytes = new byte[(int) size];
        try (InputStream in = Files.newInputStream(path)) {
            int n = in.readNBytes(bytes, 0, bytes.length);
            if (n != bytes.length || in.read() != -1) {
                throw bad(what, path, "the file changed size while it was read");
            }
        } catch (IOException e) {
            throw bad(what, path, reason(e));
        }
        return bytes;
    }

    static IllegalArgumentException bad(String what, Path path, String why) {
        return new IllegalArgumentException("cannot use " + what + " " + path + ": " + why);
    }

    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) return "no such file";
        if (e instanceof AccessDeniedException) return "permission denied";
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** A size for people: bytes, KiB, MiB or GiB, whichever is exact or shortest. */
    static String human(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) return (bytes >> 30) + " GiB";
        if (bytes >= 1L << 20) return (bytes % (1L << 20) == 0 ? "" : "about ") + (bytes >> 20) + " MiB";
        if (bytes >= 1L << 10 && bytes % (1L << 10) == 0) return (bytes >> 10) + " KiB";
        return bytes + " bytes";
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
