package org.jbhyve.doctor.linux;

import org.jbhyve.doctor.Check;
import org.jbhyve.doctor.Result;

import java.util.Locale;

/**
 * Measures what guests get here: the exit round trip and the speed of guest instructions (see
 * {@link GuestSpeedProbe}). On bare metal an exit costs about 1 µs and the test loop about one cycle per
 * iteration; nested without hardware help, both are one to three orders of magnitude slower.
 */
public record GuestSpeedCheck(LinuxHost host, boolean enabled) implements Check {
    /** Above these, guest code does not run at native speed. */
    static final double NATIVE_EXIT_MICROS = 5.0;
    static final double NATIVE_LOOP_NANOS = 5.0;
    /** About one cycle per iteration at 2-3 GHz, for the "x slower" figure. */
    static final double BARE_METAL_LOOP_NANOS = 0.4;

    @Override
    public String id() { return "guest-speed"; }

    @Override
    public Result run() {
        if (!enabled) return Result.skip(id(), "not measured (--no-bench)");
        if (!host.kvm().hypervisorOpened()) {
            return Result.skip(id(), "not measured: jbhyve's KVM backend cannot open /dev/kvm (see above)");
        }
        GuestSpeed s;
        try {
            s = host.measureGuestSpeed();
        } catch (RuntimeException e) {
            return Result.warn(id(), "could not run the speed-test guest: " + e.getMessage(),
                    "check the kvm lines above; bin/demo shows whether guests run at all");
        }
        String figures = String.format(Locale.ROOT, "%.1f µs per port-I/O exit (bare metal: ~1 µs), %.1f ns per"
                        + " guest loop iteration (bare metal: ~%.1f ns)", s.microsPerExit(), s.nanosPerLoopIteration(),
                BARE_METAL_LOOP_NANOS);
        Result r;
        if (s.microsPerExit() <= NATIVE_EXIT_MICROS && s.nanosPerLoopIteration() <= NATIVE_LOOP_NANOS) {
            r = Result.ok(id(), "guest code runs at native speed: " + figures);
        } else {
            double slower = Math.max(1, s.nanosPerLoopIteration() / BARE_METAL_LOOP_NANOS);
            r = Result.warn(id(), String.format(Locale.ROOT, "guest code runs ~%.0fx slower than on bare metal: %s",
                            slower, figures),
                    "expect slow guests (a stock Linux kernel may not finish booting); for native speed run on bare"
                            + " metal or under a hypervisor with hardware-assisted nested virtualization");
        }
        return r.with("exits", s.exits()).with("microsPerExit", round(s.microsPerExit()))
                .with("loopIterations", s.loopIterations()).with("nanosPerLoopIteration", round(s.nanosPerLoopIteration()));
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
