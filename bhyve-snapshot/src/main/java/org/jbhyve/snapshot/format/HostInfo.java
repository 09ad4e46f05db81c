package org.jbhyve.snapshot.format;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The host a snapshot was taken on, so that a restore elsewhere can say what differs (CPU vendor
 * changes and backend changes do not restore). Any field may be null when unknown.
 *
 * @param os        {@code Linux}, {@code FreeBSD}
 * @param kernel    kernel release, e.g. {@code 6.8.0-45-generic}, {@code 15.0-RELEASE}
 * @param arch      {@code amd64}
 * @param backend   {@code kvm} or {@code vmm}
 * @param cpuVendor {@code GenuineIntel}, {@code AuthenticAMD}
 * @param cpuModel  the CPU's brand string
 */
public record HostInfo(String os, String kernel, String arch, String backend, String cpuVendor, String cpuModel) {

    /** What this host says about itself, with the given backend name. */
    public static HostInfo detect(String backend) {
        String os = System.getProperty("os.name");
        String kernel = firstLine(Path.of("/proc/sys/kernel/osrelease"));
        if (kernel == null) kernel = System.getProperty("os.version");
        String arch = System.getProperty("os.arch");
        if ("x86_64".equals(arch)) arch = "amd64";
        String vendor = null, model = null;
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8);
            for (String l : lines) {
                int colon = l.indexOf(':');
                if (colon < 0) continue;
                String key = l.substring(0, colon).trim();
                String value = l.substring(colon + 1).trim();
                if (vendor == null && key.equals("vendor_id")) vendor = value;
                if (model == null && key.equals("model name")) model = value;
                if (vendor != null && model != null) break;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no procfs: leave them unknown
        }
        return new HostInfo(os, kernel, arch, backend, vendor, model);
    }

    private static String firstLine(Path p) {
        try {
            List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
            return lines.isEmpty() ? null : lines.getFirst().trim();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
