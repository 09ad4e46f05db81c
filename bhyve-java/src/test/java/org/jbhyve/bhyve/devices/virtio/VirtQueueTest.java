package org.jbhyve.bhyve.devices.virtio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jbhyve.bhyve.devices.virtio.Virtio.*;

import java.lang.foreign.Arena;
import java.util.Random;

import org.jbhyve.vmm.GuestMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The split virtqueue against rings a hostile driver writes: every malformed index, descriptor,
 * chain and indirect table is a {@link RingViolation} (never another exception, never a hang, never
 * an allocation proportional to a guest number), and well-formed ones come out as chains.
 */
class VirtQueueTest {
    private static final long RAM = 1 << 20;
    private static final int SIZE = 8;
    private static final long BUF = 0x40000;

    private final Arena arena = Arena.ofShared();
    private final GuestMemory mem = new GuestMemory(new GuestMemory.Region(0, RAM, arena.allocate(RAM, 4096)), null);
    private final VirtQueue q = new VirtQueue(0, SIZE);
    private final GuestRing ring = GuestRing.modern(mem, 0x10000, SIZE);

    VirtQueueTest() {
        q.setDesc(ring.desc);
        q.setAvail(ring.avail);
        q.setUsed(ring.used);
        assertThat(q.enable(mem)).isNull();
        q.setFeatures(false, true);
    }

    @AfterEach
    void close() {
        arena.close();
    }

    private DescriptorChain pop() throws RingViolation {
        return q.pop(q.generation());
    }

    private String violation() {
        try {
            DescriptorChain c = pop();
            throw new AssertionError("no violation; got " + c);
        } catch (RingViolation e) {
            return e.getMessage();
        }
    }

    @Test
    void aChainOfReadableThenWritableBuffersComesOutAsTwoStreams() throws Exception {
        ring.desc(0, BUF, 16, DESC_F_NEXT, 1);
        ring.desc(1, BUF + 0x100, 512, DESC_F_NEXT, 2);
        ring.desc(2, BUF + 0x400, 1, DESC_F_WRITE, 0);
        mem.write(BUF, "0123456789abcdef".getBytes());
        ring.offer(0);

        DescriptorChain c = pop();
        assertThat(c.head()).isZero();
        assertThat(c.segments()).isEqualTo(3);
        assertThat(c.readableBytes()).isEqualTo(528);
        assertThat(c.writableBytes()).isEqualTo(1);
        byte[] b = new byte[4];
        c.read(2, b, 0, 4);
        assertThat(new String(b)).isEqualTo("2345");
        c.write(0, new byte[] {42}, 0, 1);
        assertThat(mem.readByte(BUF + 0x400)).isEqualTo((byte) 42);
        assertThat(pop()).isNull();

        q.push(0, 1);
        assertThat(ring.usedIdx()).isEqualTo(1);
        assertThat(ring.usedId(0)).isZero();
        assertThat(ring.usedLength(0)).isEqualTo(1);
    }

