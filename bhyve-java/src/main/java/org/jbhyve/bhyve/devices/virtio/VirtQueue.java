package org.jbhyve.bhyve.devices.virtio;

import static org.jbhyve.bhyve.devices.virtio.Virtio.*;

import java.lang.invoke.VarHandle;

import org.jbhyve.vmm.GuestMemory;
import org.jbhyve.vmm.GuestMemoryException;

/**
 * One split virtqueue (virtio 1.2 section 2.7) as the device side sees it: where the driver put the
 * descriptor table, the available ring and the used ring, how far the device has consumed the one
 * and filled the other, and the MSI-X vector of its interrupt.
 *
 * <p>Everything read from guest memory is treated as hostile input: the ring layout is checked when
 * the queue is enabled, the available index may not run ahead by more than the queue size, every
 * descriptor is copied once and then checked (index, flags, address and length inside RAM, chain
 * length, indirect table shape, readable-before-writable order), and the bytes of one chain are
 * capped. A violation is a {@link RingViolation}; the transport then stops using the queue.
 *
 * <p>Not thread-safe: the transport calls it with its lock held. The driver runs concurrently on
 * other CPUs, so ring indices are read with acquire and published with release semantics, and every
 * descriptor field is read exactly once (no double fetch).
 */
public final class VirtQueue {
    /** The most buffers one chain may have (QEMU's VIRTQUEUE_MAX_SIZE): bounds indirect tables. */
    public static final int MAX_CHAIN_SEGMENTS = 1024;
    /** The most bytes one chain may describe. Far above any real request; stops absurd lengths. */
    public static final long MAX_CHAIN_BYTES = 256L << 20;

    private final int index;
    private final int maxSize;

    private GuestMemory memory;
    private int size;
    private long descAddr, availAddr, usedAddr;
    /** The legacy PFN register (0 unless set up through the legacy interface). */
    private long legacyPfn;
    private boolean ready;
    private boolean broken;
    private int msixVector = NO_VECTOR;
    /** Free-running 16-bit indices: next available entry to consume, next used entry to fill. */
    private int nextAvail, nextUsed;
    /** The used index at the last interrupt decision (the "old" of vring_need_event). */
    private int signalledUsed;
    /**
     * The driver's available index when the device last read it. Usually {@link #nextAvail} once a model
     * has drained the queue; ahead of it when the model put chains back unused (too few buffers for what
     * it has to deliver): those are no reason to look again, only buffers beyond this index are.
     */
    private int seenAvail;
    private boolean eventIdx, indirect;
    /** Bumped whenever the queue is reset or disabled: completions of older chains are dropped. */
    private long generation;
    /** The descriptor a walk read last (fields, not an array, so that a walk allocates nothing). */
    private long descBufAddr, descBufLen;
    private int descFlags, descNext;

    VirtQueue(int index, int maxSize) {
        if (maxSize < 1 || maxSize > MAX_QUEUE_SIZE || Integer.bitCount(maxSize) != 1) {
            throw new IllegalArgumentException("queue size must be a power of two up to 32768, not " + maxSize);
        }
        this.index = index;
        this.maxSize = maxSize;
        this.size = maxSize;
    }

    public int index() { return index; }

    public int maxSize() { return maxSize; }

    public int size() { return size; }

    public boolean ready() { return ready; }

    public boolean broken() { return broken; }

    public long descAddr() { return descAddr; }

    public long availAddr() { return availAddr; }

    public long usedAddr() { return usedAddr; }

    long legacyPfn() { return legacyPfn; }

    public int msixVector() { return msixVector; }

    public int nextAvail() { return nextAvail; }

    public int nextUsed() { return nextUsed; }

    int signalledUsed() { return signalledUsed; }

    long generation() { return generation; }

    void setMsixVector(int vector) { msixVector = vector; }

    /** Modern interface: the driver's queue_size (checked when the queue is enabled). */
    void setSize(int size) { this.size = size; }

    void setDesc(long a) { descAddr = a; }

    void setAvail(long a) { availAddr = a; }

    void setUsed(long a) { usedAddr = a; }

