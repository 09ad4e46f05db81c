package org.jbhyve.snapshot.nv;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * An nvlist as FreeBSD's libnv defines it: an ordered sequence of named, typed pairs, with the
 * list flags {@link #IGNORE_CASE} and {@link #NO_UNIQUE}.
 *
 * <h2>Building</h2>
 * A new list is open for appending: {@code new NvList().addString("cmd", "checkpoint").add("suspend", true)}.
 * Pairs are never changed or removed once added. As in libnv, adding a name that already exists is an
 * error ({@code EEXIST}) unless the list has {@link #NO_UNIQUE}; with {@link #IGNORE_CASE} names are
 * compared ignoring ASCII case (strcasecmp in the C locale).
 *
 * <h2>Read-only lists</h2>
 * A list stored inside another list (by {@link #addNvList} or {@link #addNvListArray}) is a read-only
 * snapshot of the list given, the way {@code nvlist_add_nvlist} clones its argument; lists returned by
 * {@link NvUnpacker} are read-only too. Appending to a read-only list throws
 * {@link IllegalStateException}; {@link #copy()} gives an open copy.
 *
 * <h2>Getters</h2>
 * {@code getString("cmd")} returns the first pair named {@code cmd} of type string, and throws an
 * {@link NvException} ({@code ENOENT}) naming the pair and the expected type when there is none
 * (libnv aborts the process instead).
 *
 * <h2>Limits</h2>
 * Names are 0 to {@value #NAME_MAX}−1 bytes of UTF-8 without NUL (libnv's {@code NV_NAME_MAX} counts
 * the NUL). Lists nest at most {@value #MAX_DEPTH} levels below the top-level list; libnv has no such
 * limit, jbhyve keeps one so that no input can exhaust the stack of the recursive code that walks lists.
 *
 * <p>Not thread-safe while being built; read-only lists may be shared freely.
 */
public final class NvList implements Iterable<NvPair> {
    /** {@code NV_FLAG_IGNORE_CASE}: names are compared ignoring ASCII case. */
    public static final int IGNORE_CASE = 0x01;
    /** {@code NV_FLAG_NO_UNIQUE}: several pairs may have the same name. */
    public static final int NO_UNIQUE = 0x02;
    /** {@code NV_NAME_MAX}: bytes of a name including its NUL. */
    public static final int NAME_MAX = Wire.NAME_MAX;
    /** Deepest nesting of lists below a top-level list (jbhyve's limit; see the class comment). */
    public static final int MAX_DEPTH = 128;

    private static final int INDEX_THRESHOLD = 8;

    private final int flags;
    private ArrayList<NvPair> pairs;
    /** Name → first pair (NvPair) or all pairs with that name (ArrayList), once the list is large. */
    private HashMap<NameKey, Object> index;
    private boolean readOnly;
    /** Nesting levels below this list: 0 when it holds no nvlist or nvlist array. */
    private int depth;
    /** Packed size, cached once read-only (read-only lists may be shared between threads). */
    private volatile long packedSize = -1;

    /** An empty list with flags 0. */
    public NvList() {
        this(0);
    }

    /** An empty list; {@code flags} is a combination of {@link #IGNORE_CASE} and {@link #NO_UNIQUE}. */
    public NvList(int flags) {
        if ((flags & ~Wire.FLAG_PUBLIC_MASK) != 0) {
            throw new IllegalArgumentException("nvlist flags 0x" + Integer.toHexString(flags)
                    + " are not a combination of IGNORE_CASE (0x1) and NO_UNIQUE (0x2)");
        }
        this.flags = flags;
    }

    /** The public flags ({@link #IGNORE_CASE}, {@link #NO_UNIQUE}). */
    public int flags() {
        return flags;
    }

    public int size() {
        return pairs == null ? 0 : pairs.size();
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    /** The pairs in order (an unmodifiable view). */
    public List<NvPair> pairs() {
        return pairs == null ? List.of() : Collections.unmodifiableList(pairs);
    }

    @Override
    public Iterator<NvPair> iterator() {
        return pairs().iterator();
    }

    /** Whether appending is refused (nested and unpacked lists). */
    public boolean isReadOnly() {
        return readOnly;
    }

    /** Makes this list read-only and returns it. */
    public NvList freeze() {
        readOnly = true;
        return this;
    }

    /** An open (appendable) copy of this list; nested lists are shared, being read-only. */
    public NvList copy() {
        NvList c = new NvList(flags);
        if (pairs != null) {
            c.pairs = new ArrayList<>(pairs);
            if (index != null) c.rebuildIndex();
        }
        c.depth = depth;
        return c;
    }

    /** Nesting levels below this list (0 if it holds no nvlist or nvlist array). */
    public int depth() {
        return depth;
    }

    // ---- appending ------------------------------------------------------------------------------

    /** Adds a null pair ({@code nvlist_add_null}). */
    public NvList addNull(String name) {
        return add(new NvPair(name(name), NvType.NULL, null));
    }

    /** Adds a bool pair ({@code nvlist_add_bool}). */
    public NvList add(String name, boolean value) {
        return addBool(name, value);
    }

    /** Adds a bool pair ({@code nvlist_add_bool}). */
    public NvList addBool(String name, boolean value) {
        return add(new NvPair(name(name), NvType.BOOL, value));
    }

    /** Adds a number pair ({@code nvlist_add_number}); {@code value} is taken as unsigned 64-bit. */
    public NvList add(String name, long value) {
        return addNumber(name, value);
    }

    /** Adds a number pair ({@code nvlist_add_number}); {@code value} is taken as unsigned 64-bit. */
    public NvList addNumber(String name, long value) {
        return add(new NvPair(name(name), NvType.NUMBER, value));
    }

    /** Adds a string pair ({@code nvlist_add_string}), encoded as UTF-8. */
    public NvList add(String name, String value) {
        return addString(name, value);
    }

    /** Adds a string pair ({@code nvlist_add_string}), encoded as UTF-8. */
    public NvList addString(String name, String value) {
        return add(new NvPair(name(name), NvType.STRING, cString("string " + quote(name), value)));
    }

    /** Adds a string pair from its bytes (no NUL among them). */
    public NvList addString(String name, byte[] value) {
        return add(new NvPair(name(name), NvType.STRING, cString("string " + quote(name), value)));
    }

    /** Adds a nested list ({@code nvlist_add_nvlist}): a read-only snapshot of {@code value}. */
    public NvList add(String name, NvList value) {
        return addNvList(name, value);
    }

    /** Adds a nested list ({@code nvlist_add_nvlist}): a read-only snapshot of {@code value}. */
    public NvList addNvList(String name, NvList value) {
        return add(new NvPair(name(name), NvType.NVLIST, snapshot(value)));
    }

    /**
     * Adds a descriptor pair. Nothing is duplicated or closed: the value is a file descriptor the
     * caller keeps open until the list is sent ({@link NvPacker} puts its index on the wire and hands
     * the descriptor back for {@code SCM_RIGHTS}), or, for lists that are only packed, any index.
     */
    public NvList addDescriptor(String name, int fdIndexOrFd) {
        return add(new NvPair(name(name), NvType.DESCRIPTOR, descriptor(fdIndexOrFd)));
    }

    /** Adds a binary pair ({@code nvlist_add_binary}); at least one byte. */
    public NvList addBinary(String name, byte[] value) {
        if (value.length == 0) throw usage("binary " + quote(name) + " is empty (libnv needs at least one byte)");
        return add(new NvPair(name(name), NvType.BINARY, value.clone()));
    }

    public NvList addBoolArray(String name, boolean... values) {
        nonEmpty(name, values.length);
        byte[] raw = new byte[values.length];
        for (int i = 0; i < values.length; i++) raw[i] = (byte) (values[i] ? 1 : 0);
        return add(new NvPair(name(name), NvType.BOOL_ARRAY, raw));
    }

    public NvList addNumberArray(String name, long... values) {
        nonEmpty(name, values.length);
        return add(new NvPair(name(name), NvType.NUMBER_ARRAY, values.clone()));
    }

    public NvList addStringArray(String name, String... values) {
        return addStringArray(name, List.of(values));
    }

    public NvList addStringArray(String name, List<String> values) {
        nonEmpty(name, values.size());
        byte[][] raw = new byte[values.size()][];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = cString("element " + i + " of string array " + quote(name), values.get(i));
        }
        return add(new NvPair(name(name), NvType.STRING_ARRAY, raw));
    }

    /** Adds an nvlist array ({@code nvlist_add_nvlist_array}) of read-only snapshots of {@code values}. */
    public NvList addNvListArray(String name, NvList... values) {
        return addNvListArray(name, List.of(values));
    }

    public NvList addNvListArray(String name, List<NvList> values) {
        nonEmpty(name, values.size());
        NvList[] elements = new NvList[values.size()];
        for (int i = 0; i < elements.length; i++) elements[i] = snapshot(values.get(i));
        return add(new NvPair(name(name), NvType.NVLIST_ARRAY, elements));
    }

    /** Adds a descriptor array; see {@link #addDescriptor} for what the values are. */
    public NvList addDescriptorArray(String name, int... fdIndexesOrFds) {
        nonEmpty(name, fdIndexesOrFds.length);
        for (int fd : fdIndexesOrFds) descriptor(fd);
        return add(new NvPair(name(name), NvType.DESCRIPTOR_ARRAY, fdIndexesOrFds.clone()));
    }

    /** Adds a pair taken from another list. */
    public NvList add(NvPair pair) {
        if (readOnly) {
            throw new IllegalStateException("this nvlist is read-only (it was unpacked or is nested in another"
                    + " list); use copy() to get one you can add to");
        }
        int pairDepth = pairDepth(pair);
        if (pairDepth > MAX_DEPTH) {
            throw usage("adding " + quote(pair.rawName()) + " would nest lists " + pairDepth
                    + " levels deep; the limit is " + MAX_DEPTH);
        }
        append(pair);
        depth = Math.max(depth, pairDepth);
        return this;
    }

    private static int pairDepth(NvPair pair) {
        return switch (pair.type()) {
            case NVLIST -> ((NvList) pair.rawValue()).depth + 1;
            case NVLIST_ARRAY -> {
                int d = 0;
                for (NvList e : (NvList[]) pair.rawValue()) d = Math.max(d, e.depth);
                yield d + 1;
            }
            default -> 0;
        };
    }

    /** Appends after the uniqueness check (as libnv's nvlist_move_nvpair); no depth bookkeeping. */
    void append(NvPair pair) {
        if ((flags & NO_UNIQUE) == 0 && findPair(pair.rawName(), null) != null) {
            throw new NvException(NvException.Code.EEXIST, "nvlist already has a pair named "
                    + quote(pair.rawName()) + (ignoresCase() ? " (names ignore case in this list)" : "")
                    + "; only NO_UNIQUE lists allow duplicate names");
        }
        if (pairs == null) pairs = new ArrayList<>(4);
        pairs.add(pair);
        if (index != null) {
            indexPair(pair);
        } else if (pairs.size() > INDEX_THRESHOLD) {
            rebuildIndex();
        }
    }

    /**
     * Makes this list and every list below it read-only, and recomputes their depths (the unpacker
     * fills lists top-down, so depths are only known at the end). Recursion is bounded by the
     * unpacker's nesting check.
     */
    void freezeTree() {
        int d = 0;
        if (pairs != null) {
            for (NvPair p : pairs) {
                switch (p.type()) {
                    case NVLIST -> {
                        NvList child = (NvList) p.rawValue();
                        child.freezeTree();
                        d = Math.max(d, child.depth + 1);
                    }
                    case NVLIST_ARRAY -> {
                        for (NvList e : (NvList[]) p.rawValue()) {
                            e.freezeTree();
                            d = Math.max(d, e.depth + 1);
                        }
                    }
                    default -> { }
                }
            }
        }
        depth = d;
        readOnly = true;
    }

    long cachedPackedSize() {
        return packedSize;
    }

    void cachePackedSize(long size) {
        if (readOnly) packedSize = size;
    }

    // ---- lookup ---------------------------------------------------------------------------------

    /** Whether a pair with this name exists (of any type). */
    public boolean exists(String name) {
        return findPair(lookupName(name), null) != null;
    }

    /** Whether a pair with this name and type exists. */
    public boolean exists(String name, NvType type) {
        return findPair(lookupName(name), type) != null;
    }

    /** The first pair with this name, of any type. */
    public Optional<NvPair> find(String name) {
        return Optional.ofNullable(findPair(lookupName(name), null));
    }

    /** The first pair with this name and type ({@code nvlist_find}). */
    public Optional<NvPair> find(String name, NvType type) {
        return Optional.ofNullable(findPair(lookupName(name), type));
    }

    /** The first pair with this name, of any type; throws {@link NvException} (ENOENT) if none. */
    public NvPair get(String name) {
        NvPair p = findPair(lookupName(name), null);
        if (p == null) throw new NvException(NvException.Code.ENOENT, "nvlist has no pair named " + quote(name));
        return p;
    }

    /** The first pair with this name and type; throws {@link NvException} (ENOENT) naming both if none. */
    public NvPair get(String name, NvType type) {
        byte[] key = lookupName(name);
        NvPair p = findPair(key, type);
        if (p != null) return p;
        NvPair other = findPair(key, null);
        if (other != null) {
            throw new NvException(NvException.Code.ENOENT, "nvlist pair " + quote(key) + " is "
                    + other.type().withArticle() + ", expected " + type.withArticle());
        }
        throw new NvException(NvException.Code.ENOENT, "nvlist has no pair " + quote(key) + " (expected "
                + type.withArticle() + ")");
    }

    public boolean getBool(String name) {
        return get(name, NvType.BOOL).boolValue();
    }

    public long getNumber(String name) {
        return get(name, NvType.NUMBER).numberValue();
    }

    public String getString(String name) {
        return get(name, NvType.STRING).stringValue();
    }

    public byte[] getStringBytes(String name) {
        return get(name, NvType.STRING).stringBytes();
    }

    public NvList getNvList(String name) {
        return get(name, NvType.NVLIST).nvlistValue();
    }

    public int getDescriptor(String name) {
        return get(name, NvType.DESCRIPTOR).descriptorValue();
    }

    public byte[] getBinary(String name) {
        return get(name, NvType.BINARY).binaryValue();
    }

    public boolean[] getBoolArray(String name) {
        return get(name, NvType.BOOL_ARRAY).boolArrayValue();
    }

    public long[] getNumberArray(String name) {
        return get(name, NvType.NUMBER_ARRAY).numberArrayValue();
    }

    public List<String> getStringArray(String name) {
        return get(name, NvType.STRING_ARRAY).stringArrayValue();
    }

    public List<NvList> getNvListArray(String name) {
        return get(name, NvType.NVLIST_ARRAY).nvlistArrayValue();
    }

    public int[] getDescriptorArray(String name) {
        return get(name, NvType.DESCRIPTOR_ARRAY).descriptorArrayValue();
    }

    /** The bool, or {@code defaultValue} when no pair has this name; a pair of another type is an error. */
    public boolean getBool(String name, boolean defaultValue) {
        return exists(name) ? getBool(name) : defaultValue;
    }

    /** The number, or {@code defaultValue} when no pair has this name; a pair of another type is an error. */
    public long getNumber(String name, long defaultValue) {
        return exists(name) ? getNumber(name) : defaultValue;
    }

    /** The string, or {@code defaultValue} when no pair has this name; a pair of another type is an error. */
    public String getString(String name, String defaultValue) {
        return exists(name) ? getString(name) : defaultValue;
    }

    /**
     * Every descriptor value of this list and the lists below it, in packing order: the order in
     * which {@link NvPacker} numbers them and {@code nvlist_send} passes them.
     */
    public int[] descriptors() {
        IntBuffer out = new IntBuffer();
        collectDescriptors(this, out);
        return out.toArray();
    }

    private static void collectDescriptors(NvList list, IntBuffer out) {
        if (list.pairs == null) return;
        for (NvPair p : list.pairs) {
            switch (p.type()) {
                case DESCRIPTOR -> out.add((Integer) p.rawValue());
                case DESCRIPTOR_ARRAY -> {
                    for (int fd : (int[]) p.rawValue()) out.add(fd);
                }
                case NVLIST -> collectDescriptors((NvList) p.rawValue(), out);
                case NVLIST_ARRAY -> {
                    for (NvList e : (NvList[]) p.rawValue()) collectDescriptors(e, out);
                }
                default -> { }
            }
        }
    }

    /** A growable int array. */
    static final class IntBuffer {
        private int[] a = new int[8];
        private int n;

        void add(int v) {
            if (n == a.length) a = Arrays.copyOf(a, n * 2);
            a[n++] = v;
        }

        int size() {
            return n;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }

    // ---- names ----------------------------------------------------------------------------------

    boolean ignoresCase() {
        return (flags & IGNORE_CASE) != 0;
    }

    NvPair findPair(byte[] name, NvType type) {
        if (pairs == null) return null;
        if (index != null) {
            Object hit = index.get(new NameKey(name, ignoresCase()));
            if (hit == null) return null;
            if (hit instanceof NvPair p) return type == null || p.type() == type ? p : null;
            @SuppressWarnings("unchecked")
            List<NvPair> same = (List<NvPair>) hit;
            for (NvPair p : same) if (type == null || p.type() == type) return p;
            return null;
        }
        boolean fold = ignoresCase();
        for (NvPair p : pairs) {
            if ((type == null || p.type() == type) && NameKey.sameName(p.rawName(), name, fold)) return p;
        }
        return null;
    }

    private void rebuildIndex() {
        index = new HashMap<>();
        for (NvPair p : pairs) indexPair(p);
    }

    private void indexPair(NvPair p) {
        NameKey key = new NameKey(p.rawName(), ignoresCase());
        Object old = index.putIfAbsent(key, p);
        if (old == null) return;
        if (old instanceof NvPair first) {
            List<NvPair> same = new ArrayList<>(2);
            same.add(first);
            same.add(p);
            index.put(key, same);
        } else {
            @SuppressWarnings("unchecked")
            List<NvPair> same = (List<NvPair>) old;
            same.add(p);
        }
    }

    /** A name as a lookup key: its UTF-8 bytes (lookups of names with NUL simply find nothing). */
    private static byte[] lookupName(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    /** A name to add: UTF-8, no NUL, shorter than NV_NAME_MAX with its NUL. */
    static byte[] name(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        if (indexOfNul(b) >= 0) throw usage("nvlist pair name " + quote(b) + " contains a NUL byte");
        if (b.length >= NAME_MAX) {
            throw new NvException(NvException.Code.ENAMETOOLONG, "nvlist pair name of " + b.length
                    + " bytes is too long (at most " + (NAME_MAX - 1) + " bytes)");
        }
        return b;
    }

    private static byte[] cString(String what, String value) {
        return cString(what, value.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] cString(String what, byte[] value) {
        if (indexOfNul(value) >= 0) throw usage(what + " contains a NUL byte, which a C string cannot hold");
        return value.clone();
    }

    private static int descriptor(int fd) {
        if (fd < 0) throw usage("descriptor " + fd + " is negative");
        return fd;
    }

    private static void nonEmpty(String name, int n) {
        if (n == 0) throw usage("array " + quote(name) + " is empty (libnv needs at least one element)");
    }

    private static NvList snapshot(NvList value) {
        if (value.readOnly) return value;
        NvList s = value.copy();
        s.readOnly = true;
        return s;
    }

    static int indexOfNul(byte[] b) {
        for (int i = 0; i < b.length; i++) if (b[i] == 0) return i;
        return -1;
    }

    private static NvException usage(String reason) {
        return new NvException(NvException.Code.EINVAL, reason);
    }

    private static String quote(String s) {
        return NvFormatter.quote(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String quote(byte[] b) {
        return NvFormatter.quote(b);
    }

    // ---- identity -------------------------------------------------------------------------------

    /** Equal when the flags and the pairs, in order, are equal (read-only state does not count). */
    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        return o instanceof NvList l && l.flags == flags && pairs().equals(l.pairs());
    }

    @Override
    public int hashCode() {
        return 31 * flags + pairs().hashCode();
    }

    /** The list in the text format of {@link NvFormatter}. */
    @Override
    public String toString() {
        return NvFormatter.format(this);
    }

    /** A name as a hash key, folded to lower case (ASCII only) for IGNORE_CASE lists. */
    static final class NameKey {
        private final byte[] name;
        private final boolean fold;
        private final int hash;

        NameKey(byte[] name, boolean fold) {
            this.name = name;
            this.fold = fold;
            int h = 1;
            for (byte b : name) h = 31 * h + (fold ? lower(b) : b);
            this.hash = h;
        }

        static int lower(byte b) {
            return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
        }

        static boolean sameName(byte[] a, byte[] b, boolean fold) {
            if (a.length != b.length) return false;
            for (int i = 0; i < a.length; i++) {
                if (a[i] != b[i] && (!fold || lower(a[i]) != lower(b[i]))) return false;
            }
            return true;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof NameKey k && k.fold == fold && sameName(k.name, name, fold);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
