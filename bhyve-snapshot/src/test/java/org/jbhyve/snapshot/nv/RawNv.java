package org.jbhyve.snapshot.nv;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Hand-assembles packed nvlists, valid or not, for tests. {@link #header} writes a list header whose
 * nvlh_size is filled in by {@link #bytes()} (bytes to the end of the buffer) unless given explicitly.
 */
public final class RawNv {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<Integer> autoSize = new ArrayList<>();
    private final ByteOrder order;

    public RawNv() {
        this(ByteOrder.LITTLE_ENDIAN);
    }

    public RawNv(ByteOrder order) {
        this.order = order;
    }

    /** A list header with nvlh_size computed at the end. */
    public RawNv header(int flags, long descriptors) {
        autoSize.add(out.size());
        return header(flags, descriptors, 0);
    }

    public RawNv header(int flags, long descriptors, long size) {
        put(0x6c);
        put(0);
        put(flags);
        u64(descriptors);
        u64(size);
        return this;
    }

    public RawNv pair(int type, String name, long datasize, long nitems) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        return pairRaw(type, n.length + 1, datasize, nitems).raw(n).put(0);
    }

    public RawNv pairRaw(int type, int namesize, long datasize, long nitems) {
        put(type);
        ByteBuffer b = ByteBuffer.allocate(2).order(order).putShort((short) namesize);
        out.writeBytes(b.array());
        u64(datasize);
        u64(nitems);
        return this;
    }

    public RawNv up() {
        return pair(255, "", 0, 0);
    }

    public RawNv next() {
        return pair(254, "", 0, 0);
    }

    public RawNv u64(long v) {
        out.writeBytes(ByteBuffer.allocate(8).order(order).putLong(v).array());
        return this;
    }

    public RawNv put(int b) {
        out.write(b);
        return this;
    }

    public RawNv raw(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    public RawNv str(String s) {
        return raw(s.getBytes(StandardCharsets.UTF_8)).put(0);
    }

    public byte[] bytes() {
        byte[] b = out.toByteArray();
        ByteBuffer bb = ByteBuffer.wrap(b).order(order);
        for (int at : autoSize) bb.putLong(at + 11, b.length - at - 19);
        return b;
    }
}
