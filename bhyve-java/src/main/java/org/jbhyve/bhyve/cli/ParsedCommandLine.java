package org.jbhyve.bhyve.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jbhyve.bhyve.config.ConfigTree;

/**
 * What a bhyve command line asks for, from {@link BhyveCommandLine#parse}.
 *
 * @param action          start a VM, or print something and exit
 * @param config          the bhyve_config(5) tree, with {@code name} set when a VM name was given;
 *                        for {@link Action#START} its topology, memory size, CPU sets and NUMA
 *                        domains have been checked. Mutable: the caller owns it.
 * @param vmName          the VM name ({@code name}); empty only when {@code -r} is given without
 *                        one, in which case the checkpoint supplies it
 * @param restoreFile     {@code -r file}: a checkpoint to resume. bhyve keeps this out of the config
 *                        tree, and so does jbhyve. ({@code -f} items, which bhyve also keeps apart,
 *                        are in the tree under {@code fwcfg.N}, where the fw_cfg device reads them.)
 * @param ignoredOperands operands before the VM name (libvirt's {@code <bhyve:commandline>}
 *                        placeholders); bhyve itself would refuse them, jbhyve warns and goes on
 * @param warnings        things worth telling the person, each a full sentence without "bhyve: "
 */
public record ParsedCommandLine(
        Action action,
        ConfigTree config,
        Optional<String> vmName,
        Optional<Path> restoreFile,
        List<String> ignoredOperands,
        List<String> warnings) {

    public enum Action {
        /** Build and run the VM. */
        START,
        /** {@code -h}: print the usage to stderr, exit 0. */
        HELP,
        /** {@code -s help}: print the PCI emulations to stdout, exit 0. */
        LIST_PCI_EMULATIONS,
        /** {@code -l help}: print the LPC devices to stdout, exit 0. */
        LIST_LPC_DEVICES,
        /** {@code config.dump=true}: print the config tree to stdout and exit 1, as bhyve does. */
        DUMP_CONFIG
    }

    public ParsedCommandLine {
        ignoredOperands = List.copyOf(ignoredOperands);
        warnings = List.copyOf(warnings);
    }
}
