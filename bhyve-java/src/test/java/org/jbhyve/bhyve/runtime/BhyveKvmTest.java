package org.jbhyve.bhyve.runtime;

import org.jbhyve.testguests.RequiresKvm;
import org.jbhyve.testguests.TestGuests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whole-VMM tests on real /dev/kvm: bhyve command lines boot the test guests, which check the
 * platform from the inside (PCI config space, RTC, ACPI tables, the UART by interrupts) and report
 * over COM1. Exit statuses are bhyve's; the debug-exit port gives (status << 1) | 1.
 */
@RequiresKvm
class BhyveKvmTest {
    private static final Duration T = Duration.ofSeconds(120);
    /** What a guest that wrote status 0 to the debug-exit port makes bhyve exit with. */
    private static final int GUEST_OK = 1;

    @Test
    void pciEnumerationByGuestCodeFindsHostbridgeAndLpcWithEcam() throws Exception {
        try (BhyveRun run = BhyveRun.guest("pcienum")) {
            assertThat(run.exitStatus(T)).as(run.output() + run.stderr()).isEqualTo(GUEST_OK);
            assertThat(run.output().lines().toList()).containsExactly(
                    "pci 00:00.0 1275:1275 class 060000",
                    "pci 00:1f.0 8086:7000 class 060100",
                    "ecam ok",
                    "pci functions=2");
        }
    }

    @Test
    void theGuestReadsTheRtcAndBhyvesMemoryFieldsInNvram() throws Exception {
        try (BhyveRun run = BhyveRun.guest("rtc", "-u")) {
            assertThat(run.exitStatus(T)).as(run.output() + run.stderr()).isEqualTo(GUEST_OK);
            List<String> lines = run.output().lines().toList();
            LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
            assertThat(lines.getFirst()).startsWith("rtc " + today.getYear() + "-");
            assertThat(lines).contains("nvram mem16m=256 mem4g=0", "nvram rw ok");
        }
    }

    @Test
    void theGuestFindsAndChecksumsEveryAcpiTableAndTheMpTable() throws Exception {
        try (BhyveRun run = BhyveRun.guest("acpi", "-c", "2")) {
            assertThat(run.exitStatus(T)).as(run.output() + run.stderr()).isEqualTo(GUEST_OK);
            assertThat(run.output().lines().toList())
                    .contains("madt cpus=2", "madt ioapics=1", "fadt pm1a_cnt=404 sci=9", "mptable ok cpus=2", "acpi ok")
                    .anyMatch(l -> l.startsWith("rsdp at f2400 rev 2 ok"))
                    .anyMatch(l -> l.startsWith("table MCFG") && l.endsWith(" ok"))
                    .anyMatch(l -> l.startsWith("table DSDT") && l.endsWith(" ok"))
                    .noneMatch(l -> l.contains("bad"));
            // SMBIOS: bhyve's strings by default, two sockets (bhyve's default for -c 2), RAM below 4 GiB only.
            assertThat(run.output().lines().toList())
                    .contains("smbios ok", "smbios types 0 [bios BHYVE|14.0|10/17/2021] 1 [system FreeBSD|BHYVE|1.0|"
                            + "None|None|Virtual Machine uuid " + java.util.UUID.nameUUIDFromBytes("jbhyve:test".getBytes(
                                    java.nio.charset.StandardCharsets.UTF_8)) + "] 2 3 4 4 16 17 19 32 127")
                    .anyMatch(l -> l.matches("smbios 2\\.8 at f[0-9a-f]{4} structures=11"));
        }
    }

