package org.jbhyve.bhyve.runtime;

import org.jbhyve.snapshot.format.SnapshotReader;
import org.jbhyve.testguests.RequiresKvm;
import org.jbhyve.testguests.TestGuests;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every snapshot any past format version wrote (src/test/resources/snapshots/; between them they hold every
 * chunk kind, see its README) still verifies, restores under a new name, and its guest carries on counting
 * from the saved counter.
 */
@RequiresKvm
class GoldenSnapshotKvmTest {
    private static final Duration T = Duration.ofSeconds(120);
    /** Where BootRomSnapshotKvmTest's counter ROM counts (a dword in RAM). */
    private static final long ROM_COUNTER = 0x1000;

    @TempDir
    Path dir;

    static List<Path> fixtures() throws Exception {
        var url = GoldenSnapshotKvmTest.class.getResource("/snapshots");
        assertThat(url).as("test resource directory snapshots/ with the golden fixtures").isNotNull();
        try (Stream<Path> files = Files.walk(Path.of(url.toURI()))) {
            return files.filter(p -> p.toString().endsWith(".snap")).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyGoldenSnapshotRestoresAndTheGuestContinues() throws Exception {
        List<Path> fixtures = fixtures();
        assertThat(fixtures).as("at least the format 1.0 fixture").isNotEmpty();
        return fixtures.stream().map(f -> DynamicTest.dynamicTest(f.getParent().getFileName() + "/" + f.getFileName(),
                () -> restoreAndContinue(f)));
    }

    private void restoreAndContinue(Path fixture) throws Exception {
        SnapshotReader.verify(fixture);
        // A vCPU chunk holds the CPUID and MSRs of the kind of CPU that wrote it; KVM takes them only on that kind.
        String written;
        try (SnapshotReader r = SnapshotReader.open(fixture)) {
            written = r.manifest().host().cpuVendor();
        }
        String here = org.jbhyve.snapshot.format.HostInfo.detect("kvm").cpuVendor();
        assertThat(here).as("%s was written on a %s host and this host is %s: KVM cannot take its vCPU state here."
                + " Add fixtures written on this kind of host (src/test/resources/snapshots/README.md) and restore each"
                + " on its own kind", fixture.getFileName(), written, here).isEqualTo(written);
        String name = fixture.getFileName().toString();
        Path dir = Files.createDirectory(this.dir.resolve(name + ".d")); // the fixtures share the @TempDir
        if (name.startsWith("bootrom-")) {
            restoreBootRomAndContinue(fixture, dir);
            return;
        }
        if (name.startsWith("blkloop-")) {
            restoreBlkLoopAndContinue(fixture, dir);
            return;
        }
        List<String> args = new ArrayList<>(List.of("-o", "control.dir=" + dir));
        if (name.startsWith("devices-")) args.addAll(devicesHostPaths(dir));
        try (BhyveRun run = BhyveRun.restore(fixture, args)) {
            assertThat(run.runtime).as("restored: " + run.stderr()).isNotNull();
            long counter = run.runtime.vm().memory().readLong(TestGuests.DEMO_TICKS_ADDRESS);
            assertThat(counter).as("the demo's counter in the fixture").isPositive();
            run.awaitOutput(o -> o.contains("tick " + (counter + 1) + "\n"), T);
            assertThat(run.output()).doesNotContain("jbhyve demo guest");
            run.type("q");
            assertThat(run.exitStatus(T)).isEqualTo(ExitStatus.POWEROFF.code());
        }
    }

    /**
     * The host side of the devices fixture's machine, new here: the disk image (its size is the device's
     * capacity), the tap (jbhyve creates it; root, as CI runs), the console port's socket and COM2-COM4's files.
     */
    /** A new 1 MiB disk image (sparse, all zeros) for a fixture's virtio-blk, as the fixtures were made with. */
    private static Path newDiskImage(Path dir) throws Exception {
        Path disk = dir.resolve("disk.img");
        try (var ch = java.nio.channels.FileChannel.open(disk, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.allocate(1), (1 << 20) - 1);
        }
        return disk;
    }

    private static List<String> devicesHostPaths(Path dir) throws Exception {
        Path disk = newDiskImage(dir);
        List<String> args = new ArrayList<>(List.of("-o", "pci.0.2.0.path=" + disk,
                "-o", "pci.0.3.0.backend=jbg" + ProcessHandle.current().pid() % 100000,
                "-o", "pci.0.4.0.port.0.path=" + dir.resolve("port1.sock")));
        for (int com = 2; com <= 4; com++) args.addAll(List.of("-o", "lpc.com" + com + ".path=" + dir.resolve("com" + com)));
        return args;
    }

    /**
     * The fixture of the blkloop guest, suspended between two of its virtio-blk writes (its last line before
     * the suspend was "wrote 81"): its queue is live, so the restored device must take the next request from
     * where the ring's indices stand. The first line after the restore is "wrote 82", and write 82 is on the
     * new disk image, in the sector blkloop gives it.
     */
    private static void restoreBlkLoopAndContinue(Path fixture, Path dir) throws Exception {
        Path disk = newDiskImage(dir);
        try (BhyveRun run = BhyveRun.restore(fixture, List.of("-o", "control.dir=" + dir, "-o", "pci.0.2.0.path=" + disk))) {
            assertThat(run.runtime).as("restored: " + run.stderr()).isNotNull();
            run.awaitOutput(o -> o.contains("wrote 83\n"), T);
            assertThat(run.output()).as("no reboot, no write lost or repeated").startsWith("wrote 82\nwrote 83\n");
        }
        byte[] sector = new byte[512];
        try (var ch = java.nio.channels.FileChannel.open(disk)) {
            ch.read(java.nio.ByteBuffer.wrap(sector), TestGuests.blkLoopSector(82) * 512);
        }
        assertThat(sector).isEqualTo(TestGuests.blkLoopPattern(82));
    }

    /**
     * The boot ROM fixture: the firmware is outside RAM, so the same ROM (BootRomSnapshotKvmTest's counter ROM,
     * variant 0) is written again, and its loop goes on counting in RAM from where the snapshot left it.
     */
    private static void restoreBootRomAndContinue(Path fixture, Path dir) throws Exception {
        Path rom = Files.write(dir.resolve("ROM.fd"), BootRomSnapshotKvmTest.counterRom(0));
        Path vars = Files.write(dir.resolve("VARS.fd"), new byte[8192]);
        try (BhyveRun run = BhyveRun.restoreNotStarted(fixture, List.of("-o", "control.dir=" + dir,
                "-o", "bootrom=" + rom, "-o", "bootvars=" + vars))) {
            assertThat(run.runtime).as("restored: " + run.stderr()).isNotNull();
            long saved = run.runtime.vm().memory().readInt(ROM_COUNTER) & 0xffffffffL;
            assertThat(saved).as("the ROM's counter in the fixture").isPositive();
            run.startVm();
            long deadline = System.nanoTime() + T.toNanos();
            while ((run.runtime.vm().memory().readInt(ROM_COUNTER) & 0xffffffffL) <= saved) {
                assertThat(System.nanoTime()).as("the ROM's counter passes " + saved).isLessThan(deadline);
                Thread.sleep(10);
            }
        }
    }

}