    @Test
    void fieldsAreReadInPlaceOrGatheredWhereTheDriverSplitThem() throws Exception {
        // a 16-byte header cut 3 + 9 + 4, so the int at 0 and the long at 8 each straddle buffers
        ring.desc(0, BUF, 3, DESC_F_NEXT, 1);
        ring.desc(1, BUF + 0x100, 9, DESC_F_NEXT, 2);
        ring.desc(2, BUF + 0x200, 4, DESC_F_NEXT, 3);
        ring.desc(3, BUF + 0x300, 2, DESC_F_WRITE, 0);
        long type = 0x0403020108070605L, sector = 0x1817161514131211L;
        byte[] header = new byte[16];
        java.nio.ByteBuffer.wrap(header).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0, type).putLong(8, sector);
        mem.write(BUF, header, 0, 3);
        mem.write(BUF + 0x100, header, 3, 9);
        mem.write(BUF + 0x200, header, 12, 4);
        ring.offer(0);
        DescriptorChain c = pop();
        assertThat(c.readInt(0)).isEqualTo((int) type);
        assertThat(c.readInt(4)).isEqualTo((int) (type >>> 32)); // in place: inside the second buffer
        assertThat(c.readLong(8)).isEqualTo(sector);
        assertThat(c.readLong(0)).isEqualTo(type);
        c.writeByte(1, (byte) 7);
        assertThat(mem.readByte(BUF + 0x301)).isEqualTo((byte) 7);
        assertThatThrownBy(() -> c.readLong(9)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> c.readInt(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> c.writeByte(2, (byte) 0)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void aReusedChainHoldsOnlyTheNewRequest() throws Exception {
        ring.desc(0, BUF, 16, DESC_F_NEXT, 1);
        ring.desc(1, BUF + 0x100, 512, DESC_F_NEXT | DESC_F_WRITE, 2);
        ring.desc(2, BUF + 0x400, 1, DESC_F_WRITE, 0);
        ring.offer(0);
        DescriptorChain first = q.pop(q.generation(), null);
        ring.desc(4, BUF + 0x800, 8, 0, 0);
        ring.offer(4);
        DescriptorChain again = q.pop(q.generation(), first);
        assertThat(again).isSameAs(first);
        assertThat(again.head()).isEqualTo(4);
        assertThat(again.segments()).isEqualTo(1);
        assertThat(again.readableBytes()).isEqualTo(8);
        assertThat(again.writableBytes()).isZero();
        assertThatThrownBy(() -> again.writeByte(0, (byte) 1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void indirectTablesAreUnrolled() throws Exception {
        long table = 0x30000;
        ring.indirect(table, 0, BUF, 16, DESC_F_NEXT, 2);
        ring.indirect(table, 2, BUF + 0x100, 100, DESC_F_NEXT | DESC_F_WRITE, 1);
        ring.indirect(table, 1, BUF + 0x200, 1, DESC_F_WRITE, 0);
        ring.desc(5, table, 48, DESC_F_INDIRECT, 0);
        ring.offer(5);
        DescriptorChain c = pop();
        assertThat(c.head()).isEqualTo(5);
        assertThat(c.segments()).isEqualTo(3);
        assertThat(c.readableBytes()).isEqualTo(16);
        assertThat(c.writableBytes()).isEqualTo(101);
    }

    @Test
    void indirectWithoutTheFeatureIsAViolation() {
        q.setFeatures(false, false);
        ring.desc(0, 0x30000, 16, DESC_F_INDIRECT, 0);
        ring.offer(0);
        assertThat(violation()).contains("VIRTIO_RING_F_INDIRECT_DESC was not negotiated");
    }

    @Test
    void availIndexRunningAheadByMoreThanTheQueueIsAViolation() {
        ring.setAvailIdx(SIZE + 1);
        assertThat(violation()).contains("available index jumped from 0 to 9");
        ring.setAvailIdx(0xffff); // backwards is a huge jump forward, mod 2^16
        assertThat(violation()).contains("jumped");
    }

    @Test
    void headOutsideTheTableIsAViolation() {
        ring.offer(SIZE);
        assertThat(violation()).contains("names descriptor 8 of a 8-entry table");
    }

    @Test
    void nextOutsideTheTableIsAViolation() {
        ring.desc(0, BUF, 16, DESC_F_NEXT, 0xffff);
        ring.offer(0);
        assertThat(violation()).contains("chains to 65535");
    }

    @Test
    void aLoopingChainIsAViolationNotAHang() {
        ring.desc(0, BUF, 16, DESC_F_NEXT, 1);
        ring.desc(1, BUF, 16, DESC_F_NEXT, 0);
        ring.offer(0);
        assertThat(violation()).contains("longer than the 8-entry queue");
        // a self-loop too
        ring.desc(3, BUF, 16, DESC_F_NEXT, 3);
        ring.setAvailEntry(0, 3);
        assertThat(violation()).contains("loop");
    }

    @Test
    void buffersOutsideRamAreViolations() {
        ring.desc(0, RAM - 8, 16, 0, 0); // runs off the end of RAM
        ring.offer(0);
        assertThat(violation()).contains("not in guest RAM");
        ring.desc(0, 0xffff_ffff_ffff_fff0L, 0x20, 0, 0); // address + length wraps around
        assertThat(violation()).contains("not in guest RAM");
        ring.desc(0, 0xfee00000L, 4, 0, 0); // the LAPIC, not RAM
        assertThat(violation()).contains("not in guest RAM");
    }

    @Test
    void absurdLengthsAreViolations() throws Exception {
        ring.desc(0, 0, 0xffffffffL, 0, 0);
        ring.offer(0);
        assertThat(violation()).contains("not in guest RAM");
        // Buffers may overlap: eight times all of RAM is still a chain (8 MiB) ...
        for (int i = 0; i < SIZE; i++) ring.desc(i, 0, RAM, i < SIZE - 1 ? DESC_F_NEXT : 0, i + 1);
        assertThat(pop().readableBytes()).isEqualTo(8 * RAM);
        ring.offer(0);
        // ... but 300 times is more than a chain may describe.
        long table = 0x30000;
        for (int i = 0; i < 300; i++) ring.indirect(table, i, 0, RAM, i < 299 ? DESC_F_NEXT : 0, i + 1);
        ring.desc(0, table, 300 * 16, DESC_F_INDIRECT, 0);
        assertThat(violation()).contains("more than 256 MiB");
    }

    @Test
    void aReadableBufferAfterAWritableOneIsAViolation() {
        ring.desc(0, BUF, 16, DESC_F_NEXT | DESC_F_WRITE, 1);
        ring.desc(1, BUF, 16, 0, 0);
        ring.offer(0);
        assertThat(violation()).contains("device-readable but follows a device-writable");
    }

    @Test
    void indirectAndNextTogetherIsAViolation() {
        ring.desc(0, 0x30000, 16, DESC_F_INDIRECT | DESC_F_NEXT, 1);
        ring.offer(0);
        assertThat(violation()).contains("both INDIRECT and NEXT");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 8, 24, 17})
    void indirectTablesOfABadLengthAreViolations(long length) {
        ring.desc(0, 0x30000, length, DESC_F_INDIRECT, 0);
        ring.offer(0);
        assertThat(violation()).contains("not a non-zero multiple of 16");
    }

    @Test
    void tooLongIndirectTablesAreViolations() {
        ring.desc(0, 0x30000, 16L * (VirtQueue.MAX_CHAIN_SEGMENTS + 1), DESC_F_INDIRECT, 0);
        ring.offer(0);
        assertThat(violation()).contains("1025 entries");
    }

    @Test
    void indirectTablesOutsideRamAreViolations() {
        ring.desc(0, RAM - 16, 32, DESC_F_INDIRECT, 0);
        ring.offer(0);
        assertThat(violation()).contains("indirect table").contains("not in guest RAM");
    }

    @Test
    void nestedIndirectTablesAreViolations() {
        long table = 0x30000;
        ring.indirect(table, 0, 0x31000, 32, DESC_F_INDIRECT, 0);
        ring.desc(0, table, 16, DESC_F_INDIRECT, 0);
        ring.offer(0);
        assertThat(violation()).contains("nests another");
    }

    @Test
    void loopsAndBadLinksInsideIndirectTablesAreViolations() {
        long table = 0x30000;
        ring.indirect(table, 0, BUF, 1, DESC_F_NEXT, 1);
        ring.indirect(table, 1, BUF, 1, DESC_F_NEXT, 0);
        ring.desc(0, table, 32, DESC_F_INDIRECT, 0);
        ring.offer(0);
        assertThat(violation()).contains("longer than its 2-entry table");
        ring.indirect(table, 1, BUF, 1, DESC_F_NEXT, 2);
        assertThat(violation()).contains("chains to 2, outside the 2-entry table");
    }

    @Test
    void ringLayoutsAreCheckedWhenTheQueueIsEnabled() {
        VirtQueue v = new VirtQueue(1, 256);
        assertThat(VirtQueue.layoutProblem(mem, 256, 100, 0, 0x1000, 0x2000)).contains("not a power of two");
        assertThat(VirtQueue.layoutProblem(mem, 256, 512, 0, 0x1000, 0x2000)).contains("not a power of two from 1 to 256");
        assertThat(VirtQueue.layoutProblem(mem, 256, 256, 8, 0x1000, 0x2000)).contains("not 16-byte aligned");
        assertThat(VirtQueue.layoutProblem(mem, 256, 256, 0, 0x1001, 0x2000)).contains("not 2-byte aligned");
        assertThat(VirtQueue.layoutProblem(mem, 256, 256, 0, 0x1000, 0x2002)).contains("not 4-byte aligned");
        assertThat(VirtQueue.layoutProblem(mem, 256, 256, RAM - 16, 0x1000, 0x2000)).contains("descriptor table");
        assertThat(VirtQueue.layoutProblem(mem, 256, 256, 0, RAM - 8, 0x2000)).contains("available ring");
        assertThat(VirtQueue.layoutProblem(mem, 256, 256, 0, 0x1000, RAM - 0x100)).contains("used ring");
        assertThat(v.enableLegacy(mem, RAM >> 12)).contains("page frame");
        assertThat(v.ready()).isFalse();
        assertThat(v.enableLegacy(mem, 0x20)).isNull();
        assertThat(v.descAddr()).isEqualTo(0x20000);
        assertThat(v.availAddr()).isEqualTo(0x20000 + 16 * 256);
        assertThat(v.usedAddr()).isEqualTo(0x20000 + 0x2000); // 4096 + 518 rounded up to the next page
    }

    @Test
    void interruptsFollowNoInterruptWithoutEventIdx() throws Exception {
        ring.desc(0, BUF, 1, DESC_F_WRITE, 0);
        ring.offer(0);
        pop();
        q.push(0, 1);
        assertThat(q.needsInterrupt()).isTrue();
        assertThat(q.needsInterrupt()).isFalse(); // nothing new
        ring.availFlags(AVAIL_F_NO_INTERRUPT);
        ring.offer(0);
        pop();
        q.push(0, 1);
        assertThat(q.needsInterrupt()).isFalse();
    }

    @Test
    void interruptsFollowUsedEventWithEventIdx() throws Exception {
        q.setFeatures(true, true);
        ring.desc(0, BUF, 1, DESC_F_WRITE, 0);
        ring.usedEvent(1); // interrupt when the used index passes 1, i.e. after the second entry
        for (int i = 0; i < 3; i++) {
            ring.offer(0);
            pop();
            q.push(0, 1);
            assertThat(q.needsInterrupt()).as("after used entry %d", i).isEqualTo(i == 1);
        }
    }

    @Test
    void notificationSuppressionUsesTheFlagOrAvailEvent() throws Exception {
        assertThat(q.setNotification(false)).isFalse();
        assertThat(ring.usedFlags()).isEqualTo(USED_F_NO_NOTIFY);
        ring.desc(0, BUF, 1, DESC_F_WRITE, 0);
        ring.offer(0);
        assertThat(q.setNotification(true)).as("work arrived while notifications were off").isTrue();
        assertThat(ring.usedFlags()).isZero();

        q.setFeatures(true, true);
        pop();
        assertThat(q.setNotification(true)).isFalse();
        assertThat(ring.availEvent()).isEqualTo(1);
    }

    /**
     * Chains a device put back unused (it needs more buffers than there are) are no reason to look
     * again: enabling notifications answers "nothing new" until the driver offers another buffer, and
     * with EVENT_IDX asks to hear of that one (avail_event = the driver's index, not the rewound one).
     */
    @Test
    void chainsPutBackAreNotNewWork() throws Exception {
        for (boolean eventIdx : new boolean[] {false, true}) {
            VirtQueue v = new VirtQueue(1, SIZE);
            GuestRing g = GuestRing.modern(mem, 0x80000, SIZE);
            v.setDesc(g.desc);
            v.setAvail(g.avail);
            v.setUsed(g.used);
            assertThat(v.enable(mem)).isNull();
            v.setFeatures(eventIdx, true);
            g.desc(0, BUF, 1, DESC_F_WRITE, 0);
            g.desc(1, BUF, 1, DESC_F_WRITE, 0);
            g.offer(0);
            assertThat(v.pop(v.generation())).isNotNull();
            assertThat(v.pop(v.generation())).isNull();
            v.unpop();
            assertThat(v.setNotification(true)).as("event idx %s: the same buffer again", eventIdx).isFalse();
            if (eventIdx) assertThat(g.availEvent()).isEqualTo(1);
            g.offer(1);
            assertThat(v.setNotification(true)).as("event idx %s: a new buffer", eventIdx).isTrue();
            assertThat(v.pop(v.generation()).head()).isZero();
            assertThat(v.pop(v.generation()).head()).isEqualTo(1);
            assertThat(v.pop(v.generation())).isNull();
            assertThat(v.setNotification(true)).isFalse();
            if (eventIdx) assertThat(g.availEvent()).isEqualTo(2);
        }
    }

    /**
     * Random garbage in the descriptor table and the available ring: pop either returns a chain
     * whose every buffer is in RAM or throws a RingViolation; nothing else, ever.
     */
    @Test
    void randomRingsNeverCrashTheDevice() {
        Random r = new Random(0x5eed);
        VirtQueue big = new VirtQueue(2, 64);
        GuestRing g = GuestRing.modern(mem, 0x80000, 64);
        big.setDesc(g.desc);
        big.setAvail(g.avail);
        big.setUsed(g.used);
        assertThat(big.enable(mem)).isNull();
        int chains = 0, violations = 0;
        for (int round = 0; round < 20000; round++) {
            big.setFeatures(r.nextBoolean(), r.nextBoolean());
            for (int i = 0; i < 64; i++) {
                long addr = switch (r.nextInt(4)) {
                    case 0 -> r.nextLong();
                    case 1 -> r.nextInt((int) RAM);
                    case 2 -> 0x30000 + 16L * r.nextInt(8);
                    default -> RAM - r.nextInt(64);
                };
                long len = switch (r.nextInt(3)) {
                    case 0 -> r.nextInt() & 0xffffffffL;
                    case 1 -> r.nextInt(64) * 16L;
                    default -> r.nextInt(4096);
                };
                g.desc(i, addr, len, r.nextInt(8), r.nextInt(4) == 0 ? r.nextInt(0x10000) : r.nextInt(64));
                g.indirect(0x30000, i % 8, addr, len, r.nextInt(8), r.nextInt(10));
            }
            g.setAvailEntry(r.nextInt(64), r.nextInt(4) == 0 ? r.nextInt(0x10000) : r.nextInt(64));
            g.setAvailIdx(big.nextAvail() + (r.nextInt(8) == 0 ? r.nextInt(0x10000) : r.nextInt(3)));
            try {
                DescriptorChain c = big.pop(big.generation());
                if (c != null) {
                    chains++;
                    assertThat(c.segments()).isLessThanOrEqualTo(VirtQueue.MAX_CHAIN_SEGMENTS);
                    assertThat(c.readableBytes() + c.writableBytes()).isLessThanOrEqualTo(VirtQueue.MAX_CHAIN_BYTES);
                    c.forEach(false, 0, c.readableBytes(), (gpa, n) -> assertThat(mem.isRam(gpa, n)).isTrue());
                    c.forEach(true, 0, c.writableBytes(), (gpa, n) -> assertThat(mem.isRam(gpa, n)).isTrue());
                }
            } catch (RingViolation e) {
                violations++;
            } catch (Exception e) {
                throw new AssertionError("round " + round + ": " + e, e);
            }
        }
        assertThat(chains).isPositive();
        assertThat(violations).isPositive();
    }

    @Test
    void readsOutsideAChainsStreamsAreRefused() throws Exception {
        ring.desc(0, BUF, 4, 0, 0);
        ring.offer(0);
        DescriptorChain c = pop();
        assertThatThrownBy(() -> c.read(2, new byte[4], 0, 4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> c.write(0, new byte[1], 0, 1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
