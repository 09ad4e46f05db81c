package org.jbhyve.bhyve.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.config.CpuSet;
import org.jbhyve.bhyve.config.CpuTopology;
import org.jbhyve.bhyve.config.MemoryDomain;
import org.jbhyve.bhyve.config.MemorySize;
import org.jbhyve.bhyve.devices.fwcfg.FwCfg;

/**
 * bhyve(8)'s command line, turned into the bhyve_config(5) tree exactly as bhyve does it
 * (amd64/bhyverun_machdep.c bhyve_init_config and bhyve_optparse, bhyverun.c main).
 *
 * <p>Options are getopt-style: flags cluster ({@code -AHP}), an option's argument may be attached
 * ({@code -c2}) or the next word ({@code -c 2}), and option processing stops at the first operand, as
 * BSD getopt does. Options are applied in command-line order, so later settings win, as in bhyve:
 * {@code -k file -o memory.size=1G} overrides the file. Where bhyve exits immediately ({@code -h},
 * {@code -s help}, {@code -l help}, a bad option argument), so does the parse, at that point.
 *
 * <p>Exit statuses: 0 for help and the device lists, 1 after {@code -o config.dump=true} (bhyve's
 * {@code exit(1)} after dump_config()), and 4 for every command-line error. bhyve itself exits 1 for
 * usage errors and 64 (EX_USAGE) for some bad option arguments; jbhyve uses 4, bhyve's documented
 * "exited due to an error", for all of them.
 */
public final class BhyveCommandLine {
    private BhyveCommandLine() {}

    /** The name used in messages, as bhyve's getprogname(). */
    public static final String PROGRAM = "bhyve";

    /** bhyverun.c main exits 1 after printing the config for {@code config.dump}. */
    public static final int DUMP_EXIT_STATUS = 1;

    /** Starts the VM a command line describes and returns bhyve's exit status for how it ended. */
    @FunctionalInterface
    public interface Launcher {
        int launch(ParsedCommandLine command);
    }

    /**
     * Parses {@code args} (without the program name).
     *
     * @throws UsageException naming the offending argument and the fix
     */
    public static ParsedCommandLine parse(String[] args) {
        GetoptScanner.Scanned scanned = GetoptScanner.scan(args);
        Parse parse = new Parse();
        for (GetoptScanner.Option option : scanned.options()) {
            Optional<ParsedCommandLine.Action> early;
            try {
                early = parse.apply(option);
            } catch (UsageException e) {
                throw e;
            } catch (ConfigException e) {
                throw new UsageException(option.display() + ": " + e.getMessage());
            }
            if (early.isPresent()) return parse.result(early.get(), Optional.empty(), List.of());
        }
        if (scanned.error() != null) throw scanned.error();
        return parse.finish(scanned.operands());
    }

    /**
     * bhyve's main() as far as the command line goes: prints help, device lists, the config dump or
     * the error, or hands a valid command line to {@code launcher}; returns the exit status.
     */
    public static int run(String[] args, PrintStream out, PrintStream err, Launcher launcher) {
        ParsedCommandLine command;
        try {
            command = parse(args);
        } catch (UsageException e) {
            err.println(PROGRAM + ": " + e.getMessage());
            return e.exitStatus();
        }
        for (String warning : command.warnings()) err.println(PROGRAM + ": warning: " + warning);
        return switch (command.action()) {
            case HELP -> {
                err.print(Usage.text(PROGRAM));
                yield 0;
            }
            case LIST_PCI_EMULATIONS -> {
                out.print(Emulations.pciHelp());
                yield 0;
            }
            case LIST_LPC_DEVICES -> {
                out.print(Emulations.lpcHelp());
                yield 0;
            }
            case DUMP_CONFIG -> {
                out.print(command.config().dump());
                yield DUMP_EXIT_STATUS;
            }
            case START -> launcher.launch(command);
        };
    }

