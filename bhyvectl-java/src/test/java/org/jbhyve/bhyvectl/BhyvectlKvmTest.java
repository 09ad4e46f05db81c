package org.jbhyve.bhyvectl;

import static org.jbhyve.bhyvectl.Run.bhyvectl;
import org.jbhyve.testguests.RequiresKvm;
import org.jbhyve.testguests.TestGuests;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * bhyvectl's real entry point ({@link Main#run}) against real bhyve VMs on /dev/kvm: each VM is jbhyve's
 * bhyve ({@code org.jbhyve.bhyve.Main}) in a child JVM, booted with README's demo command line (COM1 on
 * stdio), driven only through bhyvectl and its control socket. BhyvectlTest covers the same commands
 * against a fake VM in this JVM; this test is the whole path, exit statuses of both processes included.
 *
 * <p>The tests run in order: the first leaves the suspended snapshot the later ones restore.
 */
@RequiresKvm
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BhyvectlKvmTest {
    private static final Duration T = Duration.ofSeconds(120);
    private static final Pattern TICK = Pattern.compile("tick (\\d+)\r?\n");
    private static final String BANNER = "jbhyve demo guest";

    @TempDir
    static Path dir;

    /** What the first test's {@code --suspend} wrote, and the last tick the guest printed before it. */
    private static Path suspended;
    private static long suspendedTick = -1;



    private static Path control() {
        return dir.resolve("run");
    }

    /** bhyvectl --vm=NAME --control-dir=... plus {@code args}. */
    private static Run vm(String name, String... args) {
        List<String> all = new ArrayList<>(List.of("--vm=" + name, "--control-dir=" + control()));
        all.addAll(List.of(args));
        return bhyvectl(all.toArray(String[]::new));
    }

    /** README's demo machine: {@code -c 1 -m 32M -s 0,hostbridge -s 31,lpc -o boot.kernel=demo.elf}. */
    private static List<String> demoMachine() {
        return List.of("-c", "1", "-m", "32M", "-s", "0,hostbridge", "-s", "31,lpc",
                "-o", "boot.kernel=" + TestGuests.path("demo"));
    }

    /** {@code args}, then COM1 on stdio, the control directory and the VM name, as bin/demo runs bhyve. */
    private static Bhyve bhyve(String name, List<String> args) throws IOException {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("-l", "com1,stdio", "-o", "control.dir=" + control(), name));
        return new Bhyve(name, all);
    }

    static long lastTick(String out) {
        Matcher m = TICK.matcher(out);
        long last = -1;
        while (m.find()) last = Long.parseLong(m.group(1));
        return last;
    }

    static long firstTick(String out) {
        Matcher m = TICK.matcher(out);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /**
     * The restored guest carries on counting from the suspended one: its first tick follows the last one the
     * suspended guest printed (+1: a tick whose line was still on its way), and there is no boot banner.
     */
    private static void assertCarriesOn(Bhyve restored) {
        assertThat(restored.console()).as("restored, not rebooted").doesNotContain(BANNER);
        assertThat(firstTick(restored.console())).as("the first tick after the restore; console:\n" + restored.console())
                .isBetween(suspendedTick + 1, suspendedTick + 2);
    }

    /** A bhyve child process: COM1 is its stdout; its log (stderr) is collected too. */
    private static final class Bhyve implements AutoCloseable {
        final String name;
        final Process process;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final List<Thread> pumps;

        Bhyve(String name, List<String> args) throws IOException {
            this.name = name;
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    "org.jbhyve.bhyve.Main"));
            cmd.addAll(args);
            process = new ProcessBuilder(cmd).start();
            pumps = List.of(pump(process.getInputStream(), out), pump(process.getErrorStream(), err));
        }

        private static Thread pump(InputStream in, ByteArrayOutputStream to) {
            return Thread.ofPlatform().daemon().start(() -> {
                byte[] b = new byte[4096];
                try {
                    for (int n; (n = in.read(b)) > 0; ) {
                        synchronized (to) {
                            to.write(b, 0, n);
                        }
                    }
                } catch (IOException ignored) {
                    // the process has gone
                }
            });
        }

        String console() {
            synchronized (out) {
                return out.toString(StandardCharsets.ISO_8859_1);
            }
        }

        String log() {
            synchronized (err) {
                return err.toString(StandardCharsets.UTF_8);
            }
        }

        Path socket() {
            return control().resolve(name);
        }

        void await(String what, Predicate<Bhyve> condition) throws InterruptedException {
            long deadline = System.nanoTime() + T.toNanos();
            while (!condition.test(this)) {
                if (!process.isAlive()) {
                    fail("bhyve " + name + " exited (" + process.exitValue() + ") before " + what + "; console:\n"
                            + console() + "\nlog:\n" + log());
                }
                if (System.nanoTime() > deadline) fail("no " + what + " within " + T + "; console:\n" + console() + "\nlog:\n" + log());
                Thread.sleep(20);
            }
        }

        /** Waits until the guest has printed a tick after {@code tick}; returns the last one. */
        long awaitTickAfter(long tick) throws InterruptedException {
            await("tick after " + tick, b -> lastTick(b.console()) > tick);
            return lastTick(console());
        }

        /** bhyve's exit status, once it has exited and all it wrote has been read. */
        int exitStatus() throws InterruptedException {
            if (!process.waitFor(T.toSeconds(), TimeUnit.SECONDS)) fail("bhyve " + name + " did not exit; log:\n" + log());
            for (Thread t : pumps) t.join(T.toMillis());
            return process.exitValue();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    /** {@code --get-stats}' lines, "name (padded to 40)\tvalue", as a map. */
    private static Map<String, Long> stats(Run r) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String line : r.out().lines().toList()) {
            assertThat(line).as("a counter line").matches("[a-z_]+ *\t-?[0-9]+");
            String[] f = line.split("\t");
            assertThat(f[0]).as("the name padded to 40 columns").hasSize(40);
            m.put(f[0].strip(), Long.parseLong(f[1]));
        }
        return m;
    }

    @Test
    @Order(1)
    void aRunningVmIsQueriedCheckpointedAndSuspendedWithBhyvectl() throws Exception {
        Path snaps = Files.createDirectories(dir.resolve("snaps"));
        Path first = snaps.resolve("running-1.snap");
        Path second = snaps.resolve("running-2.snap");
        Path stopped = snaps.resolve("suspended.snap");
        try (Bhyve vm = bhyve("e2e", demoMachine())) {
            long tick = vm.awaitTickAfter(0);
            assertThat(vm.console()).contains(BANNER);

            // No such VM: a clear message naming it and where its socket would be; the running one is untouched.
            Run none = vm("NOSUCH", "--get-stats");
            assertThat(none.status()).isEqualTo(1);
            assertThat(none.out()).isEmpty();
            assertThat(none.err()).isEqualTo("bhyvectl: no VM named NOSUCH is running (no socket at "
                    + control().resolve("NOSUCH") + ")\n");

            Run stats = vm("e2e", "--get-stats");
            assertThat(stats.status()).as(stats.err()).isZero();
            assertThat(stats.err()).isEmpty();
            Map<String, Long> counters = stats(stats);
            assertThat(counters).containsEntry("vcpus", 1L).containsEntry("memory_bytes", 32L << 20)
                    .containsEntry("checkpoints", 0L).containsKey("uptime_ms");
            assertThat(counters.get("uptime_ms")).isPositive();

            // A checkpoint or suspend into a directory that does not exist: refused, naming it; the VM runs on.
            Path nodir = dir.resolve("no-such-dir");
            for (String option : List.of("--checkpoint=", "--suspend=")) {
                Run missingDir = vm("e2e", option + nodir.resolve("x.snap"));
                assertThat(missingDir.status()).as(option).isEqualTo(1);
                assertThat(missingDir.out()).isEmpty();
                assertThat(missingDir.err()).isEqualTo("bhyvectl: cannot open the checkpoint directory " + nodir
                        + ": ENOENT (no such file or directory)\n");
            }
            assertThat(Files.exists(nodir)).isFalse();
            // One the VM itself refuses (the path names a directory): its reason, naming the file; a failed
            // suspend leaves the VM running too.
            Path aDir = Files.createDirectories(snaps.resolve("a-directory"));
            for (String option : List.of("--checkpoint=", "--suspend=")) {
                Run isDir = vm("e2e", option + aDir);
                assertThat(isDir.status()).as(option).isEqualTo(1);
                assertThat(isDir.out()).isEmpty();
                assertThat(isDir.err()).startsWith("bhyvectl: checkpoint 'a-directory' failed: cannot write snapshot " + aDir
                        + ": it exists and is a directory");
            }
            assertThat(Files.isDirectory(aDir)).isTrue();
            tick = vm.awaitTickAfter(lastTick(vm.console()));
            assertThat(Files.exists(vm.socket())).isTrue();

            // A live checkpoint: bhyvectl reports it, the VM keeps running (its console keeps ticking).
            Run cp1 = vm("e2e", "--checkpoint=" + first);
            assertThat(cp1.status()).as(cp1.err()).isZero();
            assertThat(cp1.err()).isEmpty();
            assertThat(cp1.out()).startsWith(first + " written; the guest was paused for ")
                    .containsPattern("paused for [0-9.]+ ms");
            long afterFirst = lastTick(vm.console());
            tick = vm.awaitTickAfter(afterFirst);
            assertThat(vm.process.isAlive()).isTrue();
            assertThat(stats(vm("e2e", "--get-stats"))).containsEntry("checkpoints", 1L);

            Run verify1 = bhyvectl("--verify=" + first);
            assertThat(verify1.status()).as(verify1.out() + verify1.err()).isZero();
            assertThat(verify1.out()).startsWith(first + ": good: header, manifest, ").contains("match their checksums");
            Run inspect1 = bhyvectl("--inspect=" + first);
            assertThat(inspect1.status()).as(inspect1.err()).isZero();
            assertThat(inspect1.err()).isEmpty();
            assertThat(inspect1.out()).startsWith("snapshot " + first + "\n")
                    .containsPattern("\n  vm +e2e, 1 vCPU, 32 MiB RAM\n").contains("\n  name=e2e\n")
                    .containsPattern("\n  vcpu +0 ");

            // A second checkpoint a tick later, and what changed between the two.
            Run cp2 = vm("e2e", "--checkpoint=" + second);
            assertThat(cp2.status()).as(cp2.err()).isZero();
            assertThat(cp2.out()).startsWith(second + " written; ");
            Run diff = bhyvectl("--inspect=" + second, "--diff=" + first);
            assertThat(diff.status()).as("the files differ: exit 1; " + diff.err()).isEqualTo(1);
            assertThat(diff.err()).isEmpty();
            // the 2 MiB block that holds the tick counter (guest 0x110000) has changed
            assertThat(diff.out()).startsWith("--- " + first + "\n+++ " + second + "\n")
                    .containsPattern("RAM region 0 .*blocks? differs? \\(guest 0x0-0x1fffff");
            assertThat(bhyvectl("--inspect=" + first, "--diff=" + first).status()).as("a file is the same as itself").isZero();
            tick = vm.awaitTickAfter(tick);

            // Suspend: bhyvectl reports the save and returns once the VM has gone; bhyve exits 0.
            Run suspend = vm("e2e", "--suspend=" + stopped);
            assertThat(suspend.status()).as(suspend.err()).isZero();
            assertThat(suspend.err()).isEmpty();
            assertThat(suspend.out()).startsWith(stopped + " written; ").endsWith("; VM e2e is exiting (suspended)\n");
            assertThat(Files.exists(vm.socket(), LinkOption.NOFOLLOW_LINKS)).as("the socket is gone when bhyvectl returns").isFalse();
            assertThat(vm.exitStatus()).as(vm.log()).isZero();
            suspendedTick = lastTick(vm.console());
            assertThat(suspendedTick).isGreaterThanOrEqualTo(tick);

            Run verify = bhyvectl("--verify=" + stopped);
            assertThat(verify.status()).as(verify.out() + verify.err()).isZero();
            assertThat(verify.out()).startsWith(stopped + ": good: ");
            Run gone = vm("e2e", "--get-stats");
            assertThat(gone.status()).isEqualTo(1);
            assertThat(gone.err()).startsWith("bhyvectl: no VM named e2e is running");
            suspended = stopped;
        }
    }

    private static Path suspended() {
        if (suspended == null) fail("the first test did not leave a suspended snapshot to restore");
        return suspended;
    }

    @Test
    @Order(2)
    void restoredVmsCarryOnAndEachEndingCommandGivesBhyvesStatus() throws Exception {
        record Ending(String option, String says, int status) {}
        for (Ending e : List.of(new Ending("--force-reset", "reset (bhyve exits with status 0)", 0),
                new Ending("--force-poweroff", "powered off (bhyve exits with status 1)", 1),
                new Ending("--destroy", "destroyed (bhyve exits with status 4)", 4))) {
            String name = "r" + e.status();
            try (Bhyve vm = bhyve(name, List.of("-r", suspended().toString()))) {
                vm.awaitTickAfter(suspendedTick);
                assertCarriesOn(vm);
                if (e.status() == 0) {
                    // --restore is for a standby: this bhyve runs a VM already, and says so.
                    Run notStandby = vm(name, "--restore=" + suspended());
                    assertThat(notStandby.status()).isEqualTo(1);
                    assertThat(notStandby.err()).isEqualTo("bhyvectl: restore of '" + suspended() + "' failed: this bhyve"
                            + " already runs a VM; restore asks a standby bhyve (started with -o restore.standby=true)"
                            + " to build one\n");
                    // A relative path is relative to bhyvectl's directory, not bhyve's; the reply gives it in full.
                    Path absolute = dir.resolve("relative.snap");
                    Path relative = Path.of("").toAbsolutePath().relativize(absolute);
                    assertThat(relative.isAbsolute()).isFalse();
                    Run cp = vm(name, "--checkpoint=" + relative);
                    assertThat(cp.status()).as(cp.err()).isZero();
                    assertThat(cp.out()).startsWith(absolute + " written; ");
                    assertThat(bhyvectl("--verify=" + relative).status()).isZero();
                }
                Run end = vm(name, e.option());
                assertThat(end.status()).as(e.option() + ": " + end.err()).isZero();
                assertThat(end.err()).isEmpty();
                assertThat(end.out()).isEqualTo("VM " + name + " " + e.says() + "\n");
                assertThat(Files.exists(vm.socket(), LinkOption.NOFOLLOW_LINKS)).isFalse();
                assertThat(vm.exitStatus()).as(e.option() + "; log:\n" + vm.log()).isEqualTo(e.status());
            }
        }
    }

    @Test
    @Order(3)
    void aStandbyRestoresOnBhyvectlRestoreAndTheGuestCarriesOn() throws Exception {
        List<String> args = new ArrayList<>(demoMachine());
        args.addAll(List.of("-o", "restore.standby=true"));
        try (Bhyve sb = bhyve("sb", args)) {
            sb.await("the ready line", b -> b.log().contains("ready for bhyvectl --restore"));
            assertThat(stats(vm("sb", "--get-stats"))).containsEntry("standby", 1L).containsEntry("ready", 1L);
            Run early = vm("sb", "--checkpoint=" + dir.resolve("early.snap"));
            assertThat(early.status()).isEqualTo(1);
            assertThat(early.err()).contains("no VM to checkpoint yet");
            Path missing = dir.resolve("missing.snap");
            Run absent = vm("sb", "--restore=" + missing);
            assertThat(absent.status()).isEqualTo(1);
            assertThat(absent.err()).contains(missing.toString());
            assertThat(sb.process.isAlive()).isTrue();

            // Restore a copy of the suspended snapshot: the restored VM's RAM is mapped from that copy.
            Path copy = Files.copy(suspended(), dir.resolve("standby.snap"));
            Run restore = vm("sb", "--restore=" + copy);
            assertThat(restore.status()).as(restore.err()).isZero();
            assertThat(restore.err()).isEmpty();
            assertThat(restore.out()).isEqualTo("restored " + copy + " as VM sb into the machine prepared for it\n");
            long tick = sb.awaitTickAfter(suspendedTick);
            assertCarriesOn(sb);
            assertThat(sb.log()).containsPattern("the guest runs again [0-9.]+ ms after the restore request");
            assertThat(stats(vm("sb", "--get-stats"))).containsEntry("vcpus", 1L).containsEntry("checkpoints", 0L);

            // A checkpoint over the very file the VM's RAM is mapped from (a new file renamed into place: the
            // mapped one is left as it was), then a suspend over it again.
            Run over = vm("sb", "--checkpoint=" + copy);
            assertThat(over.status()).as(over.err()).isZero();
            assertThat(over.out()).startsWith(copy + " written; ");
            tick = sb.awaitTickAfter(tick);
            assertThat(bhyvectl("--verify=" + copy).status()).isZero();
            Run suspend = vm("sb", "--suspend=" + copy);
            assertThat(suspend.status()).as(suspend.err()).isZero();
            assertThat(suspend.out()).startsWith(copy + " written; ").endsWith("; VM sb is exiting (suspended)\n");
            assertThat(sb.exitStatus()).as(sb.log()).isZero();
            assertThat(lastTick(sb.console())).isGreaterThanOrEqualTo(tick);

            Run verify = bhyvectl("--verify=" + copy);
            assertThat(verify.status()).as(verify.out() + verify.err()).isZero();
            Run inspect = bhyvectl("--inspect=" + copy);
            assertThat(inspect.status()).isZero();
            assertThat(inspect.out()).containsPattern("\n  vm +sb, 1 vCPU, 32 MiB RAM\n");
            Run diff = bhyvectl("--inspect=" + copy, "--diff=" + suspended());
            assertThat(diff.status()).as(diff.err()).isEqualTo(1);
            assertThat(diff.out()).startsWith("--- " + suspended() + "\n+++ " + copy + "\n").contains("vm name: e2e -> sb\n");
        }
    }
}
