package org.jbhyve.doctor.freebsd;

import org.jbhyve.bindings.freebsd.vmm.vmmapi_h;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The running FreeBSD system: sysctl(8) and kldstat(8) for what they print, files, libvmmapi through the
 * bindings, and {@link SnapshotProbe} for the kernel's snapshot support. Only used on FreeBSD; written
 * against the documented behaviour of those tools and tested here through fakes of {@link FreeBsdHost}.
 */
public final class RealFreeBsdHost implements FreeBsdHost {
    private Boolean root;

    @Override
    public Optional<String> sysctl(String name) {
        Run r = run("/sbin/sysctl", "-n", name);
        return r.status == 0 ? Optional.of(r.out.strip()) : Optional.empty();
    }

    @Override
    public boolean kldLoaded(String module) {
        return run("/sbin/kldstat", "-q", "-m", module).status == 0;
    }

    @Override
    public boolean exists(String path) {
        return Files.exists(Path.of(path));
    }

    @Override
    public boolean canReadWrite(String path) {
        Path p = Path.of(path);
        return Files.isReadable(p) && Files.isWritable(p);
    }

    @Override
    public Optional<String> readFile(String path) {
        try {
            return Optional.of(Files.readString(Path.of(path), StandardCharsets.ISO_8859_1));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public synchronized boolean isRoot() {
        if (root == null) {
            Run r = run("/usr/bin/id", "-u");
            root = r.status == 0 && r.out.strip().equals("0");
        }
        return root;
    }

    @Override
    public String user() {
        return System.getProperty("user.name", "?");
    }

    @Override
    public Libvmmapi libvmmapi() {
        try {
            Optional<String> name = vmmapi_h.libraryName();
            return name.map(Libvmmapi::found).orElseGet(() -> Libvmmapi.missing(
                    vmmapi_h.unavailableReason().orElse("not found (tried " + vmmapi_h.LIBRARY_NAMES + ")")));
        } catch (RuntimeException | LinkageError e) {
            return Libvmmapi.missing(e.toString());
        }
    }

    @Override
    public SnapshotProbe.Outcome probeSnapshot() {
        if (!isRoot()) {
            return new SnapshotProbe.Outcome.NotProbed("creating the throwaway VM the probe needs takes root"
                    + " (/dev/vmmctl and hw.vmm.create are root-only), and bhyve-doctor runs as " + user(),
                    "run bhyve-doctor as root (doas/sudo bin/bhyve-doctor)");
        }
        String name = "bhyve-doctor-" + ProcessHandle.current().pid();
        if (exists("/dev/vmmctl")) return SnapshotProbe.viaVmmctl(name);
        if (sysctl("hw.vmm.create").isPresent()) return SnapshotProbe.viaSysctl(name);
        return new SnapshotProbe.Outcome.NotProbed("neither /dev/vmmctl nor hw.vmm.create exists, so no VM can be"
                + " created", "kldload vmm");
    }

    private record Run(int status, String out) {}

    private static Run run(String... argv) {
        try {
            Process p = new ProcessBuilder(List.of(argv)).redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Run(-1, "");
            }
            return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Run(-1, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Run(-1, "");
        }
    }
}