    /** The tree before any option: amd64/bhyverun_machdep.c bhyve_init_config. */
    public static ConfigTree defaults() {
        ConfigTree config = new ConfigTree();
        config.set("acpi_tables", "true");
        config.set("acpi_tables_in_memory", "true");
        config.set("memory.size", MemorySize.DEFAULT);
        config.set("x86.strictmsr", "true");
        config.set("x86.verbosemsr", "false");
        config.set("lpc.fwcfg", "bhyve");
        return config;
    }

    /** The state of one parse: the tree and what bhyve keeps beside it. */
    private static final class Parse {
        final ConfigTree config = defaults();
        final List<String> warnings = new ArrayList<>();
        Path restoreFile;

        /** One case of bhyve_optparse's switch; a non-empty result ends the parse there. */
        Optional<ParsedCommandLine.Action> apply(GetoptScanner.Option option) {
            String arg = option.argument();
            switch (option.letter()) {
                case 'a' -> config.set("x86.x2apic", "false");
                case 'A', 'I' -> { } // -A: ACPI tables are always built; -I: the I/O APIC is always there
                case 'c' -> CpuOptions.topology(config, arg);
                case 'C' -> config.set("memory.guest_in_core", "true");
                case 'D' -> config.set("destroy_on_poweroff", "true");
                case 'e' -> config.set("x86.strictio", "true");
                case 'f' -> fwCfgUserFile(arg);
                case 'G' -> gdb(arg);
                case 'h' -> {
                    return Optional.of(ParsedCommandLine.Action.HELP);
                }
                case 'H' -> config.set("x86.vmexit_on_hlt", "true");
                case 'k' -> SimpleConfigFile.apply(config, arg);
                case 'K' -> config.set("keyboard.layout", arg);
                case 'l' -> {
                    if (isHelp(arg)) return Optional.of(ParsedCommandLine.Action.LIST_LPC_DEVICES);
                    LpcDeviceParser.parse(config, arg);
                }
                case 'm' -> config.set("memory.size", arg); // checked after config.dump, as in bhyve
                case 'M' -> config.set("monitor", "true");
                case 'n' -> numa(arg);
                case 'o' -> configOption(arg);
                case 'p' -> CpuOptions.pin(config, arg);
                case 'P' -> config.set("x86.vmexit_on_pause", "true");
                case 'r' -> restoreFile = restorePath(arg);
                case 's' -> {
                    if (isHelp(arg)) return Optional.of(ParsedCommandLine.Action.LIST_PCI_EMULATIONS);
                    PciSlotParser.parse(config, arg);
                }
                case 'S' -> config.set("memory.wired", "true");
                case 'u' -> config.set("rtc.use_localtime", "false");
                case 'U' -> config.set("uuid", arg);
                case 'w' -> config.set("x86.strictmsr", "false");
                case 'W' -> config.set("virtio_msix", "false");
                case 'x' -> config.set("x86.x2apic", "true");
                case 'Y' -> config.set("x86.mptable", "false");
                default -> throw new IllegalStateException("option -" + option.letter() + " is declared but not handled");
            }
            return Optional.empty();
        }

        /** bhyve compares with strncmp(arg, "help", strlen(arg)): any prefix of "help", even "", asks for the list. */
        private static boolean isHelp(String arg) {
            return "help".startsWith(arg);
        }

        /** bhyverun.c bhyve_parse_config_option: {@code name=value} with a non-empty value. */
        private void configOption(String arg) {
            int eq = arg.indexOf('=');
            if (eq < 0 || eq == arg.length() - 1) {
                throw new ConfigException("invalid configuration option (write -o name=value, such as -o memory.size=1G)");
            }
            config.set(arg.substring(0, eq), arg.substring(eq + 1));
        }

