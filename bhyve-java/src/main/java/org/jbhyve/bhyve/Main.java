package org.jbhyve.bhyve;

import org.jbhyve.bhyve.cli.BhyveCommandLine;
import org.jbhyve.bhyve.cli.ParsedCommandLine;
import org.jbhyve.bhyve.config.ConfigException;
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

    static int launch(ParsedCommandLine command, PrintStream err) {
        if (command.restoreFile().isPresent()) {
            err.println("bhyve: -r: restoring a snapshot is not implemented yet");
            return ExitStatus.ERROR.code();
        }
        VmRuntime vm;
        try {
            vm = VmRuntime.build(command.config(), err);
        } catch (ConfigException | VmmException e) {
            err.println("bhyve: " + e.getMessage());
            return ExitStatus.ERROR.code();
        }
        try (vm) {
            // SIGTERM asks the guest to power off through the ACPI power button, as bhyve does.
            Signal.handle(new Signal("TERM"), s -> vm.pressPowerButton());
            vm.start();
            return vm.awaitExit();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitStatus.ERROR.code();
        }
    }
}