    /**
     * libvirt's {@code <sysinfo type='smbios'>} and {@code -U}: the strings and the UUID reach the guest's SMBIOS
     * tables, the UUID as the guest prints it back (the string given, as Linux's product_uuid shows it).
     */
    @Test
    void theGuestReadsTheUuidAndSysinfoStringsFromSmbios() throws Exception {
        String uuid = "a9eb4d56-2b48-c7c7-150f-0eb140358a89";
        try (BhyveRun run = BhyveRun.guest("acpi", "-c", "cpus=2,sockets=1,cores=2", "-U", uuid,
                "-o", "bios.vendor=LENOVO", "-o", "bios.version=14.1", "-o", "bios.release_date=11/24/2025",
                "-o", "system.manufacturer=Fedora", "-o", "system.product_name=Virt-Manager",
                "-o", "system.serial_number=xxx-yyy-zzz", "-o", "system.sku=0000", "-o", "system.version=0.9.4",
                "-o", "board.asset_tag=Asset Tag")) {
            assertThat(run.exitStatus(T)).as(run.output() + run.stderr()).isEqualTo(GUEST_OK);
            assertThat(run.output().lines().toList()).contains("smbios ok",
                    "smbios types 0 [bios LENOVO|14.1|11/24/2025] 1 [system Fedora|Virt-Manager|0.9.4|xxx-yyy-zzz|0000|"
                            + "Virtual Machine uuid " + uuid + "] 2 3 4 16 17 19 32 127");
        }
    }

    @Test
    void serialInputAndOutputGoThroughUartInterrupts() throws Exception {
        try (BhyveRun run = BhyveRun.guest("uartirq")) {
            run.awaitOutput(o -> o.contains("uart ready\n"), T);
            run.type("ping\n");
            assertThat(run.exitStatus(T)).as(run.output() + run.stderr()).isEqualTo(GUEST_OK);
            assertThat(run.output()).contains("got ping\n");
            assertThat(run.output()).containsPattern("irqs rx=[1-9]\\d* tx=[1-9]\\d*");
        }
    }

    @Test
    void aMultibootKernelGetsMagicMemoryMapAndCommandLine() throws Exception {
        try (BhyveRun run = BhyveRun.guest("multiboot", "-o", "boot.cmdline=console=com1 jbhyve=1")) {
            assertThat(run.exitStatus(T)).as(run.output() + run.stderr()).isEqualTo(GUEST_OK);
            assertThat(run.output().lines().toList())
                    .contains("multiboot magic=2badb002", "mem_lower=640 mem_upper=31744")
                    .anyMatch(l -> l.startsWith("cmdline=") && l.endsWith("console=com1 jbhyve=1"))
                    .anyMatch(l -> l.startsWith("mmap entries="));
        }
    }

    @Test
    void twoVcpusBothReport() throws Exception {
        try (BhyveRun run = BhyveRun.guest("smp", "-c", "2")) {
            assertThat(run.exitStatus(T)).as(run.output() + run.stderr()).isEqualTo(GUEST_OK);
            assertThat(run.output().lines().toList()).contains("hello from cpu 0", "hello from cpu 1", "cpus=2");
        }
    }

    @Test
    void theDemoPowersOffThroughAcpiWithStatus1() throws Exception {
        try (BhyveRun run = BhyveRun.start(List.of("-c", "1", "-m", "32M", "-s", "0,hostbridge", "-s", "31,lpc",
                "-o", "boot.kernel=" + TestGuests.path("demo")))) {
            run.awaitOutput(o -> o.contains("tick 1\n"), T);
            run.type("q");
            assertThat(run.exitStatus(T)).as(run.output() + run.stderr()).isEqualTo(ExitStatus.POWEROFF.code());
            assertThat(run.output()).contains("jbhyve demo guest", "powering off");
        }
    }

