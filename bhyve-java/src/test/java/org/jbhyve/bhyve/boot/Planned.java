package org.jbhyve.bhyve.boot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Reads what a {@link MemoryPlan} will write, as the guest will see it, without a VM. */
final class Planned {
    private final MemoryPlan plan;

    Planned(MemoryPlan plan) {
        this.plan = plan;
    }

    byte[] bytes(long gpa, int length) {
        for (MemoryPlan.Piece p : plan.pieces()) {
            if (!p.isReservation() && gpa >= p.gpa() && gpa + length <= p.gpa() + p.length()) {
                byte[] out = new byte[length];
                System.arraycopy(p.data(), p.offset() + (int) (gpa - p.gpa()), out, 0, length);
                return out;
            }
        }
        throw new AssertionError("nothing planned at 0x" + Long.toHexString(gpa) + " +" + length);
    }

    ByteBuffer buffer(long gpa, int length) {
        return ByteBuffer.wrap(bytes(gpa, length)).order(ByteOrder.LITTLE_ENDIAN);
    }

    int u32(long gpa) { return buffer(gpa, 4).getInt(0); }

    long u64(long gpa) { return buffer(gpa, 8).getLong(0); }

    /** The NUL-terminated string at {@code gpa}. */
    String cString(long gpa) {
        StringBuilder sb = new StringBuilder();
        for (long a = gpa; ; a++) {
            byte b = bytes(a, 1)[0];
            if (b == 0) return sb.toString();
            sb.append((char) (b & 0xff));
        }
    }

    MemoryPlan.Piece piece(String what) {
        return plan.pieces().stream().filter(p -> p.what().equals(what)).findFirst()
                .orElseThrow(() -> new AssertionError("no planned piece '" + what + "' in " + plan.pieces()));
    }

    static String ascii(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }
}
