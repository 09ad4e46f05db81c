package org.jbhyve.bhyve.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jbhyve.bhyve.device.Snapshottable;
import org.jbhyve.snapshot.format.SnapshotFormatException;
import org.jbhyve.snapshot.format.StateRecord;

/**
 * Save and restore the way a snapshot does, for device tests: every saved record goes through its
 * byte encoding ({@link StateRecord#encode()} / {@link StateRecord#decode(byte[])}) before it is
 * restored, so the tests cover the on-disk form too.
 */
public final class SnapshotTesting {
    private SnapshotTesting() {}

    /** The record as a reader of the snapshot file would get it back. */
    public static StateRecord throughBytes(StateRecord record) {
        try {
            return StateRecord.decode(record.encode());
        } catch (SnapshotFormatException e) {
            throw new AssertionError("a saved record does not decode: " + e.getMessage(), e);
        }
    }

    /** Saves {@code device} and returns the record after an encode/decode round trip. */
    public static StateRecord save(Snapshottable device) {
        StateRecord r = device.saveState();
        StateRecord back = throughBytes(r);
        assertThat(back).as("encode/decode of %s", device.stateName()).isEqualTo(r);
        return back;
    }

    /** Saves {@code from} and restores the result into {@code to}, which must have the same chunk name. */
    public static void copy(Snapshottable from, Snapshottable to) throws SnapshotFormatException {
        assertThat(to.stateName()).isEqualTo(from.stateName());
        to.restoreState(save(from), from.stateVersion());
    }

    /** {@code record} with some fields changed. */
    public static StateRecord edit(StateRecord record, Consumer<StateRecord.Builder> change) {
        StateRecord.Builder b = record.toBuilder();
        change.accept(b);
        return throughBytes(b.build());
    }

    /**
     * Asserts that restoring {@code bad} into {@code device} is refused with a
     * SnapshotFormatException naming the chunk and {@code field}, and that the device's state is
     * what it was before.
     */
    public static void assertRefused(Snapshottable device, StateRecord bad, String field, String... messageParts) {
        StateRecord before = device.saveState();
        assertThatThrownBy(() -> device.restoreState(bad, device.stateVersion()))
                .isExactlyInstanceOf(SnapshotFormatException.class)
                .hasMessageContaining("'" + device.stateName() + "'")
                .hasMessageContaining(field)
                .hasMessageContaining(messageParts.length == 0 ? "" : messageParts[0]);
        for (int i = 1; i < messageParts.length; i++) {
            String part = messageParts[i];
            assertThatThrownBy(() -> device.restoreState(bad, device.stateVersion())).hasMessageContaining(part);
        }
        assertThat(device.saveState()).as("state after a refused restore").isEqualTo(before);
    }

