package org.jbhyve.bhyve.runtime;

import org.jbhyve.bhyve.cli.BhyveCommandLine;
import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.snapshot.format.ReadOptions;
import org.jbhyve.snapshot.format.SnapshotReader;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A standby bhyve's warm-up: boots a small throwaway VM, checkpoints it, and restores the snapshot,
 * through the same build, checkpoint and restore code a real restore runs, both ways (a VM built from
 * the snapshot, and a VM prepared ahead of time), then repeats the restore itself until the JIT has
 * compiled it. A fresh JVM's first restore is about 20 times slower than a warm one (class loading,
 * native-call linking, interpreted code); after this the standby's first real restore is a warm one.
 *
 * <p>The throwaway VM has the devices most VMs have (host bridge, LPC with COM1, virtio-blk,
 * virtio-rnd, virtio-console) and 1 vCPU that halts; it lives in a private temporary directory, logs
 * nowhere and is removed whatever happens. Takes one to three seconds.
 */
public final class RestoreRehearsal {
    private RestoreRehearsal() {}

    /**
     * How often the restore proper (open the snapshot, check it, put every state back) is repeated:
     * enough for the JIT's C1 tier to compile its loops and calls (measured here: 50 repeats leave an
     * open at 5x its warm cost, 100 at 1.1x).
     */
    static final int REPEATS = 150;

    public static void run() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("jbhyve-rehearsal-"); // 0700
        try {
            rehearse(dir);
        } finally {
            deleteTree(dir);
        }
    }

    private static void rehearse(Path dir) throws IOException, InterruptedException {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        String[] args = throwawayVm(dir, "jbhyve-rehearsal-" + ProcessHandle.current().pid());
        ConfigTree config = BhyveCommandLine.parse(args).config();
        Path snapshot = suspendThrowawayVm(dir, config);
        // bhyve -r: a VM built from the snapshot.
        try (SnapshotReader r = SnapshotReader.open(snapshot, ReadOptions.inspect());
             VmRuntime vm = VmRuntime.restore(r, config, quiet)) {
            runBriefly(vm);
        }
        // A prepared VM restored in place, then the restore proper again and again.
        try (VmRuntime vm = VmRuntime.prepare(config, quiet)) {
            vm.restoreInPlace(snapshot, snapshotConfig -> { });
            for (int i = 0; i < REPEATS; i++) {
                try (SnapshotReader r = SnapshotReader.open(snapshot, ReadOptions.inspect())) {
                    SnapshotRestore.checkCompatible(r, 1, vm.vm().memory().size());
                }
                SnapshotRestore.restore(snapshot, vm.vm(), vm.snapshottables(), quiet);
            }
            runBriefly(vm);
        }
    }

    /**
     * The throwaway VM's bhyve arguments (options, then {@code name}): its kernel, disk, console socket
     * and COM1 log are created in {@code dir}, which the caller removes.
     */
    public static String[] throwawayVm(Path dir, String name) throws IOException {
        Path kernel = writeKernel(dir.resolve("halt.mb"));
        Path disk = dir.resolve("disk.img");
        try (FileChannel c = FileChannel.open(disk, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            c.write(ByteBuffer.allocate(1), (1 << 20) - 1); // 1 MiB, sparse
        }
        return new String[] {
                "-c", "1", "-m", "16M", "-s", "0,hostbridge", "-s", "1,virtio-blk," + disk, "-s", "2,virtio-rnd",
                "-s", "3,virtio-console,port0=" + dir.resolve("console.sock"), "-s", "31,lpc",
                "-l", "com1," + dir.resolve("com1.log"), "-o", "boot.kernel=" + kernel, name};
    }

    /**
     * Boots the throwaway VM {@code config} describes, takes a live checkpoint of it (so that the first
     * real one, and the AOT cache, find that path loaded and profiled) and suspends it to
     * {@code dir/rehearsal.snap}.
     */
    public static Path suspendThrowawayVm(Path dir, ConfigTree config) throws IOException {
        Path snapshot = dir.resolve("rehearsal.snap");
        try (VmRuntime vm = VmRuntime.build(config, new PrintStream(OutputStream.nullOutputStream()))) {
            vm.start();
            Path live = dir.resolve("rehearsal-live.snap");
            vm.checkpoint(new SnapshotTarget.File(live), false);
            java.nio.file.Files.delete(live);
            vm.checkpoint(new SnapshotTarget.File(snapshot), true);
            vm.awaitExit();
        } catch (Exception e) {
            throw new IOException("rehearsal checkpoint: " + e.getMessage(), e);
        }
        return snapshot;
    }

    private static void runBriefly(VmRuntime vm) throws InterruptedException {
        vm.reportRestore("rehearsal.snap", "the rehearsal", System.nanoTime()); // its line goes to the quiet log
        vm.start();
        vm.awaitGuestRunning(Duration.ofSeconds(10));
        vm.end(ExitStatus.POWEROFF, "rehearsal over");
        vm.awaitExit();
    }

    /**
     * A Multiboot kernel (a.out kludge: the header's address fields say where it goes) whose code writes a
     * newline to COM1 and then runs {@code cli; hlt; jmp .-1}: it halts for good, which costs no host CPU
     * with the in-kernel LAPIC. The one port write takes the vCPU through an I/O exit, so that the exit's
     * classes are loaded (and so in the AOT cache) before a restored guest's first output needs them.
     */
    public static Path writeKernel(Path file) throws IOException {
        final int magic = 0x1BADB002, flags = 1 << 16, load = 0x100000, headerSize = 32;
        ByteBuffer b = ByteBuffer.allocate(headerSize + 11).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(magic).putInt(flags).putInt(-(magic + flags));
        b.putInt(load)                      // header_addr: the header is the file's first byte
                .putInt(load)               // load_addr
                .putInt(0)                  // load_end_addr: the whole file
                .putInt(0)                  // bss_end_addr: no bss
                .putInt(load + headerSize); // entry_addr: right after the header
        b.put(new byte[] {0x66, (byte) 0xba, (byte) 0xf8, 0x03}); // mov dx, 0x3f8 (COM1's data register)
        b.put((byte) 0xb0).put((byte) '\n');                      // mov al, '\n'
        b.put((byte) 0xee);                                        // out dx, al
        b.put((byte) 0xfa).put((byte) 0xf4).put((byte) 0xeb).put((byte) 0xfd); // cli; hlt; jmp back to hlt
        Files.write(file, b.array());
        return file;
    }

    /** Removes {@code dir} and everything in it, as far as it can. */
    public static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
