package org.jbhyve.bhyve.devices.uart;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Terminal modes through stty(1), which acts on its standard input: that keeps the code the same
 * for GNU and BSD stty (their device-path flags differ) and needs no termios bindings. bhyve puts
 * every tty it serves into raw mode (cfmakeraw), so the guest, not the host line discipline, sees
 * each key and owns echo and line editing.
 */
final class Stty {
    private Stty() {}

    /** Which terminal stty should act on: this process's stdin, or a tty device path. */
    record Target(File device) {
        static final Target STDIN = new Target(null);

        ProcessBuilder redirect(ProcessBuilder pb) {
            return device == null ? pb.redirectInput(ProcessBuilder.Redirect.INHERIT) : pb.redirectInput(device);
        }
    }

    /**
     * The terminal's current settings in stty's restorable form, or empty when the target is not
     * a terminal (stty fails on anything else) or stty is unavailable.
     */
    static Optional<String> save(Target target) {
        Result r = run(target, "-g");
        return r.ok() && !r.output().isBlank() ? Optional.of(r.output().strip()) : Optional.empty();
    }

    /** Puts the terminal into what cfmakeraw(3) plus CLOCAL gives, as bhyve does. */
    static boolean makeRaw(Target target) {
        return run(target, "raw", "-echo", "-echonl", "-iexten", "cs8", "-parenb", "clocal").ok();
    }

    /** Restores settings previously returned by {@link #save}. */
    static boolean restore(Target target, String saved) {
        return run(target, saved).ok();
    }

    private record Result(boolean ok, String output) {}

    private static Result run(Target target, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("stty");
        cmd.addAll(List.of(args));
        try {
            Process p = target.redirect(new ProcessBuilder(cmd))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(false, "");
            }
            return new Result(p.exitValue() == 0, new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(false, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, "");
        }
    }
}
