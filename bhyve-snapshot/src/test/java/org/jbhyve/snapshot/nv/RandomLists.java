package org.jbhyve.snapshot.nv;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random nvlists of every type, for round-trip property tests. */
final class RandomLists {
    private RandomLists() {}

    private static final String[] NAMES = {"a", "A", "b", "cmd", "CMD", "filename", "suspend", "fddir", "x", "é", "",
            "with space", "quote\"", "back\\slash", "tab\t"};

    static NvList list(Random r, int depth, int maxDepth) {
        NvList l = new NvList(r.nextInt(4));
        int n = r.nextInt(depth == 0 ? 12 : 6);
        for (int i = 0; i < n; i++) {
            String name = name(r);
            try {
                addRandom(l, name, r, depth, maxDepth);
            } catch (NvException e) {
                if (e.code() != NvException.Code.EEXIST) throw e; // a duplicate in a unique list: skip it
            }
        }
        return l;
    }

    static String name(Random r) {
        return switch (r.nextInt(10)) {
            case 0 -> "n".repeat(1 + r.nextInt(NvList.NAME_MAX - 1));
            case 1 -> randomString(r, 1 + r.nextInt(12));
            default -> NAMES[r.nextInt(NAMES.length)];
        };
    }

    static String randomString(Random r, int len) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) {
            int c = switch (r.nextInt(4)) {
                case 0 -> 1 + r.nextInt(0x7f);
                case 1 -> 0x80 + r.nextInt(0x700);
                default -> 'a' + r.nextInt(26);
            };
            sb.appendCodePoint(c);
        }
        return sb.toString();
    }

    private static void addRandom(NvList l, String name, Random r, int depth, int maxDepth) {
        int type = 1 + r.nextInt(depth < maxDepth ? 12 : 10);
        switch (type) {
            case 1 -> l.addNull(name);
            case 2 -> l.add(name, r.nextBoolean());
            case 3 -> l.addNumber(name, r.nextBoolean() ? r.nextLong() : r.nextInt(100));
            case 4 -> l.addString(name, randomString(r, r.nextInt(20)));
            case 5 -> l.addDescriptor(name, r.nextInt(1000));
            case 6 -> {
                byte[] b = new byte[1 + r.nextInt(40)];
                r.nextBytes(b);
                l.addBinary(name, b);
            }
            case 7 -> {
                boolean[] a = new boolean[1 + r.nextInt(8)];
                for (int i = 0; i < a.length; i++) a[i] = r.nextBoolean();
                l.addBoolArray(name, a);
            }
            case 8 -> l.addNumberArray(name, r.longs(1 + r.nextInt(8)).toArray());
            case 9 -> {
                List<String> s = new ArrayList<>();
                for (int i = 1 + r.nextInt(5); i > 0; i--) s.add(randomString(r, r.nextInt(10)));
                l.addStringArray(name, s);
            }
            case 10 -> l.addDescriptorArray(name, r.ints(1 + r.nextInt(5), 0, 1000).toArray());
            case 11 -> l.addNvList(name, list(r, depth + 1, maxDepth));
            default -> {
                List<NvList> e = new ArrayList<>();
                for (int i = 1 + r.nextInt(3); i > 0; i--) e.add(list(r, depth + 1, maxDepth));
                l.addNvListArray(name, e);
            }
        }
    }
}
