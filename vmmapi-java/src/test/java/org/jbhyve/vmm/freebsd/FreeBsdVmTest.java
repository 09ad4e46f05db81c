package org.jbhyve.vmm.freebsd;

import org.jbhyve.vmm.MemorySource;
import org.jbhyve.vmm.VmConfig;
import org.jbhyve.vmm.VmmException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Interrupt lines, MSIs, memory outside RAM and RAM from a file, on the model of libvmmapi. */
class FreeBsdVmTest {

    @Test
    void isaLinesDriveThePicAndTheIoapicPinOfTheSameNumberHigherLinesOnlyTheIoapic() {
        try (Fixture f = new Fixture(1)) {
            f.vm.assertIrq(4);
            f.vm.deassertIrq(4);
            f.vm.pulseIrq(10);
            f.vm.setIrqLine(19, true);
            f.vm.setIrqLine(19, false);
            f.vm.pulseIrq(22);
            f.vm.sendMsi(0xfee0_1000L, 0x4031);
            assertThat(f.model.irqs).containsExactly("isa_assert 4 4", "isa_deassert 4 4", "isa_pulse 10 10",
                    "ioapic_assert 19", "ioapic_deassert 19", "ioapic_pulse 22", "msi 0xfee01000 0x4031");
            assertThatThrownBy(() -> f.vm.assertIrq(32)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("IRQ 32 out of range 0..31");
        }
    }

    @Test
    void memoryOutsideRamIsCarvedFromTheBootRomSegmentOfThisKernelsAbi() {
        for (int abi : new int[] {15, 14}) {
            FakeVmmapi api = new FakeVmmapi();
            api.abi = abi;
            try (Fixture f = new Fixture(api, 1, InstructionEmulation.x86())) {
                MemorySegment rom = f.vm.mapMemory("rom", 0xffe0_0000L, 2 << 20, true);
                MemorySegment vars = f.vm.mapMemory("vars", 0xffc0_0000L, 128 << 10, false);
                int segid = abi == 15 ? 8 : 1;
                assertThat(api.calls).contains("vm_create_devmem(" + segid + ", bootrom, " + (16 << 20) + ")",
                        "vm_mmap_memseg(0xffe00000, " + segid + ", 0, " + (2 << 20) + ", 5)",          // read, exec
                        "vm_mmap_memseg(0xffc00000, " + segid + ", " + (2 << 20) + ", " + (128 << 10) + ", 7)");
                rom.set(ValueLayout.JAVA_INT, 0, 0x12345678);
                assertThat(f.model.devmem.get(segid).get(ValueLayout.JAVA_INT, 0)).isEqualTo(0x12345678);
                vars.set(ValueLayout.JAVA_BYTE, 0, (byte) 7);
                assertThat(f.model.devmem.get(segid).get(ValueLayout.JAVA_BYTE, 2 << 20)).isEqualTo((byte) 7);
                assertThat(f.vm.memorySegment(segid).name()).isEqualTo("bootrom");
                assertThat(f.vm.memorySegment(segid).length()).isEqualTo(16 << 20);
                assertThatThrownBy(() -> f.vm.mapMemory("x", 0xffe0_1000L, 4096, true)).hasMessageContaining("overlaps another");
                assertThatThrownBy(() -> f.vm.mapMemory("x", 0x1000, 4096, true)).hasMessageContaining("overlaps RAM");
                assertThatThrownBy(() -> f.vm.mapMemory("big", 0xe000_0000L, 14 << 20, true))
                        .hasMessageContaining("one boot ROM segment of 16 MiB");
            }
        }
    }

    @Test
    void ramFromAFileIsReadInEagerlyAndZeroChunksAreSkipped(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("ram");
        long size = 16L << 20;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap("lowmem starts here".getBytes()), 8192);
            ch.write(ByteBuffer.wrap(new byte[] {(byte) 0xaa}), 8192 + (5L << 20));
            ch.write(ByteBuffer.wrap(new byte[] {1}), 8192 + size - 1);
        }
        FakeVmmapi api = new FakeVmmapi();
        VmConfig cfg = VmConfig.of("restore", 1, size).withBacking(new MemorySource.FilePrivate(file, 8192, 0));
        try (Fixture f = new Fixture(api, cfg, InstructionEmulation.x86())) {
            byte[] head = new byte[18];
            f.vm.memory().read(0, head, 0, 18);
            assertThat(new String(head)).isEqualTo("lowmem starts here");
            assertThat(f.vm.memory().readByte(5L << 20)).isEqualTo((byte) 0xaa);
            assertThat(f.vm.memory().readByte(size - 1)).isEqualTo((byte) 1);
            assertThat(f.vm.memory().readByte(1L << 20)).isZero();
        }
        VmConfig tooBig = VmConfig.of("short", 1, 32L << 20).withBacking(new MemorySource.FilePrivate(file, 8192, 0));
        FakeVmmapi api2 = new FakeVmmapi();
        assertThatThrownBy(() -> new Fixture(api2, tooBig, InstructionEmulation.x86())).isInstanceOf(VmmException.class)
                .hasMessage("cannot load guest lowmem from " + file + ": it needs bytes 8192.." + (8192 + (32L << 20))
                        + " (32 MiB at offset 8192) but the file is only " + (8192 + size) + " bytes long");
        assertThat(api2.calls).as("the half-made VM is destroyed").contains("vm_destroy(short)");
        api2.close();
        Path fifo = dir.resolve("fifo");
        try {
            assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        VmConfig fromFifo = VmConfig.of("fifo", 1, size).withBacking(new MemorySource.FilePrivate(fifo, 0, 0));
        FakeVmmapi api3 = new FakeVmmapi();
        assertThatThrownBy(() -> new Fixture(api3, fromFifo, InstructionEmulation.x86())).isInstanceOf(VmmException.class)
                .hasMessage("cannot load guest RAM from " + fifo + ": not a regular file (it is a FIFO)");
        api3.close();
        // a file that is not the one the caller checked (here: its identity from before a rewrite)
        org.jbhyve.bindings.libc.FileStat before = org.jbhyve.vmm.FileIdentity.of(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap("rewritten".getBytes()), 8192);
        }
        VmConfig changed = VmConfig.of("changed", 1, size).withBacking(new MemorySource.FilePrivate(file, 8192, 0, before));
        FakeVmmapi api4 = new FakeVmmapi();
        assertThatThrownBy(() -> new Fixture(api4, changed, InstructionEmulation.x86())).isInstanceOf(VmmException.class)
                .hasMessageContaining("it is no longer the file that was checked");
        api4.close();
    }

    @Test
    void rtcIsTheKernels() {
        try (Fixture f = new Fixture(1)) {
            f.vm.rtcWrite(0x0e, 0x5a);
            assertThat(f.vm.rtcRead(0x0e)).isEqualTo(0x5a);
            f.vm.rtcSetTime(java.time.Instant.ofEpochSecond(1_700_000_000L));
            assertThat(f.vm.rtcTime().getEpochSecond()).isEqualTo(1_700_000_000L);
        }
    }

    @Test
    void suspendEndsTheVmForEveryVcpu() {
        try (Fixture f = new Fixture(2)) {
            f.vm.suspend(FreeBsdVm.SuspendHow.POWEROFF);
            f.vm.suspend(FreeBsdVm.SuspendHow.RESET); // already suspended: EALREADY, ignored
            assertThat(f.vcpu(0).run()).isInstanceOfSatisfying(org.jbhyve.vmm.VmExit.SystemEvent.class,
                    e -> assertThat(e.type()).isEqualTo(org.jbhyve.vmm.VmExit.SystemEvent.Type.SHUTDOWN));
            assertThat(f.vcpu(1).run()).isInstanceOf(org.jbhyve.vmm.VmExit.SystemEvent.class);
        }
    }
}