    void setFeatures(boolean eventIdx, boolean indirect) {
        this.eventIdx = eventIdx;
        this.indirect = indirect;
    }

    void markBroken() {
        broken = true;
    }

    /** Back to the state after device reset: disabled, no addresses, no vector. */
    void reset() {
        memory = null;
        size = maxSize;
        descAddr = availAddr = usedAddr = 0;
        legacyPfn = 0;
        ready = false;
        broken = false;
        msixVector = NO_VECTOR;
        nextAvail = nextUsed = signalledUsed = seenAvail = 0;
        eventIdx = indirect = false;
        generation++;
    }

    /**
     * Why a ring of {@code size} entries at these addresses is unusable, or null if it is fine: size a
     * power of two no larger than {@code maxSize}, the spec's alignments, and all three areas
     * (event index fields included) inside guest RAM.
     */
    static String layoutProblem(GuestMemory memory, int maxSize, int size, long desc, long avail, long used) {
        if (size < 1 || size > maxSize || Integer.bitCount(size) != 1) {
            return "queue size " + size + " is not a power of two from 1 to " + maxSize;
        }
        if ((desc & 15) != 0) return String.format("descriptor table at 0x%x is not 16-byte aligned", desc);
        if ((avail & 1) != 0) return String.format("available ring at 0x%x is not 2-byte aligned", avail);
        if ((used & 3) != 0) return String.format("used ring at 0x%x is not 4-byte aligned", used);
        long descLen = (long) DESC_SIZE * size, availLen = 6 + 2L * size, usedLen = 6 + 8L * size;
        if (!memory.isRam(desc, descLen)) return String.format("descriptor table 0x%x+0x%x is not in guest RAM", desc, descLen);
        if (!memory.isRam(avail, availLen)) return String.format("available ring 0x%x+0x%x is not in guest RAM", avail, availLen);
        if (!memory.isRam(used, usedLen)) return String.format("used ring 0x%x+0x%x is not in guest RAM", used, usedLen);
        return null;
    }

    /** The legacy interface's fixed layout for a ring at page {@code pfn}: desc, avail, used. */
    static long[] legacyLayout(long pfn, int size) {
        long desc = pfn << LEGACY_PFN_SHIFT;
        long avail = desc + (long) DESC_SIZE * size;
        long used = (avail + 2L * (3 + size) + LEGACY_ALIGN - 1) & -(long) LEGACY_ALIGN;
        return new long[] {desc, avail, used};
    }

    /**
     * Enables the queue at the addresses set so far (modern) after checking them.
     *
     * @return null, or why the ring cannot be used (the queue stays disabled)
     */
    String enable(GuestMemory memory) {
        String problem = layoutProblem(memory, maxSize, size, descAddr, availAddr, usedAddr);
        if (problem != null) return problem;
        this.memory = memory;
        ready = true;
        broken = false;
        nextAvail = nextUsed = signalledUsed = seenAvail = 0;
        generation++;
        return null;
    }

    /** Legacy: sets the ring up at page {@code pfn} with the full queue size; 0 disables the queue. */
    String enableLegacy(GuestMemory memory, long pfn) {
        if (pfn == 0) {
            int vector = msixVector; // the driver sets the vector separately; disabling keeps it
            reset();
            msixVector = vector;
            return null;
        }
        long[] layout = legacyLayout(pfn, maxSize);
        String problem = layoutProblem(memory, maxSize, maxSize, layout[0], layout[1], layout[2]);
        if (problem != null) return "ring at page frame 0x" + Long.toHexString(pfn) + ": " + problem;
        size = maxSize;
        descAddr = layout[0];
        availAddr = layout[1];
        usedAddr = layout[2];
        legacyPfn = pfn;
        this.memory = memory;
        ready = true;
        broken = false;
        nextAvail = nextUsed = signalledUsed = seenAvail = 0;
        generation++; // completions of chains from a ring set up earlier are dropped
        return null;
    }