        /**
         * bhyverun.c bhyve_parse_gdb_options: a leading 'w' sets gdb.wait; what follows the last ':' is
         * gdb.port, what precedes it gdb.address.
         */
        private void gdb(String arg) {
            String spec = arg;
            if (spec.startsWith("w")) {
                config.set("gdb.wait", "true");
                spec = spec.substring(1);
            }
            int colon = spec.lastIndexOf(':');
            String port = colon < 0 ? spec : spec.substring(colon + 1);
            if (port.isEmpty()) {
                throw new ConfigException("the debug server needs a port (write -G [w][address:]port, such as -G w127.0.0.1:1234)");
            }
            if (colon >= 0) config.set("gdb.address", spec.substring(0, colon));
            config.set("gdb.port", port);
        }

        /**
         * {@code -f [name=]NAME,string=TEXT} or {@code -f [name=]NAME,file=PATH} (qemu_fwcfg.c
         * qemu_fwcfg_parse_cmdline_arg). bhyve keeps these in a list beside its config tree; jbhyve
         * keeps them in the tree as {@code fwcfg.N.name} and {@code fwcfg.N.string} or
         * {@code fwcfg.N.file}, where the fw_cfg device reads them, so that a dumped or checkpointed
         * configuration is complete. bhyve reads a file item while parsing options; here it is at
         * least opened, so an unreadable file fails before anything starts.
         */
        private void fwCfgUserFile(String arg) {
            try {
                FwCfg.addUserFileOption(config, arg);
            } catch (ConfigException e) {
                throw new UsageException(e.getMessage()); // its message already names the -f option
            }
            String spec = arg.startsWith("name=") ? arg.substring("name=".length()) : arg;
            String value = spec.substring(spec.indexOf(',') + 1);
            if (!value.startsWith("file=")) return;
            String file = value.substring("file=".length());
            try {
                if (!Files.isRegularFile(Path.of(file))) {
                    throw new ConfigException("cannot open fw_cfg file '" + file + "': no such regular file (check the path)");
                }
                Files.newInputStream(Path.of(file)).close();
            } catch (IOException | InvalidPathException e) {
                throw new ConfigException("cannot open fw_cfg file '" + file + "': " + e.getMessage() + " (check the path and its permissions)");
            }
        }

        /** bhyve_numa_parse, then bhyve's check that ACPI (which describes the domains) is on. */
        private void numa(String arg) {
            NumaOption.parse(config, arg);
            String acpi = config.get("acpi_tables").orElseThrow(() ->
                    new ConfigException("NUMA emulation requires ACPI, but acpi_tables is unset"));
            if (!ConfigTree.parseBoolean("acpi_tables", acpi)) {
                throw new ConfigException("NUMA emulation requires ACPI (remove acpi_tables=false)");
            }
        }

        private static Path restorePath(String arg) {
            if (arg.isEmpty()) throw new ConfigException("the checkpoint file name is empty");
            try {
                return Path.of(arg);
            } catch (InvalidPathException e) {
                throw new ConfigException("invalid checkpoint file name: " + e.getReason());
            }
        }

