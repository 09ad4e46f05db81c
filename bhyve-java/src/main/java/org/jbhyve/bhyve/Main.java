package org.jbhyve.bhyve;

import org.jbhyve.bhyve.cli.BhyveCommandLine;
import org.jbhyve.bhyve.cli.ParsedCommandLine;
import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.control.ControlServer;
import org.jbhyve.bhyve.devices.virtio.VirtioNet;
import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.snapshot.format.ReadOptions;
import org.jbhyve.snapshot.format.SnapshotReader;
import org.jbhyve.bhyve.runtime.ExitStatus;
import org.jbhyve.bhyve.runtime.VmRuntime;
import org.jbhyve.vmm.VmmException;
import sun.misc.Signal;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/** {@code bhyve}: parse bhyve(8)'s command line, build the VM, run it, exit with bhyve's status. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int status;
        try {
            status = run(args, System.out, System.err);
        } catch (Throwable t) { // a bug: still bhyve's error status, and one line before the trace
            System.err.println("bhyve: internal error: " + t + " (a jbhyve bug; its stack trace follows)");
            t.printStackTrace();
            status = ExitStatus.ERROR.code();
        }
        System.exit(status);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return BhyveCommandLine.run(args, out, err, command -> launch(command, err));
    }

    /**
     * {@code bhyve -r FILE [name]}: the configuration comes from the snapshot's manifest; anything the
     * command line sets explicitly (e.g. {@code -o pci.0.2.0.path=/new/disk.img}, {@code -l com1,...})
     * overrides it, and a VM name given here renames the VM.
     */
    public static VmRuntime restore(ParsedCommandLine command, PrintStream err) {
        return restore(command.restoreFile().orElseThrow(), command, err);
    }

    /**
     * Builds the VM snapshot {@code file} describes, with {@code command}'s explicit settings as
     * overrides: what {@code bhyve -r FILE} and a standby bhyve's restore request do.
     */
    static VmRuntime restore(Path file, ParsedCommandLine command, PrintStream err) {
        return restore(file, command, err, () -> { });
    }

    /**
     * Like {@link #restore(Path, ParsedCommandLine, PrintStream)}; {@code beforeBuild} runs once the snapshot
     * is open and its config worked out, before the VM is built (a standby drops its prepared machine there,
     * so that a file that cannot even be read leaves that machine alone).
     */
    static VmRuntime restore(Path file, ParsedCommandLine command, PrintStream err, Runnable beforeBuild) {
        SnapshotReader snapshot;
        try {
            snapshot = SnapshotReader.open(file, ReadOptions.inspect().withWarnings(w -> err.println("bhyve: " + w)));
        } catch (java.io.IOException e) {
            throw new ConfigException("cannot restore " + file + ": " + e.getMessage());
        }
        try (snapshot) {
            ConfigTree config;
            try {
                config = restoreConfig(snapshot.config(), command);
            } catch (ConfigException e) {
                throw new ConfigException("cannot restore " + file + ": " + e.getMessage());
            }
            beforeBuild.run();
            return VmRuntime.restore(snapshot, config, err);
        }
    }

    /**
     * The config a restore runs with: the snapshot's, with every setting {@code command} makes
     * explicitly (a value other than bhyve's default) on top, and its VM name.
     */
    static ConfigTree restoreConfig(Map<String, String> snapshotConfig, ParsedCommandLine command) {
        ConfigTree config = new ConfigTree();
        snapshotConfig.forEach(config::set);
        // A guest keeps the MAC address it booted with, also when the restored VM gets another name.
        snapshotConfig.forEach((key, value) -> {
            if (key.startsWith("pci.") && key.endsWith(".device") && value.equals("virtio-net")) {
                String node = key.substring(0, key.length() - ".device".length());
                if (!snapshotConfig.containsKey(node + ".mac")) config.set(node + ".mac", VirtioNet.macOf(config, node));
            }
        });
        ConfigTree defaults = BhyveCommandLine.defaults();
        command.config().flatten().forEach((key, value) -> {
            // The standby switch belongs to the process that waited, not to the restored VM's config.
            if (key.equals(Standby.KEY) || value.equals(defaults.getRaw(key).orElse(null))) return;
            if (PCI_DEVICE_KEY.matcher(key).matches() && !value.equals(snapshotConfig.get(key))) {
                String slot = key.substring(0, key.length() - ".device".length());
                String saved = snapshotConfig.get(key);
                throw new ConfigException((saved == null ? "the snapshot has no device at " + slot
                        : "the snapshot has " + saved + " at " + slot) + ", but the command line puts " + value
                        + " there (" + key + "): a restore brings back the machine the snapshot was taken of, so -s"
                        + " and -o cannot change its devices (give the same -s options or none, and override only host"
                        + " settings such as -o " + slot + ".path=...)");
            }
            config.set(key, value);
        });
        command.vmName().filter(n -> !n.isEmpty()).ifPresent(n -> config.set("name", n));
        return config;
    }

    /** {@code pci.B.S.F.device}: which emulation a slot holds. */
    private static final java.util.regex.Pattern PCI_DEVICE_KEY =
            java.util.regex.Pattern.compile("pci\\.[0-9]+\\.[0-9]+\\.[0-9]+\\.device");

    /** How long a restore waits for its guest's first instruction to say when it came. */
    static final java.time.Duration REPORT_TIMEOUT = java.time.Duration.ofSeconds(10);

    static int launch(ParsedCommandLine command, PrintStream err) {
        boolean standby;
        try {
            standby = command.config().getBoolean(Standby.KEY, false);
        } catch (ConfigException e) {
            err.println("bhyve: " + e.getMessage());
            return ExitStatus.ERROR.code();
        }
        if (standby) {
            if (command.restoreFile().isPresent()) {
                err.println("bhyve: -r and " + Standby.KEY + "=true do not go together: a standby bhyve waits for the "
                        + "snapshot to come from bhyvectl --restore; drop one of them");
                return ExitStatus.ERROR.code();
            }
            return Standby.run(command, err);
        }
        VmRuntime vm;
        try {
            vm = command.restoreFile().isPresent() ? restore(command, err) : VmRuntime.build(command.config(), err);
        } catch (ConfigException | VmmException e) {
            err.println("bhyve: " + e.getMessage());
            return ExitStatus.ERROR.code();
        }
        // The control socket starts before the guest (a duplicate VM name is refused first) and closes
        // before the VM (try-with-resources closes in reverse order).
        try (vm; ControlServer control = ControlServer.start(vm.config(), vm.control(), err)) {
            // SIGTERM asks the guest to power off through the ACPI power button, as bhyve does.
            Signal.handle(new Signal("TERM"), s -> vm.pressPowerButton());
            vm.start();
            // After start(): finding when the process started reads /proc (milliseconds in a fresh JVM),
            // and only the log line needs it.
            command.restoreFile().ifPresent(f -> vm.reportRestore(f.toString(), "bhyve started", ProcessStart.nanos()));
            vm.awaitGuestRunning(REPORT_TIMEOUT);
            return vm.awaitExit();
        } catch (java.io.IOException e) {
            err.println("bhyve: " + e.getMessage());
            return ExitStatus.ERROR.code();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitStatus.ERROR.code();
        }
    }
}