    /**
     * Seeded fuzzing of a device's restore: {@code rounds} times, a copy of {@code good} with one to
     * three fields changed (a random value of the same type, another type, removed, or a nested
     * record or list changed the same way) is restored. Each attempt must either succeed or throw a
     * SnapshotFormatException; when refused, the device's saved state and {@code observable} (bus
     * ranges, line levels) must be what they were. After a success {@code good} is restored again.
     *
     * @return how many mutated records were refused (so a test can check the fuzzer bit)
     */
    public static int fuzzRestore(Snapshottable device, StateRecord good, long seed, int rounds,
            Supplier<Object> observable) {
        Random rnd = new Random(seed);
        int refused = 0;
        for (int round = 0; round < rounds; round++) {
            StateRecord bad = good;
            int changes = 1 + rnd.nextInt(3);
            for (int c = 0; c < changes; c++) bad = mutate(bad, rnd);
            StateRecord before = device.saveState();
            Object seenBefore = observable.get();
            try {
                device.restoreState(throughBytes(bad), device.stateVersion());
            } catch (SnapshotFormatException e) {
                refused++;
                assertThat(e.getMessage()).as("seed %d round %d", seed, round).contains("'" + device.stateName() + "'");
                assertThat(device.saveState()).as("state after refusing seed %d round %d: %s", seed, round, bad)
                        .isEqualTo(before);
                assertThat(observable.get()).as("observable after refusing seed %d round %d", seed, round)
                        .isEqualTo(seenBefore);
                continue;
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " round " + round + ": " + e + " for " + bad, e);
            }
            try {
                device.restoreState(good, device.stateVersion());
            } catch (SnapshotFormatException e) {
                throw new AssertionError("the good record is refused after restoring " + bad + ": " + e.getMessage(), e);
            }
        }
        return refused;
    }

    /** {@code r} with one field changed, replaced by another type, or removed. */
    static StateRecord mutate(StateRecord r, Random rnd) {
        List<StateRecord.Field> fields = r.fields();
        if (fields.isEmpty()) return r.toBuilder().putU8("x" + rnd.nextInt(4), rnd.nextInt(256)).build();
        StateRecord.Field f = fields.get(rnd.nextInt(fields.size()));
        StateRecord.Builder b = r.toBuilder();
        String name = f.name();
        int what = rnd.nextInt(20);
        if (what == 0) return b.remove(name).build();
        if (what == 1) return b.remove(name).putString(name, "?").build();
        Object v = f.value();
        switch (f.type()) {
            case U8 -> b.putU8(name, interesting(rnd, 0xff));
            case U16 -> b.putU16(name, interesting(rnd, 0xffff));
            case U32 -> b.putU32(name, interestingLong(rnd) & 0xffff_ffffL);
            case U64 -> b.putU64(name, rnd.nextBoolean() ? interestingLong(rnd) : (Long) v + rnd.nextInt(9) - 4);
            case I64 -> b.putI64(name, rnd.nextBoolean() ? interestingLong(rnd) : (Long) v + rnd.nextInt(9) - 4);
            case BOOL -> b.putBool(name, !(Boolean) v);
            case BYTES -> b.putBytes(name, mutateBytes((byte[]) v, rnd));
            case STRING -> b.putString(name, List.of("", "idle", "asserted", "pending", "io", "mem32", "mem64",
                    "identify", "request", "response", "x").get(rnd.nextInt(11)));
            case U64_ARRAY -> {
                long[] a = (long[]) v;
                long[] n = rnd.nextInt(3) == 0 ? java.util.Arrays.copyOf(a, Math.max(0, a.length + rnd.nextInt(3) - 1)) : a.clone();
                if (n.length > 0) n[rnd.nextInt(n.length)] ^= 1L << rnd.nextInt(64);
                b.putU64Array(name, n);
            }
            case RECORD -> b.putRecord(name, mutate((StateRecord) v, rnd));
            case RECORD_LIST -> {
                @SuppressWarnings("unchecked")
                List<StateRecord> list = new ArrayList<>((List<StateRecord>) v);
                int op = rnd.nextInt(4);
                if (list.isEmpty() || op == 0) list.add(StateRecord.EMPTY);
                else if (op == 1) list.remove(rnd.nextInt(list.size()));
                else if (op == 2) list.add(list.get(rnd.nextInt(list.size())));
                else {
                    int i = rnd.nextInt(list.size());
                    list.set(i, mutate(list.get(i), rnd));
                }
                b.putRecords(name, list);
            }
            default -> b.remove(name);
        }
        return b.build();
    }

    private static int interesting(Random rnd, int max) {
        return switch (rnd.nextInt(4)) {
            case 0 -> 0;
            case 1 -> max;
            case 2 -> 1 << rnd.nextInt(Integer.bitCount(max));
            default -> rnd.nextInt(max + 1);
        };
    }

    private static long interestingLong(Random rnd) {
        return switch (rnd.nextInt(5)) {
            case 0 -> 0;
            case 1 -> -1L;
            case 2 -> 1L << rnd.nextInt(64);
            case 3 -> Long.MAX_VALUE;
            default -> rnd.nextLong();
        };
    }

    private static byte[] mutateBytes(byte[] v, Random rnd) {
        switch (rnd.nextInt(4)) {
            case 0 -> {
                return java.util.Arrays.copyOf(v, Math.max(0, v.length + rnd.nextInt(9) - 4));
            }
            case 1 -> {
                return new byte[0];
            }
            default -> {
                byte[] n = v.length == 0 ? new byte[1 + rnd.nextInt(4)] : v.clone();
                for (int i = 0, k = 1 + rnd.nextInt(3); i < k; i++) n[rnd.nextInt(n.length)] ^= (byte) (1 << rnd.nextInt(8));
                return n;
            }
        }
    }
}
