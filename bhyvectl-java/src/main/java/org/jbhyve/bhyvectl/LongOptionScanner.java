package org.jbhyve.bhyvectl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * bhyvectl's command line, scanned as FreeBSD's getopt_long(3) scans it for bhyvectl, which has long
 * options only:
 * <ul>
 * <li>{@code --name} for a flag; {@code --name=value} or {@code --name value} for an option that takes
 *     a value (the next argument is the value whatever it starts with, as in getopt_long);</li>
 * <li>names are written in full. getopt_long would also take a unique prefix, but unique among
 *     FreeBSD bhyvectl's hundred-odd options, of which jbhyve has a few: {@code --d} is ambiguous there
 *     ({@code --desc-base}, ...) and would be {@code --destroy} here. A prefix is refused with the
 *     names it could stand for;</li>
 * <li>an option given twice keeps its last value;</li>
 * <li>{@code --} ends the options.</li>
 * </ul>
 * Besides these, {@code -h} asks for help. bhyvectl takes no operands, so any other argument is an error.
 *
 * <p>Hand-written rather than picocli, as bhyve's {@code GetoptScanner} is: the rules fit in this class,
 * and picocli's class files are Java 5 (version 49), which the JDK AOT cache cannot hold, so every
 * bhyvectl command spent 60-90 ms loading and verifying about 165 picocli classes from the jar.
 */
final class LongOptionScanner {
    private LongOptionScanner() {}

    /** One long option: its full name (without {@code --}) and whether it takes a value. */
    record Spec(String name, boolean takesValue) {}

    /** A command line getopt_long would refuse; the message says what is wrong with which argument. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** The option whose presence {@code -h} stands for in the result. */
    static final String HELP = "help";

    /**
     * The options in {@code args}, by full name, in the order they first appeared: a flag maps to
     * {@code ""}, an option with a value to its last value. {@code -h} maps {@link #HELP} to {@code ""}.
     */
    static Map<String, String> scan(List<Spec> specs, String[] args) throws UsageException {
        Map<String, String> found = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                if (i + 1 < args.length) throw new UsageException("unexpected argument '" + args[i + 1] + "'");
                break;
            }
            if (arg.equals("-h")) {
                found.put(HELP, "");
                continue;
            }
            if (!arg.startsWith("--")) {
                throw new UsageException(arg.startsWith("-") && arg.length() > 1
                        ? "unknown option '" + arg + "'" : "unexpected argument '" + arg + "'");
            }
            int eq = arg.indexOf('=');
            String name = arg.substring(2, eq < 0 ? arg.length() : eq);
            Spec spec = match(specs, name);
            String value;
            if (!spec.takesValue()) {
                if (eq >= 0) throw new UsageException("option '--" + spec.name() + "' takes no value (drop '" + arg.substring(eq) + "')");
                value = "";
            } else if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new UsageException("option '--" + spec.name() + "' needs a value (--" + spec.name() + "=...)");
            }
            found.put(spec.name(), value);
        }
        return found;
    }

    /** The option named exactly {@code name}. */
    private static Spec match(List<Spec> specs, String name) throws UsageException {
        if (name.isEmpty()) throw new UsageException("unknown option '--='");
        List<Spec> prefixOf = new ArrayList<>();
        for (Spec s : specs) {
            if (s.name().equals(name)) return s;
            if (s.name().startsWith(name)) prefixOf.add(s);
        }
        if (prefixOf.isEmpty()) throw new UsageException("unknown option '--" + name + "'");
        StringBuilder names = new StringBuilder();
        for (Spec s : prefixOf) names.append(names.isEmpty() ? "" : " or ").append("--").append(s.name());
        throw new UsageException("unknown option '--" + name + "': write the option's whole name (" + names + ")");
    }
}
