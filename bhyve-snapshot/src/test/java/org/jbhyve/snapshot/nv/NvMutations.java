package org.jbhyve.snapshot.nv;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Mutations of packed nvlists for fuzzing: bit flips, byte changes, truncations, insertions,
 * deletions, duplicated slices, type bytes and length fields set to interesting values.
 */
public final class NvMutations {
    private NvMutations() {}

    /** 1 to 4 random mutations; then, half the time, the top-level nvlh_size is made consistent again. */
    public static byte[] mutate(byte[] original, Random r) {
        byte[] b = original.clone();
        int n = 1 + r.nextInt(4);
        for (int k = 0; k < n; k++) b = mutateOnce(b, r);
        if (b.length >= 19 && r.nextBoolean()) {
            boolean be = (b[2] & 0x80) != 0;
            ByteBuffer.wrap(b).order(be ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN).putLong(11, b.length - 19);
        }
        return b;
    }

    private static final long[] INTERESTING = {0, 1, 2, 7, 8, 9, 18, 19, 20, 255, 256, 2048, 2049, 0x7fff, 0xffff,
            Integer.MAX_VALUE, 0xffffffffL, 1L << 32, 1L << 60, 1L << 61, 1L << 62, Long.MAX_VALUE, -1, -2, -8, -19};

    private static byte[] mutateOnce(byte[] b, Random r) {
        int len = b.length;
        switch (r.nextInt(9)) {
            case 0 -> { // bit flips
                if (len == 0) return b;
                for (int i = 1 + r.nextInt(8); i > 0; i--) b[r.nextInt(len)] ^= (byte) (1 << r.nextInt(8));
            }
            case 1 -> { // random byte values
                if (len == 0) return b;
                for (int i = 1 + r.nextInt(4); i > 0; i--) b[r.nextInt(len)] = (byte) r.nextInt(256);
            }
            case 2 -> { // truncation
                return Arrays.copyOf(b, r.nextInt(len + 1));
            }
            case 3 -> { // insertion of random bytes
                int at = r.nextInt(len + 1);
                byte[] ins = new byte[1 + r.nextInt(32)];
                r.nextBytes(ins);
                return splice(b, at, 0, ins);
            }
            case 4 -> { // deletion of a range
                if (len == 0) return b;
                int at = r.nextInt(len);
                return splice(b, at, 1 + r.nextInt(Math.min(32, len - at)), new byte[0]);
            }
            case 5 -> { // a random 64-bit length field: datasize, nitems, nvlh_size, nvlh_descriptors
                if (len < 8) return b;
                int at = fieldOffset(b, r, 8);
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(at, interesting(r, len));
            }
            case 6 -> { // a random 16-bit namesize
                if (len < 2) return b;
                int at = fieldOffset(b, r, 2);
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(at, (short) interesting(r, len));
            }
            case 7 -> { // a type byte
                if (len == 0) return b;
                int[] types = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 253, 254, 255};
                b[r.nextInt(len)] = (byte) types[r.nextInt(types.length)];
            }
            default -> { // duplicate a slice somewhere else
                if (len == 0) return b;
                int from = r.nextInt(len);
                int n = 1 + r.nextInt(Math.min(40, len - from));
                return splice(b, r.nextInt(len + 1), 0, Arrays.copyOfRange(b, from, from + n));
            }
        }
        return b;
    }

    /** Usually the offset of a real field (pair headers start after the 19-byte header), else anywhere. */
    private static int fieldOffset(byte[] b, Random r, int width) {
        List<Integer> candidates = new ArrayList<>();
        for (int at : new int[] {3, 11}) if (at + width <= b.length) candidates.add(at);
        for (int at = 19; at + 19 <= b.length; at++) {
            int t = b[at] & 0xff;
            if ((t >= 1 && t <= 12) || t >= 254) {
                int f = width == 2 ? at + 1 : at + 3 + 8 * (at % 2);
                if (f + width <= b.length) candidates.add(f);
            }
        }
        if (!candidates.isEmpty() && r.nextInt(4) != 0) return candidates.get(r.nextInt(candidates.size()));
        return r.nextInt(b.length - width + 1);
    }

    private static long interesting(Random r, int len) {
        return switch (r.nextInt(3)) {
            case 0 -> INTERESTING[r.nextInt(INTERESTING.length)];
            case 1 -> len - r.nextInt(40);
            default -> r.nextLong();
        };
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }

}
