package org.jbhyve.bhyve.runtime;

import org.jbhyve.snapshot.format.SnapshotReader;
import org.jbhyve.testguests.RequiresKvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a guest can make KVM report below the devices, on real /dev/kvm: string port I/O, MMIO into holes
 * and across a range's end, an instruction KVM cannot emulate, HLT with interrupts off, and a flood of
 * exits while the VMM needs the vCPU. Each guest is a few machine-code bytes loaded at 1 MiB in long mode
 * ({@link BhyveKvmTest#elf64}); each must end the VM with bhyve's status for what it did, or leave it running.
 */
@RequiresKvm
class HostileExitsKvmTest {
    private static final Duration T = Duration.ofSeconds(120);

    private static final byte[] CLI_HLT = {(byte) 0xfa, (byte) 0xf4, (byte) 0xeb, (byte) 0xfd}; // cli; 1: hlt; jmp 1b
    private static final byte[] STI_HLT = {(byte) 0xfb, (byte) 0xf4, (byte) 0xeb, (byte) 0xfd}; // sti; 1: hlt; jmp 1b

    private static BhyveRun boot(Path dir, byte[] code, String... extra) throws Exception {
        Path kernel = dir.resolve("guest.elf");
        Files.write(kernel, BhyveKvmTest.elf64(code));
        List<String> args = new java.util.ArrayList<>(List.of("-m", "32M", "-s", "0,hostbridge", "-s", "31,lpc",
                "-l", "debug-exit", "-o", "boot.kernel=" + kernel));
        args.addAll(List.of(extra));
        if (!args.contains("-c")) args.addAll(0, List.of("-c", "1"));
        return BhyveRun.start(args);
    }

    /**
     * rep outsb to COM1; rep insw from unowned port 0x80 and rep insl from 0xfffe (which runs past 0xffff),
     * both checked to read all ones; rep outsl to 0xfffd; an 8-byte write and read in the hole below 4 GiB
     * (the read all ones) and an 8-byte read across the end of ECAM (two 4-byte pieces, all ones). Status 0
     * through debug-exit when every check held, 9 otherwise.
     */
    private static final byte[] STRING_IO_AND_MMIO_HOLES = HexFormat.of().parseHex(
            "488d359e000000b90a00000066baf803f36e48c7c700002000b9d007000066ba800066f36d48c7c600002000b9e8030000"
            + "833eff75684883c604e2f548c7c700003000b9dc05000066bafefff36d48c7c600003000b9dc050000833eff753f4883"
            + "c604e2f548c7c600003000b9b80b000066bafdfff36fb8f8ffffff48c70034120000488b184883fbff7512b8fcffffef"
            + "488b184883fbff750431c0e6f4b009e6f4f4ebfd737472696e672d696f0a");

    @Test
    void stringIoOfEverySizeAndMmioIntoHolesAreServedItemByItem(@TempDir Path dir) throws Exception {
        try (BhyveRun run = boot(dir, STRING_IO_AND_MMIO_HOLES)) {
            assertThat(run.exitStatus(T)).as(run.stderr()).isEqualTo(1); // debug-exit: (0 << 1) | 1
            assertThat(run.awaitOutput(o -> o.contains("string-io\n"), T)).contains("string-io\n");
        }
    }

    @Test
    void anMmioInstructionKvmCannotEmulateEndsTheVmWithStatus4AndSaysWhy(@TempDir Path dir) throws Exception {
        byte[] fldFromMmio = {(byte) 0xb8, 0, 0, 0, (byte) 0xd0, (byte) 0xdd, 0}; // mov $0xd0000000,%eax; fldl (%rax)
        try (BhyveRun run = boot(dir, fldFromMmio)) {
            assertThat(run.exitStatus(T)).as(run.stderr()).isEqualTo(ExitStatus.ERROR.code());
            assertThat(run.stderr()).contains("instruction emulation failed", "rip=0x100005");
        }
    }

    /** bhyve -H ends a VM whose every vCPU halted with interrupts off with status 2; KVM never says so. */
    @Test
    void underDashHEveryVcpuHaltedWithInterruptsOffEndsTheVmWithStatus2(@TempDir Path dir) throws Exception {
        // The BSP halts for good; the AP is never started.
        try (BhyveRun run = boot(dir, CLI_HLT, "-H", "-c", "2")) {
            assertThat(run.exitStatus(T)).as(run.stderr()).isEqualTo(ExitStatus.HALT.code());
        }
    }

    @Test
    void aVcpuHaltedWithInterruptsOnIsIdleNotHaltedAndADestroyStillEndsIt(@TempDir Path dir) throws Exception {
        try (BhyveRun run = boot(dir, STI_HLT, "-H")) {
            Thread.sleep(6 * HaltDetector.INTERVAL_MILLIS); // it waits for an interrupt: several probes find it so
            assertThat(run.runtime.state().state()).as(run.stderr()).isEqualTo(VmState.RUNNING);
            run.runtime.control().destroy();
            assertThat(run.exitStatus(T)).as(run.stderr()).isEqualTo(ExitStatus.ERROR.code());
        }
    }

    /**
     * One vCPU halted with interrupts off while another runs is not a halted VM: smptick's BSP halts for good
     * ('h') while its AP goes on ticking and printing. Several probe rounds later the VM still runs, and the
     * AP ends it (debug-exit status 1: the guest's 0).
     */
    @Test
    void underDashHOneVcpuHaltedWithInterruptsOffWhileAnotherRunsIsNotAHaltedVm() throws Exception {
        try (BhyveRun run = BhyveRun.start(List.of("-H", "-c", "2", "-m", "32M", "-s", "0,hostbridge", "-s", "31,lpc",
                "-l", "debug-exit", "-o", "boot.kernel=" + org.jbhyve.testguests.TestGuests.path("smptick")))) {
            run.awaitOutput(o -> o.contains("smptick: 2 vCPUs"), T);
            run.type("s");
            run.awaitOutput(o -> o.contains("ap started\n"), T);
            run.type("h");
            run.awaitOutput(o -> o.contains("bsp halts\n"), T);
            long rounds = 4;
            long after = System.nanoTime() + rounds * HaltDetector.INTERVAL_MILLIS * 1_000_000;
            run.awaitOutput(o -> System.nanoTime() > after && o.substring(o.indexOf("bsp halts\n")).lines()
                    .filter(l -> l.startsWith("ap ")).count() >= 3, T);
            assertThat(run.runtime.state().state()).as(run.stderr()).isEqualTo(VmState.RUNNING);
            run.type("q");
            assertThat(run.exitStatus(T)).as(run.output() + run.stderr()).isEqualTo(1);
        }
    }

    /** A vCPU that leaves the guest for port I/O as fast as it can: a checkpoint and a destroy still get through. */
    @Test
    void aGuestFloodingExitsIsCheckpointedAndDestroyedPromptly(@TempDir Path dir) throws Exception {
        byte[] flood = {(byte) 0xe6, (byte) 0x80, (byte) 0xeb, (byte) 0xfc}; // 1: out %al,$0x80; jmp 1b
        Path snap = dir.resolve("flood.snap");
        try (BhyveRun run = boot(dir, flood, "-c", "2")) {
            Thread.sleep(500);
            long start = System.nanoTime();
            run.runtime.checkpoint(new SnapshotTarget.File(snap), false);
            run.runtime.control().destroy();
            assertThat(run.exitStatus(Duration.ofSeconds(10))).as(run.stderr()).isEqualTo(ExitStatus.ERROR.code());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        }
        SnapshotReader.verify(snap);
    }
}
