package org.jbhyve.vmm.x86;

import java.util.ArrayList;
import java.util.List;

/**
 * An exit-driven {@link MmioAccess} for backends that must return each device access from
 * {@code Vcpu.run()} as a {@link org.jbhyve.vmm.VmExit.Mmio} and get the answer on the next
 * {@code run()}. It remembers the accesses already completed for the current instruction and replays
 * them when the emulator runs the instruction again; the first access not yet completed becomes
 * {@link #pending()} and the emulator returns {@link EmulationResult.Deferred}.
 *
 * <p>The backend's loop for one INST_EMUL exit:
 * <pre>{@code
 * replay.reset();                                   // new instruction
 * for (;;) {
 *     EmulationResult r = emulator.emulate(ctx, bytes, gpa, gla);   // ctx.mmio() == replay
 *     if (r != EmulationResult.Deferred.INSTANCE) { finish(r); break; }   // advance RIP, inject, ...
 *     ReplayingMmio.Access a = replay.pending();
 *     // fill the vCPU's VmExit.Mmio from a and return it from run(); on the next run():
 *     replay.complete(a.write() ? 0 : mmioExit.valueTheDeviceAnswered);
 * }
 * }</pre>
 * Each call replays from the start, so an instruction with n device accesses is emulated n+1 times;
 * registers and RAM are changed only by the last run. Construct the emulator with
 * {@code maxRepIterations = 1} if a repeated string instruction should return to the guest after
 * every element instead of being replayed through a longer batch (a batch is cut short anyway: when
 * an iteration after the first needs a device access, that iteration is dropped and the result is
 * {@link EmulationResult.Restart}; call {@link #reset()} before the next exit).
 *
 * <p>Not thread-safe: one per vCPU.
 */
public final class ReplayingMmio implements MmioAccess {
    /** One device access; {@code value} is the value written, or the answer to a read once completed. */
    public record Access(long gpa, int size, boolean write, long value) {
        @Override
        public String toString() {
            return (write ? "write 0x" : "read 0x") + Long.toHexString(gpa) + " size " + size
                    + (write ? " value 0x" + Long.toHexString(value) : "");
        }
    }

    private final List<Access> completed = new ArrayList<>();
    private int cursor;
    private Access pending;

    /** Forgets everything: call when a new exit (a new instruction, or after Restart) begins. */
    public void reset() {
        completed.clear();
        cursor = 0;
        pending = null;
    }

    /** The access the emulator is waiting for, or null. */
    public Access pending() { return pending; }

    /** The accesses completed for the current instruction, in order. */
    public List<Access> completed() { return List.copyOf(completed); }

    /**
     * Records the pending access as done ({@code readValue} is the device's answer to a read; ignored
     * for a write), so that the next emulation replays it and goes on.
     */
    public void complete(long readValue) {
        if (pending == null) throw new IllegalStateException("no MMIO access is pending");
        completed.add(pending.write() ? pending
                : new Access(pending.gpa(), pending.size(), false, readValue & Flags.mask(pending.size())));
        pending = null;
        cursor = 0;
    }

    @Override
    public long read(long gpa, int size) {
        return access(gpa, size, false, 0);
    }

    @Override
    public void write(long gpa, int size, long value) {
        access(gpa, size, true, value);
    }

    private long access(long gpa, int size, boolean write, long value) {
        if (cursor < completed.size()) {
            Access a = completed.get(cursor++);
            if (a.gpa() != gpa || a.size() != size || a.write() != write) {
                throw new IllegalStateException("replayed instruction made a different access (" + new Access(gpa, size,
                        write, value) + ") than before (" + a + ")");
            }
            return a.value();
        }
        pending = new Access(gpa, size, write, write ? value & Flags.mask(size) : 0);
        cursor = 0;
        throw Deferred.INSTANCE;
    }
}
