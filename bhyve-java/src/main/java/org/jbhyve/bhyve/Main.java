package org.jbhyve.bhyve;

import org.jbhyve.bhyve.cli.BhyveCommandLine;
import org.jbhyve.bhyve.cli.ParsedCommandLine;
import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.control.ControlServer;
import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.snapshot.format.ReadOptions;
import org.jbhyve.snapshot.format.SnapshotReader;
import org.jbhyve.bhyve.runtime.ExitStatus;
import org.jbhyve.bhyve.runtime.VmRuntime;
import org.jbhyve.vmm.VmmException;
import sun.misc.Signal;

import java.io.PrintStream;

/** {@code bhyve}: parse bhyve(8)'s command line, build the VM, run it, exit with bhyve's status. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
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
        java.nio.file.Path file = command.restoreFile().orElseThrow();
        SnapshotReader snapshot;
        try {
            snapshot = SnapshotReader.open(file, ReadOptions.inspect().withWarnings(w -> err.println("bhyve: " + w)));
        } catch (java.io.IOException e) {
            throw new ConfigException("cannot restore " + file + ": " + e.getMessage());
        }
        try (snapshot) {
            ConfigTree config = new ConfigTree();
            snapshot.config().forEach(config::set);
            ConfigTree defaults = BhyveCommandLine.defaults();
            command.config().flatten().forEach((key, value) -> {
                if (!value.equals(defaults.getRaw(key).orElse(null))) config.set(key, value);
            });
            command.vmName().filter(n -> !n.isEmpty()).ifPresent(n -> config.set("name", n));
            return VmRuntime.restore(snapshot, config, err);
        }
    }

    static int launch(ParsedCommandLine command, PrintStream err) {
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