        /** After the options: bhyve_optparse's compatibility aliases, then main()'s checks. */
        ParsedCommandLine finish(List<String> operands) {
            try {
                // Current bhyve keeps the boot ROM at the top level; older configs name it lpc.bootrom.
                alias("lpc.bootrom", "bootrom");
                alias("lpc.bootvars", "bootvars");
            } catch (ConfigException e) {
                throw new UsageException(e.getMessage());
            }
            List<String> ignored = operands.size() > 1 ? operands.subList(0, operands.size() - 1) : List.of();
            for (String operand : operands.subList(Math.min(1, operands.size()), operands.size())) {
                // Option processing stopped at the first operand, as getopt does; an option after it
                // is a misplaced option, not a VM name.
                if (operand.startsWith("-") && operand.length() > 1) {
                    throw new UsageException("option " + GetoptScanner.quoted(operand) + " comes after '" + operands.getFirst()
                            + "': options go before the VM name, which comes last");
                }
            }
            if (!ignored.isEmpty()) {
                warnings.add("ignoring " + String.join(" ", ignored.stream().map(GetoptScanner::quoted).toList())
                        + ": only the VM name may follow the options (bhyve(8) would refuse this command line)");
            }
            if (!operands.isEmpty()) {
                String name = operands.getLast();
                if (name.isEmpty()) throw new UsageException("the VM name is empty (give the VM name last, after the options)");
                config.set("name", name);
            }
            Optional<String> name;
            try {
                name = config.get("name");
            } catch (ConfigException e) {
                throw new UsageException("name: " + e.getMessage());
            }
            if (name.isEmpty() && restoreFile == null) {
                throw new UsageException("missing the VM name (give it last, after the options: " + PROGRAM
                        + " [options] vmname; run '" + PROGRAM + " -h' for the options)");
            }
            if (dumpRequested()) return result(ParsedCommandLine.Action.DUMP_CONFIG, name, ignored);
            try {
                check();
            } catch (ConfigException e) {
                throw new UsageException(e.getMessage());
            }
            return result(ParsedCommandLine.Action.START, name, ignored);
        }

        private void alias(String deprecated, String current) {
            Optional<String> old = config.get(deprecated);
            if (old.isPresent() && config.get(current).isEmpty()) {
                warnings.add(deprecated + " is deprecated, use '-o " + current + "' instead");
                config.set(current, old.get());
            }
        }

        private boolean dumpRequested() {
            try {
                return config.getBoolean("config.dump", false);
            } catch (ConfigException e) {
                throw new UsageException(e.getMessage());
            }
        }

        /**
         * What bhyve's main() checks once the options are read and before anything is created:
         * calc_topology, build_vcpumaps (parse_cpuset), vm_parse_memsize, calc_mem_affinity and
         * set_vcpu_affinities. Each throws a ConfigException naming the variable and the fix.
         */
        private void check() {
            CpuTopology topology = CpuTopology.fromConfig(config);
            for (String vcpu : config.children("vcpu")) {
                String key = "vcpu." + vcpu + ".cpuset";
                Optional<String> list = config.get(key);
                if (list.isEmpty()) continue;
                int index = index(vcpu);
                if (index >= 0 && index < topology.cpus()) CpuSet.parse(key, list.get());
                else warnings.add(key + " is ignored: the VM's vCPUs are numbered from 0 to " + (topology.cpus() - 1));
            }
            long memory;
            try {
                memory = MemorySize.fromConfig(config);
            } catch (ConfigException e) {
                throw new ConfigException("memory.size: " + e.getMessage());
            }
            MemoryDomain.fromConfig(config, memory);
            if (MemoryDomain.sizesDistributed(config)) {
                warnings.add("at least one NUMA domain has no size; the guest's memory is split evenly across the domains");
            }
            List<String> domains = config.children("domains");
            for (String id : domains) {
                int index = index(id);
                boolean used = index >= 0 && index < MemoryDomain.MAX_DOMAINS && allDomainsBelow(index);
                if (!used) {
                    warnings.add("NUMA domain " + id + " is ignored: domains are numbered from 0 without gaps, at most "
                            + MemoryDomain.MAX_DOMAINS);
                }
            }
        }

        /**
         * The number a node name stands for, or -1: bhyve builds these names with "%d", so only the
         * canonical decimal form ("3", not "03") is ever looked up.
         */
        private static int index(String name) {
            if (!name.matches("0|[1-9]\\d{0,8}")) return -1;
            return Integer.parseInt(name);
        }

        private boolean allDomainsBelow(int id) {
            for (int i = 0; i < id; i++) if (!config.isNode("domains." + i)) return false;
            return true;
        }

        ParsedCommandLine result(ParsedCommandLine.Action action, Optional<String> name, List<String> ignored) {
            return new ParsedCommandLine(action, config, name, Optional.ofNullable(restoreFile), ignored, warnings);
        }
    }
}