    /**
     * Restores the queue from a snapshot; the caller checked the layout of a ready queue with {@link #layoutProblem}
     * (a queue not ready may hold any queue_size the driver wrote: {@link #enable} checks it).
     */
    void restore(GuestMemory memory, int size, long desc, long avail, long used, long pfn, boolean ready,
            boolean broken, int vector, int nextAvail, int nextUsed, int signalledUsed) {
        generation++;
        this.memory = ready ? memory : null;
        this.size = size;
        this.descAddr = desc;
        this.availAddr = avail;
        this.usedAddr = used;
        this.legacyPfn = pfn;
        this.ready = ready;
        this.broken = broken;
        this.msixVector = vector;
        this.nextAvail = nextAvail & 0xffff;
        this.seenAvail = this.nextAvail;
        this.nextUsed = nextUsed & 0xffff;
        this.signalledUsed = signalledUsed & 0xffff;
    }

    // ---------------------------------------------------------------- guest memory access

    private int u16(long gpa) throws RingViolation {
        try {
            return memory.readShort(gpa) & 0xffff;
        } catch (GuestMemoryException e) {
            throw new RingViolation("queue " + index + ": ring access at 0x" + Long.toHexString(gpa) + " left guest RAM");
        }
    }

    private void put16(long gpa, int v) throws RingViolation {
        try {
            memory.writeShort(gpa, (short) v);
        } catch (GuestMemoryException e) {
            throw new RingViolation("queue " + index + ": ring access at 0x" + Long.toHexString(gpa) + " left guest RAM");
        }
    }

    /** The driver's available index, read with acquire semantics (ring entries after it are valid). */
    private int availIdx() throws RingViolation {
        int v = u16(availAddr + 2);
        VarHandle.acquireFence();
        seenAvail = v;
        return v;
    }

    /**
     * Takes the next available chain, or returns null if there is none.
     *
     * @throws RingViolation if the ring or the chain is malformed (the chain is not consumed)
     */
    DescriptorChain pop(long generationTag) throws RingViolation {
        return pop(generationTag, null);
    }

    /**
     * As {@link #pop(long)}, but fills {@code reuse} (when not null) instead of allocating a chain:
     * for a device that completes every chain before it takes the next batch, so a request allocates
     * nothing. After a RingViolation {@code reuse} holds a partial chain; it must not be used.
     */
    DescriptorChain pop(long generationTag, DescriptorChain reuse) throws RingViolation {
        if (!ready || broken) return null;
        int avail = availIdx();
        int pending = (avail - nextAvail) & 0xffff;
        if (pending == 0) return null;
        if (pending > size) {
            throw new RingViolation(String.format("queue %d: available index jumped from %d to %d, more than the %d"
                    + " entries of the ring", index, nextAvail, avail, size));
        }
        int head = u16(availAddr + 4 + 2L * (nextAvail % size));
        if (head >= size) {
            throw new RingViolation(String.format("queue %d: available ring entry %d names descriptor %d of a %d-entry"
                    + " table", index, nextAvail, head, size));
        }
        DescriptorChain chain = reuse == null ? new DescriptorChain(memory, head, generationTag)
                : reuse.reset(memory, head, generationTag);
        walk(chain);
        nextAvail = (nextAvail + 1) & 0xffff;
        return chain;
    }

    /** Reads one 16-byte descriptor exactly once: addr, len, flags, next. */
    private void readDescriptor(long gpa) throws RingViolation {
        try {
            descBufAddr = memory.readLong(gpa);
            descBufLen = Integer.toUnsignedLong(memory.readInt(gpa + 8));
            int fn = memory.readInt(gpa + 12);
            descFlags = fn & 0xffff;
            descNext = fn >>> 16;
        } catch (GuestMemoryException e) {
            throw new RingViolation("queue " + index + ": descriptor at 0x" + Long.toHexString(gpa) + " is outside guest RAM");
        }
    }

