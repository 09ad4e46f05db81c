package org.jbhyve.bhyve.boot;

import org.jbhyve.vmm.GuestMemory;

import java.util.ArrayList;
import java.util.List;

import static org.jbhyve.bhyve.boot.ImageFile.hex;

/**
 * Everything a loader will put into guest memory, decided and checked before any of it is written:
 * each piece is named, must lie in RAM and must not overlap another. Loaders build one in
 * {@code prepare} and replay it in {@code load}, so a bad image never leaves a half-written guest.
 */
final class MemoryPlan {
    /**
     * One piece: {@code length} bytes of {@code data} from {@code offset} go to {@code gpa}, then
     * {@code zeroFill} zero bytes follow (an ELF segment's bss). A reservation has no data: someone
     * else writes there (page tables) or the kernel will use it (its decompression space).
     */
    record Piece(String what, long gpa, byte[] data, int offset, int length, long zeroFill) {
        long size() { return length + zeroFill; }

        long end() { return gpa + size(); }

        boolean isReservation() { return data == null; }
    }

    private final RamLayout ram;
    private final String owner;
    private final List<Piece> pieces = new ArrayList<>();

    /** {@code owner} names the image, for messages. */
    MemoryPlan(RamLayout ram, String owner) {
        this.ram = ram;
        this.owner = owner;
    }

    /** Adds data; checks it fits in RAM and overlaps nothing planned so far. */
    void write(String what, long gpa, byte[] data, int offset, int length, long zeroFill) {
        add(new Piece(what, gpa, data, offset, length, zeroFill));
    }

    void write(String what, long gpa, byte[] data) {
        write(what, gpa, data, 0, data.length, 0);
    }

    /** Claims a range that is written some other way or must stay free. */
    void reserve(String what, long gpa, long size) {
        add(new Piece(what, gpa, null, 0, 0, size));
    }

    private void add(Piece p) {
        if (p.size() <= 0) return;
        if (p.gpa() < 0 || p.end() < p.gpa() || !ram.isRam(p.gpa(), p.size())) {
            throw new IllegalArgumentException(owner + ": the " + p.what() + " at " + range(p)
                    + " is not inside guest RAM (lowmem ends at " + hex(ram.lowmemEnd()) + ", "
                    + ram.describe() + " in all); give the guest more memory (-m) or use another image");
        }
        for (Piece q : pieces) {
            if (p.gpa() < q.end() && q.gpa() < p.end()) {
                throw new IllegalArgumentException(owner + ": the " + p.what() + " at " + range(p) + " overlaps the "
                        + q.what() + " at " + range(q));
            }
        }
        pieces.add(p);
    }

    private static String range(Piece p) {
        return "[" + hex(p.gpa()) + ", " + hex(p.end()) + ")";
    }

    List<Piece> pieces() { return List.copyOf(pieces); }

    /** The end of the highest piece planned so far (0 when empty). */
    long end() {
        return pieces.stream().mapToLong(Piece::end).max().orElse(0);
    }

    /** Writes every piece. The caller has checked that {@code memory} has the planned layout. */
    void apply(GuestMemory memory, String planned) {
        ram.requireSameAs(memory, planned);
        for (Piece p : pieces) {
            if (p.isReservation()) continue;
            memory.write(p.gpa(), p.data(), p.offset(), p.length());
            if (p.zeroFill() > 0) memory.fill(p.gpa() + p.length(), p.zeroFill(), (byte) 0);
        }
    }
}
