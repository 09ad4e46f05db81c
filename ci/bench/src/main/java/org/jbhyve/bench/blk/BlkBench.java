package org.jbhyve.bench.blk;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * virtio-blk request processing, in-process (no guest): 4 KiB and 64 KiB random reads and writes
 * at queue depth 1 and 32 on an image on tmpfs and on disk, next to fio on the same file in the
 * same run. Usage: {@code BlkBench SECONDS SIZE_MIB FIO tmpfs=PATH disk=PATH ...}. Run through ci/bench-blk.
 */
public final class BlkBench {
    private static final double TARGET = 0.70;

    record Row(String fs, String rw, int bs, int qd, BlkDriver.Result j, double ioBusy, double[] psync, double[] libaio) {}

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: BlkBench SECONDS SIZE_MIB FIO NAME=PATH...");
            System.exit(64);
        }
        int seconds = Integer.parseInt(args[0]);
        long size = Long.parseLong(args[1]) << 20;
        String fio = args[2];
        List<Row> rows = new ArrayList<>();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int a = 3; a < args.length; a++) {
            String fs = args[a].substring(0, args[a].indexOf('='));
            Path file = Path.of(args[a].substring(args[a].indexOf('=') + 1));
            System.out.printf(Locale.ROOT, "%s: creating %s (%d MiB, filled)...%n", fs, file, size >> 20);
            create(file, size);
            try (BlkDriver d = new BlkDriver(file)) {
                long ioThread = BlkDriver.ioThreadId();
                for (String rw : new String[] {"read", "write"}) {
                    for (int bs : new int[] {4096, 65536}) {
                        for (int qd : new int[] {1, 32}) {
                            settle(file);
                            long cpu0 = ioThread < 0 ? 0 : mx.getThreadCpuTime(ioThread);
                            BlkDriver.Result r = d.run(rw.equals("write"), bs, qd, TimeUnit.SECONDS.toNanos(1),
                                    TimeUnit.SECONDS.toNanos(seconds), size);
                            long cpu1 = ioThread < 0 ? 0 : mx.getThreadCpuTime(ioThread);
                            // the I/O thread's CPU over warmup + measurement, as a share of that wall time
                            double busy = ioThread < 0 ? Double.NaN : (cpu1 - cpu0) / (r.nanos() + 1e9);
                            settle(file);
                            double[] ps = fio(fio, file, rw, bs, "psync", 1, seconds);
                            if (qd > 1) settle(file);
                            double[] la = qd > 1 ? fio(fio, file, rw, bs, "libaio", qd, seconds) : null;
                            Row row = new Row(fs, rw, bs, qd, r, busy, ps, la);
                            rows.add(row);
                            System.out.println("  " + line(row));
                        }
                    }
                }
            }
            Files.deleteIfExists(file);
        }
        System.out.println();
        table(rows, seconds);
    }

    private static void create(Path file, long size) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        byte[] chunk = new byte[1 << 20];
        new SplittableRandom(42).nextBytes(chunk);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.allocateDirect(chunk.length);
            for (long at = 0; at < size; at += chunk.length) {
                b.clear();
                b.put(chunk).flip();
                while (b.hasRemaining()) ch.write(b, at + b.position());
            }
            ch.force(true);
        }
    }

    /**
     * Writes the image's dirty pages back before a timed run, so that no run pays for the writeback
     * of the previous one's writes (on disk a write case is followed by the other side's run of the
     * same case; without this, whichever runs second shares the disk with the first one's flush).
     */
    private static void settle(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /** Runs fio on {@code file}; returns {IOPS, MB/s}. */
    private static double[] fio(String fio, Path file, String rw, int bs, String engine, int depth, int seconds)
            throws IOException, InterruptedException {
        List<String> cmd = List.of(fio, "--name=baseline", "--filename=" + file, "--rw=rand" + rw, "--bs=" + bs,
                "--size=" + Files.size(file), "--direct=0", "--ioengine=" + engine, "--iodepth=" + depth,
                "--numjobs=1", "--time_based", "--runtime=" + seconds, "--ramp_time=1", "--norandommap",
                "--randrepeat=0", "--invalidate=0", "--output-format=terse", "--terse-version=3");
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IOException("fio failed: " + String.join(" ", cmd) + "\n" + out);
        String[] f = out.strip().lines().reduce((x, y) -> y).orElse("").split(";");
        // terse v3: read bw KiB/s and IOPS are fields 7 and 8; write's are 48 and 49 (1-based)
        int bw = rw.equals("read") ? 6 : 47;
        double kib = Double.parseDouble(f[bw]), iops = Double.parseDouble(f[bw + 1]);
        return new double[] {iops, kib * 1024 / 1e6};
    }

    private static double mbs(BlkDriver.Result r, int bs) {
        return r.iops() * bs / 1e6;
    }

    /** Coefficient of variation of the per-second counts (noise indicator). */
    private static double cv(long[] perSecond) {
        double mean = 0;
        for (long v : perSecond) mean += v;
        mean /= perSecond.length;
        double var = 0;
        for (long v : perSecond) var += (v - mean) * (v - mean);
        return mean == 0 ? 0 : Math.sqrt(var / perSecond.length) / mean;
    }

    private static String name(Row r) {
        return String.format(Locale.ROOT, "%-5s rand%-5s %3dk QD%-2d", r.fs, r.rw, r.bs >> 10, r.qd);
    }

    private static String line(Row r) {
        return String.format(Locale.ROOT, "%s jbhyve %9.0f IOPS  fio psync %9.0f IOPS%s", name(r), r.j.iops(), r.psync[0],
                r.libaio == null ? "" : String.format(Locale.ROOT, "  fio libaio QD%d %9.0f IOPS", r.qd, r.libaio[0]));
    }

    private static void table(List<Row> rows, int seconds) {
        System.out.printf(Locale.ROOT, "virtio-blk request processing in-process vs fio on the same file (%d s per case,"
                + " page cache, direct=0); ratio = jbhyve / fio psync numjobs=1 (the 70%% target), libaio ratio for"
                + " reference%n", seconds);
        System.out.printf(Locale.ROOT, "%-23s %9s %8s | %9s %8s %6s | %9s %8s %6s | %5s %5s  %s%n", "case", "jb IOPS",
                "jb MB/s", "psync IO", "MB/s", "ratio", "libaio IO", "MB/s", "ratio", "io%", "cv%", "verdict");
        for (Row r : rows) {
            double ratio = r.j.iops() / r.psync[0];
            String la = r.libaio == null ? String.format("%9s %8s %6s", "-", "-", "-")
                    : String.format(Locale.ROOT, "%9.0f %8.1f %6.2f", r.libaio[0], r.libaio[1], r.j.iops() / r.libaio[0]);
            double cv = cv(r.j.perSecond());
            String verdict = r.qd > 1 ? (ratio >= TARGET ? "ABOVE TARGET" : "BELOW TARGET") : "";
            if (cv > 0.10) verdict += " (noisy)";
            if (r.j.errors() > 0) verdict += " " + r.j.errors() + " IOERR!";
            System.out.printf(Locale.ROOT, "%-23s %9.0f %8.1f | %9.0f %8.1f %6.2f | %s | %5.0f %5.1f  %s%n", name(r),
                    r.j.iops(), mbs(r.j, r.bs), r.psync[0], r.psync[1], ratio, la, 100 * r.ioBusy, 100 * cv, verdict);
        }
        System.out.println("io% = CPU time of the device's I/O thread / wall time; cv% = spread of jbhyve's per-second"
                + " completions (> 10% flagged noisy). MB = 10^6 bytes.");
    }
}