    /** Follows the chain from its head into {@code chain}, checking every descriptor. */
    private void walk(DescriptorChain chain) throws RingViolation {
        int head = chain.head();
        int idx = head;
        for (int hops = 1; ; hops++) {
            if (hops > size) {
                throw new RingViolation(String.format("queue %d: chain from head %d is longer than the %d-entry queue"
                        + " (a loop?)", index, head, size));
            }
            readDescriptor(descAddr + (long) DESC_SIZE * idx);
            int flags = descFlags;
            if ((flags & DESC_F_INDIRECT) != 0) {
                if (!indirect) {
                    throw new RingViolation(String.format("queue %d: descriptor %d is INDIRECT but"
                            + " VIRTIO_RING_F_INDIRECT_DESC was not negotiated", index, idx));
                }
                if ((flags & DESC_F_NEXT) != 0) {
                    throw new RingViolation(String.format("queue %d: descriptor %d has both INDIRECT and NEXT", index, idx));
                }
                walkIndirect(chain, idx, descBufAddr, descBufLen);
                return;
            }
            addSegment(chain, descBufAddr, descBufLen, (flags & DESC_F_WRITE) != 0, -1, idx);
            if ((flags & DESC_F_NEXT) == 0) return;
            int next = descNext;
            if (next >= size) {
                throw new RingViolation(String.format("queue %d: descriptor %d chains to %d, outside the %d-entry table",
                        index, idx, next, size));
            }
            idx = next;
        }
    }

    private void walkIndirect(DescriptorChain chain, int at, long table, long length) throws RingViolation {
        if (length == 0 || length % DESC_SIZE != 0) {
            throw new RingViolation(String.format("queue %d: indirect table of descriptor %d is %d bytes, not a"
                    + " non-zero multiple of 16", index, at, length));
        }
        long entries = length / DESC_SIZE;
        if (entries > MAX_CHAIN_SEGMENTS) {
            throw new RingViolation(String.format("queue %d: indirect table of descriptor %d has %d entries (at most"
                    + " %d)", index, at, entries, MAX_CHAIN_SEGMENTS));
        }
        if (!memory.isRam(table, length)) {
            throw new RingViolation(String.format("queue %d: indirect table 0x%x+0x%x of descriptor %d is not in guest"
                    + " RAM", index, table, length, at));
        }
        int i = 0;
        for (int hops = 1; ; hops++) {
            if (hops > entries) {
                throw new RingViolation(String.format("queue %d: indirect chain of descriptor %d is longer than its"
                        + " %d-entry table (a loop?)", index, at, entries));
            }
            readDescriptor(table + (long) DESC_SIZE * i);
            int flags = descFlags;
            if ((flags & DESC_F_INDIRECT) != 0) {
                throw new RingViolation(String.format("queue %d: indirect table of descriptor %d nests another"
                        + " (entry %d is INDIRECT)", index, at, i));
            }
            addSegment(chain, descBufAddr, descBufLen, (flags & DESC_F_WRITE) != 0, at, i);
            if ((flags & DESC_F_NEXT) == 0) return;
            int next = descNext;
            if (next >= entries) {
                throw new RingViolation(String.format("queue %d: indirect entry %d of descriptor %d chains to %d,"
                        + " outside the %d-entry table", index, i, at, next, entries));
            }
            i = next;
        }
    }

    /**
     * Checks one buffer and appends it to the chain. {@code table} is the descriptor whose indirect
     * table holds entry {@code entry}, or -1 for a descriptor of the ring's own table (the pair only
     * names the buffer in a violation message, which is built only when there is one).
     */
    private void addSegment(DescriptorChain chain, long addr, long len, boolean writable, int table, int entry)
            throws RingViolation {
        if (!writable && chain.hasWritable()) {
            throw new RingViolation(String.format("queue %d: %s is device-readable but follows a device-writable"
                    + " buffer", index, descriptorName(table, entry)));
        }
        if (len > 0 && !memory.isRam(addr, len)) {
            throw new RingViolation(String.format("queue %d: %s buffer 0x%x+0x%x is not in guest RAM", index,
                    descriptorName(table, entry), addr, len));
        }
        if (chain.readableBytes() + chain.writableBytes() + len > MAX_CHAIN_BYTES) {
            throw new RingViolation(String.format("queue %d: chain of head %d describes more than %d MiB", index,
                    chain.head(), MAX_CHAIN_BYTES >> 20));
        }
        if (chain.segments() >= Math.max(size, MAX_CHAIN_SEGMENTS)) {
            throw new RingViolation(String.format("queue %d: chain of head %d has more than %d buffers", index,
                    chain.head(), Math.max(size, MAX_CHAIN_SEGMENTS)));
        }
        chain.add(addr, (int) len, writable);
    }

