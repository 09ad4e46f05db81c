package org.jbhyve.vmm.kvm;

import org.jbhyve.testguests.RequiresKvm;
import org.jbhyve.vmm.GuestMemory;
import org.jbhyve.vmm.Hypervisor;
import org.jbhyve.vmm.MemorySource;
import org.jbhyve.vmm.VirtualMachine;
import org.jbhyve.vmm.VmConfig;
import org.jbhyve.vmm.VmmException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Guest RAM mapped MAP_PRIVATE from a file ({@link MemorySource.FilePrivate}): lazy and copy-on-write. */
@RequiresKvm
class KvmFileMemoryTest {
    private static final long GIB = 1L << 30, MIB = 1L << 20;

    /** A sparse file of {@code size} bytes with an 8-byte marker (its own offset, xor a tag) at each offset. */
    private static Path sparse(Path dir, String name, long size, long... markers) throws IOException {
        Path p = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(size);
            for (long m : markers) {
                f.seek(m);
                f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(marker(m)).array());
            }
        }
        return p;
    }

    private static long marker(long offset) { return offset ^ 0x6a62687976650000L; }

    private static long readFileLong(Path p, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(b, offset);
            return b.getLong(0);
        }
    }

    /** VmRSS of this process in bytes. */
    private static long rss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    @Test
    void aVmFromA1GibSparseFileIsCreatedFastAndReadsNothingUpFront(@TempDir Path dir) throws Exception {
        long[] markers = {0x1000, 512 * MIB + 0x2000, GIB - 4096};
        Path file = sparse(dir, "ram-1g", GIB, markers);
        assertThat(KvmMigrationTest.sparseBytes(file)).as("the file is sparse").isLessThan(MIB);

        try (Hypervisor hv = Hypervisor.open()) {
            VmConfig cfg = VmConfig.of("lazy", 1, GIB).withBacking(MemorySource.FilePrivate.of(file, 0));
            long rssBefore = rss();
            long t0 = System.nanoTime();
            try (VirtualMachine vm = hv.createVm(cfg)) {
                long createdNs = System.nanoTime() - t0;
                long rssAfter = rss();
                System.out.printf("1 GiB file-backed VM created in %.1f ms, VmRSS %+d KiB%n", createdNs / 1e6,
                        (rssAfter - rssBefore) / 1024);
                assertThat(createdNs).as("creation time (ns)").isLessThan(500_000_000L);
                assertThat(rssAfter - rssBefore).as("RSS growth on creation").isLessThan(64 * MIB);

                GuestMemory mem = vm.memory();
                assertThat(mem.size()).isEqualTo(GIB);
                for (long m : markers) assertThat(mem.readLong(m)).as("marker at 0x%x", m).isEqualTo(marker(m));
                assertThat(mem.readLong(256 * MIB)).as("a hole reads as zero").isZero();
                // Copy-on-write: the guest's (here the VMM's) writes stay in this process.
                mem.writeLong(0x1000, 0x1122334455667788L);
                mem.writeLong(700 * MIB, -1L);
                assertThat(mem.readLong(0x1000)).isEqualTo(0x1122334455667788L);
                assertThat(readFileLong(file, 0x1000)).as("the file is unchanged").isEqualTo(marker(0x1000));
                assertThat(readFileLong(file, 700 * MIB)).isZero();
                assertThat(rss() - rssBefore).as("RSS after touching a few pages").isLessThan(64 * MIB);

                // Another VM from the same file sees the file, not the first VM's writes.
                try (VirtualMachine other = hv.createVm(cfg.withKernelIrqchip(false))) {
                    assertThat(other.memory().readLong(0x1000)).isEqualTo(marker(0x1000));
                    assertThat(other.memory().readLong(700 * MIB)).isZero();
                }
            }
        }
        assertThat(Files.size(file)).isEqualTo(GIB);
    }

    @Test
    void highmemComesFromItsOwnOffset(@TempDir Path dir) throws Exception {
        // RAM of 3 GiB + 64 MiB: lowmem 3 GiB at GPA 0, highmem 64 MiB at GPA 4 GiB. The file holds highmem
        // first (offset 0) and lowmem after it (offset 64 MiB).
        long low = GuestMemory.LOWMEM_LIMIT, high = 64 * MIB;
        Path file = sparse(dir, "ram-split", low + high, 0, high - 8, high, high + 0x5000, high + low - 8);
        try (Hypervisor hv = Hypervisor.open();
             VirtualMachine vm = hv.createVm(VmConfig.of("split", 1, low + high)
                     .withBacking(new MemorySource.FilePrivate(file, high, 0)))) {
            GuestMemory mem = vm.memory();
            assertThat(mem.highmemSize()).isEqualTo(high);
            assertThat(mem.readLong(GuestMemory.HIGHMEM_BASE)).isEqualTo(marker(0));
            assertThat(mem.readLong(GuestMemory.HIGHMEM_BASE + high - 8)).isEqualTo(marker(high - 8));
            assertThat(mem.readLong(0)).isEqualTo(marker(high));
            assertThat(mem.readLong(0x5000)).isEqualTo(marker(high + 0x5000));
            assertThat(mem.readLong(low - 8)).isEqualTo(marker(high + low - 8));
        }
    }

    @Test
    void aFileThatDoesNotCoverTheRamIsRefusedWithTheSizes(@TempDir Path dir) throws Exception {
        Path small = sparse(dir, "small", 8 * MIB);
        try (Hypervisor hv = Hypervisor.open()) {
            assertThatThrownBy(() -> hv.createVm(VmConfig.of("short", 1, 16 * MIB)
                    .withBacking(MemorySource.FilePrivate.of(small, 0))))
                    .isInstanceOf(VmmException.class)
                    .hasMessageContaining(small.toString())
                    .hasMessageContaining("16 MiB at offset 0")
                    .hasMessageContaining("only 8388608 bytes long");
            assertThatThrownBy(() -> hv.createVm(VmConfig.of("offset", 1, 4 * MIB)
                    .withBacking(MemorySource.FilePrivate.of(small, 6 * MIB))))
                    .isInstanceOf(VmmException.class).hasMessageContaining("at offset 6291456");
            Path missing = dir.resolve("missing");
            assertThatThrownBy(() -> hv.createVm(VmConfig.of("missing", 1, 4 * MIB)
                    .withBacking(MemorySource.FilePrivate.of(missing, 0))))
                    .isInstanceOf(VmmException.class).hasMessage("cannot map guest RAM from " + missing + ": no such file");
            assertThatThrownBy(() -> hv.createVm(VmConfig.of("dir", 1, 4 * MIB)
                    .withBacking(MemorySource.FilePrivate.of(dir, 0))))
                    .isInstanceOf(VmmException.class).hasMessageContaining("not a regular file");
            Path fifo = dir.resolve("fifo");
            assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
            assertThatThrownBy(() -> hv.createVm(VmConfig.of("fifo", 1, 4 * MIB)
                    .withBacking(MemorySource.FilePrivate.of(fifo, 0))))
                    .as("refused at once, not waiting for a FIFO writer")
                    .isInstanceOf(VmmException.class).hasMessage("cannot map guest RAM from " + fifo
                            + ": not a regular file (it is a FIFO)");
            // The file as whoever checked it saw it: another file renamed over the name is refused.
            org.jbhyve.bindings.libc.FileStat seen = org.jbhyve.vmm.FileIdentity.of(small);
            Path copy = sparse(dir, "copy", 8 * MIB);
            java.nio.file.Files.move(copy, small, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertThatThrownBy(() -> hv.createVm(VmConfig.of("swapped", 1, 8 * MIB)
                    .withBacking(new MemorySource.FilePrivate(small, 0, 0, seen))))
                    .isInstanceOf(VmmException.class).hasMessage("cannot map guest RAM from " + small + ": it is no"
                            + " longer the file that was checked (it was replaced or changed since it was opened); try"
                            + " again once nothing writes it");
            // the refused VMs left nothing behind: a good one still works
            try (VirtualMachine ok = hv.createVm(VmConfig.of("ok", 1, 8 * MIB)
                    .withBacking(MemorySource.FilePrivate.of(small, 0)))) {
                assertThat(ok.memory().size()).isEqualTo(8 * MIB);
            }
        }
        assertThatThrownBy(() -> MemorySource.FilePrivate.of(small, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 4 KiB");
    }

    @Test
    void ramOfAVmThatHasNotRunIsReplacedByAFileAtTheSameAddresses(@TempDir Path dir) throws Exception {
        Path file = sparse(dir, "ram", 16 * MIB, 0x1000, 8 * MIB);
        Path small = sparse(dir, "small", 8 * MIB);
        try (Hypervisor hv = Hypervisor.open(); VirtualMachine vm = hv.createVm(VmConfig.of("replace", 1, 16 * MIB))) {
            assertThat(vm.ramFd()).as("memfd RAM before").isPresent();
            long host = vm.memory().regions().getFirst().host().address();
            vm.memory().writeLong(0x3000, -1L); // old contents are dropped
            GuestMemory.Region lowmem = vm.memory().regions().getFirst();
            assertThat(vm.ramBlocksWithData(lowmem, 2 * MIB)).as("memfd: only the written block")
                    .contains(java.util.BitSet.valueOf(new long[] {1}));

            vm.replaceRam(MemorySource.FilePrivate.of(file, 0));

            GuestMemory mem = vm.memory();
            assertThat(mem.regions().getFirst().host().address()).as("same host address (KVM's slot)").isEqualTo(host);
            assertThat(mem.readLong(0x1000)).isEqualTo(marker(0x1000));
            assertThat(mem.readLong(8 * MIB)).isEqualTo(marker(8 * MIB));
            assertThat(mem.readLong(0x3000)).as("a hole of the file").isZero();
            assertThat(vm.ramFd()).as("no memfd behind RAM any more").isEmpty();
            assertThat(vm.ramBlocksWithData(lowmem, 2 * MIB)).as("file: its data blocks 0 and 4")
                    .contains(java.util.BitSet.valueOf(new long[] {0b1_0001}));
            mem.writeLong(0x1000, 7);
            mem.writeLong(12 * MIB, 9);
            assertThat(readFileLong(file, 0x1000)).as("copy-on-write").isEqualTo(marker(0x1000));
            assertThat(vm.ramBlocksWithData(lowmem, 2 * MIB)).as("and the block written since (6)")
                    .contains(java.util.BitSet.valueOf(new long[] {0b101_0001}));

            assertThatThrownBy(() -> vm.replaceRam(MemorySource.FilePrivate.of(small, 0)))
                    .isInstanceOf(VmmException.class).hasMessageContaining("only 8388608 bytes long");
            assertThat(mem.readLong(0x1000)).as("a refused replacement changes nothing").isEqualTo(7);

            vm.vcpu(0).kick();
            vm.vcpu(0).run(); // returns at once (kicked), but the vCPU has now entered KVM_RUN
            assertThatThrownBy(() -> vm.replaceRam(MemorySource.FilePrivate.of(file, 0)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("has run");
        }
    }
}