    @Test
    void sigtermPressesThePowerButtonAndTheGuestPowersOff() throws Exception {
        Path demo = TestGuests.path("demo");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "org.jbhyve.bhyve.Main", "-c", "1", "-m", "32M", "-s", "0,hostbridge", "-s", "31,lpc",
                "-l", "com1,stdio", "-o", "boot.kernel=" + demo, "sigterm").redirectErrorStream(true);
        Process p = pb.start();
        StringBuilder out = new StringBuilder();
        var reader = Thread.ofPlatform().daemon().start(() -> {
            try (var in = p.getInputStream()) {
                for (int c; (c = in.read()) >= 0; ) synchronized (out) { out.append((char) c); out.notifyAll(); }
            } catch (java.io.IOException ignored) {
                // process ended
            }
        });
        long deadline = System.nanoTime() + T.toNanos();
        synchronized (out) {
            while (!out.toString().contains("tick 1\n") && System.nanoTime() < deadline && p.isAlive()) out.wait(100);
        }
        // kill(1), not Process.destroy(): destroy also closes our end of the pipes, losing the output
        assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor()).isZero();
        assertThat(p.waitFor(T.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        reader.join(5000);
        assertThat(p.exitValue()).as(out.toString()).isEqualTo(ExitStatus.POWEROFF.code());
        assertThat(out.toString()).contains("power button pressed", "powering off");
    }

    @Test
    void aTripleFaultEndsTheVmWithStatus3AndARegisterDump(@TempDir Path dir) throws Exception {
        // ud2 with no IDT: #UD cannot be delivered, the CPU shuts down
        Path kernel = dir.resolve("ud2.elf");
        Files.write(kernel, elf64(new byte[] {0x0f, 0x0b}));
        try (BhyveRun run = BhyveRun.start(List.of("-c", "1", "-m", "32M", "-s", "31,lpc",
                "-o", "boot.kernel=" + kernel))) {
            assertThat(run.exitStatus(T)).as(run.stderr()).isEqualTo(ExitStatus.TRIPLE_FAULT.code());
            assertThat(run.stderr()).contains("triple-faulted", "rip");
        }
    }

    @Test
    void badConfigurationsExitWith4BeforeAnythingStarts(@TempDir Path dir) throws Exception {
        var err = new java.io.ByteArrayOutputStream();
        var ps = new java.io.PrintStream(err, true);
        assertThat(org.jbhyve.bhyve.Main.run(new String[] {"-s", "3,ahci,hd:/tmp/x.img", "-o",
                "boot.kernel=" + TestGuests.path("serial"), "vm"}, ps, ps)).isEqualTo(4);
        assertThat(err.toString()).contains("emulation ahci").contains("not supported yet");
        err.reset();
        assertThat(org.jbhyve.bhyve.Main.run(new String[] {"-o", "boot.kernel=" + dir.resolve("missing.elf"), "vm"},
                ps, ps)).isEqualTo(4);
        assertThat(err.toString()).contains("missing.elf");
        err.reset();
        assertThat(org.jbhyve.bhyve.Main.run(new String[] {"-l", "com1,stdio", "-o",
                "boot.kernel=" + TestGuests.path("serial"), "vm"}, ps, ps)).isEqualTo(4);
        assertThat(err.toString()).contains("-s 31,lpc");
        err.reset();
        assertThat(org.jbhyve.bhyve.Main.run(new String[] {"vm"}, ps, ps)).isEqualTo(4);
        assertThat(err.toString()).contains("boot.kernel");
    }

    /** A minimal ELF64 executable loading {@code code} at 1 MiB. */
    static byte[] elf64(byte[] code) {
        ByteBuffer b = ByteBuffer.allocate(0x1000 + code.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x464c457f).put((byte) 2).put((byte) 1).put((byte) 1);
        b.position(16);
        b.putShort((short) 2).putShort((short) 62).putInt(1).putLong(0x100000).putLong(64).putLong(0)
                .putInt(0).putShort((short) 64).putShort((short) 56).putShort((short) 1).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0);
        b.putInt(1).putInt(5).putLong(0x1000).putLong(0x100000).putLong(0x100000)
                .putLong(code.length).putLong(code.length).putLong(0x1000);
        b.position(0x1000);
        b.put(code);
        return b.array();
    }
}