    private static String descriptorName(int table, int entry) {
        return table < 0 ? "descriptor " + entry : "indirect entry " + entry + " of descriptor " + table;
    }

    /** Puts the chain back (the device could not handle it now): the next pop returns it again. */
    void unpop() {
        nextAvail = (nextAvail - 1) & 0xffff;
    }

    /**
     * Returns a chain to the driver with {@code written} bytes written into its writable buffers,
     * publishing the used index with release semantics.
     */
    void push(int head, long written) throws RingViolation {
        pushUnpublished(head, written);
        publishUsed();
    }

    /**
     * Writes the next used entry without moving the used index the driver sees: several entries
     * (one received packet spread over mergeable buffers) become visible at once by {@link #publishUsed}.
     */
    void pushUnpublished(int head, long written) throws RingViolation {
        long entry = usedAddr + 4 + 8L * (nextUsed % size);
        try {
            memory.writeInt(entry, head);
            memory.writeInt(entry + 4, (int) Math.min(written, 0xffffffffL));
        } catch (GuestMemoryException e) {
            throw new RingViolation("queue " + index + ": used ring entry at 0x" + Long.toHexString(entry) + " left guest RAM");
        }
        nextUsed = (nextUsed + 1) & 0xffff;
    }

    /** Publishes the used index with release semantics: every entry written before is visible first. */
    void publishUsed() throws RingViolation {
        VarHandle.releaseFence();
        put16(usedAddr + 2, nextUsed);
    }

    /**
     * Whether the driver wants an interrupt for the used entries added since the last call: with
     * VIRTIO_RING_F_EVENT_IDX when the used index passed its used_event, otherwise unless it set
     * VRING_AVAIL_F_NO_INTERRUPT.
     */
    boolean needsInterrupt() throws RingViolation {
        VarHandle.fullFence(); // our used index store before the driver's suppression fields load
        int now = nextUsed;
        int old = signalledUsed;
        signalledUsed = now;
        if (eventIdx) {
            int usedEvent = u16(availAddr + 4 + 2L * size);
            return ((now - usedEvent - 1) & 0xffff) < ((now - old) & 0xffff);
        }
        if (now == old) return false;
        return (u16(availAddr) & AVAIL_F_NO_INTERRUPT) == 0;
    }

    /**
     * Asks the driver not to notify (while the device is draining the queue anyway), or to notify
     * again; with EVENT_IDX the avail_event field, otherwise VRING_USED_F_NO_NOTIFY.
     *
     * <p>Enabling asks for a notification of the next buffer beyond those the device has seen (with
     * EVENT_IDX: avail_event = the driver's available index as last read, as QEMU does), and answers
     * whether such buffers arrived meanwhile. After the device drained the queue that is any buffer at
     * all; after it put chains back unused (it needs more buffers than there are), buffers it already
     * saw do not count: the caller waits for the driver to offer more instead of taking the same ones
     * again at once, over and over.
     *
     * @return when enabling: whether buffers became available meanwhile (the caller must look again)
     */
    boolean setNotification(boolean enable) throws RingViolation {
        if (!ready || broken) return false;
        int seen = seenAvail;
        if (eventIdx) {
            if (!enable) return false;
            put16(usedAddr + 4 + 8L * size, seen);
        } else {
            put16(usedAddr, enable ? 0 : USED_F_NO_NOTIFY);
            if (!enable) return false;
        }
        VarHandle.fullFence(); // our store before the driver's avail index load
        return availIdx() != seen;
    }

    @Override
    public String toString() {
        return String.format("queue %d size %d%s desc 0x%x avail 0x%x used 0x%x avail_next %d used_next %d vector %d",
                index, size, ready ? (broken ? " broken" : " ready") : " disabled", descAddr, availAddr, usedAddr,
                nextAvail, nextUsed, msixVector);
    }
}
