package org.jbhyve.bhyve.runtime;

import org.jbhyve.snapshot.format.Chunk;
import org.jbhyve.snapshot.format.SnapshotReader;
import org.jbhyve.testguests.RequiresKvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A UEFI-style guest (bhyve's -l bootrom,ROM,VARS) checkpointed and restored on real /dev/kvm: the
 * firmware runs from the ROM below 4 GiB, outside RAM, so a restore maps the ROM again and checks it
 * is the firmware the snapshot was taken with.
 */
@RequiresKvm
class BootRomSnapshotKvmTest {
    private static final Duration T = Duration.ofSeconds(120);
    /** Guest RAM address of the counter the ROM's loop increments. */
    private static final long COUNTER = 0x1000;

    /**
     * A 4 KiB ROM whose reset vector jumps to real-mode code that puts the variable store's flash in
     * read-status mode, then increments the dword at {@link #COUNTER} for ever.
     */
    static byte[] counterRom(int variant) {
        byte[] rom = new byte[4096];
        rom[0] = (byte) variant; // two variants differ only here: another firmware for the ROM check
        byte[] body = {
                0x2e, (byte) 0xc6, 0x06, 0x00, (byte) 0xe0, 0x70, // mov byte cs:[0xe000], 0x70 (CFI read status)
                0x31, (byte) 0xc0,                          // xor ax, ax
                (byte) 0x8e, (byte) 0xd8,                   // mov ds, ax
                0x66, (byte) 0xff, 0x06, 0x00, 0x10,        // loop: inc dword [0x1000]
                (byte) 0xeb, (byte) 0xf9};                  // jmp loop
        int at = 0x100;
        System.arraycopy(body, 0, rom, at, body.length);
        int rel = (0xf000 + at - (0xfff0 + 3)) & 0xffff;
        rom[0xff0] = (byte) 0xe9; // jmp near rel16, at the reset vector (CS base 0xffff0000, IP 0xfff0)
        rom[0xff1] = (byte) rel;
        rom[0xff2] = (byte) (rel >> 8);
        return rom;
    }

    private static List<String> args(Path rom, Path vars) {
        return List.of("-c", "1", "-m", "32M", "-s", "0,hostbridge", "-s", "31,lpc", "-l", "bootrom," + rom + "," + vars);
    }

    private static long counter(BhyveRun run) {
        return run.runtime.vm().memory().readInt(COUNTER) & 0xffffffffL;
    }

    private static void awaitCounter(BhyveRun run, long above) throws InterruptedException {
        long deadline = System.nanoTime() + T.toNanos();
        while (counter(run) <= above) {
            assertThat(System.nanoTime()).as("the ROM's counter passes " + above).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void aBootromGuestRestoresWithItsFirmwareAndRefusesAnother(@TempDir Path dir) throws Exception {
        Path rom = Files.write(dir.resolve("CODE.fd"), counterRom(1));
        Path other = Files.write(dir.resolve("OTHER.fd"), counterRom(2));
        Path vars = Files.write(dir.resolve("VARS.fd"), new byte[8192]);
        Path smallVars = Files.write(dir.resolve("SMALL_VARS.fd"), new byte[4096]);
        Path snap = dir.resolve("uefi.snap");
        long saved;
        try (BhyveRun run = BhyveRun.start(args(rom, vars))) {
            awaitCounter(run, 1000);
            run.runtime.checkpoint(new SnapshotTarget.File(snap), true);
            assertThat(run.exitStatus(T)).isZero();
        }
        try (SnapshotReader r = SnapshotReader.open(snap)) {
            assertThat(r.chunks()).extracting(Chunk::name).contains("dev.bootrom");
        }
        try (BhyveRun restored = BhyveRun.restoreNotStarted(snap, List.of())) {
            saved = counter(restored);
            assertThat(saved).as("the counter in the snapshot's RAM").isGreaterThan(1000);
            restored.startVm();
            awaitCounter(restored, saved + 1000); // the loop goes on from where it was, running from the ROM
            restored.runtime.end(ExitStatus.POWEROFF, "test over");
            restored.exitStatus(T);
        }
        try (BhyveRun refused = BhyveRun.restore(snap, List.of("-l", "bootrom," + other + "," + vars))) {
            assertThat(refused.exitStatus(T)).isEqualTo(ExitStatus.ERROR.code());
            assertThat(refused.stderr()).contains("is not the firmware the snapshot was taken with")
                    .contains(other.toString()).contains("restore with the same ROM file");
        }
        try (BhyveRun refused = BhyveRun.restore(snap, List.of("-l", "bootrom," + rom + "," + smallVars))) {
            assertThat(refused.exitStatus(T)).isEqualTo(ExitStatus.ERROR.code());
            assertThat(refused.stderr()).contains("variable store was 8192 bytes");
        }
    }
}
