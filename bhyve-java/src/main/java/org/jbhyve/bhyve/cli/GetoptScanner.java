package org.jbhyve.bhyve.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Splits bhyve's argv into options, in command-line order, and operands, with picocli configured to
 * behave like BSD getopt(3) on bhyve_optparse's option string
 * {@code "aehuwxACDHIMPSWYk:f:o:p:G:c:s:m:n:l:K:U:r:"}: flags cluster ({@code -AHP}), an argument is
 * attached ({@code -c2}) or the next word ({@code -c 2}), and scanning stops at the first operand or
 * at {@code --}.
 *
 * <p>Everything picocli offers beyond getopt is switched off: there is no '=' separator ({@code -o=x}
 * gives -o the argument "=x"), no @file expansion, and an option's argument may look like an option
 * ({@code -c -H} gives -c the argument "-H"). Options are recorded as picocli meets them, so the
 * caller applies them in order, which matters because later settings win.
 */
final class GetoptScanner {
    private GetoptScanner() {}

    static final String FLAGS = "aehuwxACDHIMPSWY";
    static final String WITH_ARGUMENT = "kfopGcsmnlKUr";

    /** One option as given; {@code argument} is null for a flag. */
    record Option(char letter, String argument) {
        /** The option as a person would write it, for messages: {@code -s 3,virtio-blk}. */
        String display() {
            return argument == null ? "-" + letter : "-" + letter + " " + quoted(argument);
        }
    }

    /**
     * @param options  the options read before scanning stopped
     * @param operands what follows them
     * @param error    why scanning failed, or null; {@code options} then holds those before the fault,
     *                 which the caller applies first, as getopt would have
     */
    record Scanned(List<Option> options, List<String> operands, UsageException error) {}

    static Scanned scan(String[] args) {
        List<Option> options = new ArrayList<>();
        List<String> operands = new ArrayList<>();
        CommandSpec spec = CommandSpec.create();
        for (char letter : FLAGS.toCharArray()) {
            spec.addOption(OptionSpec.builder("-" + letter).arity("0").type(boolean.class)
                    .setter(recorder(options, letter)).build());
        }
        for (char letter : WITH_ARGUMENT.toCharArray()) {
            spec.addOption(OptionSpec.builder("-" + letter).arity("1").type(String.class)
                    .setter(recorder(options, letter)).build());
        }
        spec.addPositional(PositionalParamSpec.builder().arity("0..*").type(String[].class)
                .setter(new ISetter() {
                    @Override
                    public <T> T set(T value) {
                        // picocli hands over all operands so far; keep the latest list.
                        if (value instanceof String[] all) {
                            operands.clear();
                            operands.addAll(Arrays.asList(all));
                        }
                        return null;
                    }
                }).build());
        CommandLine commandLine = new CommandLine(spec)
                .setPosixClusteredShortOptionsAllowed(true)
                .setStopAtPositional(true)
                .setOverwrittenOptionsAllowed(true)
                .setAllowOptionsAsOptionParameters(true)
                .setUnmatchedOptionsAllowedAsOptionParameters(true)
                .setExpandAtFiles(false)
                .setSeparator("\0"); // argv words cannot contain NUL, so '=' is never a separator
        try {
            commandLine.parseArgs(args);
            return new Scanned(options, operands, null);
        } catch (CommandLine.ParameterException e) {
            return new Scanned(options, operands, translate(e));
        }
    }

    /** Records each value picocli assigns; picocli also assigns null/false initial values, skipped here. */
    private static ISetter recorder(List<Option> options, char letter) {
        return new ISetter() {
            @Override
            public <T> T set(T value) {
                if (value instanceof String s) options.add(new Option(letter, s));
                else if (Boolean.TRUE.equals(value)) options.add(new Option(letter, null));
                return null;
            }
        };
    }

    private static UsageException translate(CommandLine.ParameterException e) {
        String hint = " (run '" + BhyveCommandLine.PROGRAM + " -h' for the options)";
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            return new UsageException("unknown option " + unknownOption(unmatched.getUnmatched().getFirst()) + hint);
        }
        if (e instanceof CommandLine.MissingParameterException missing && !missing.getMissing().isEmpty()
                && missing.getMissing().getFirst() instanceof OptionSpec option) {
            return new UsageException("option " + option.shortestName() + " requires an argument" + hint);
        }
        return new UsageException(e.getMessage() + hint);
    }

    /** The first unknown letter of a cluster such as {@code -HZ}, or the word itself ({@code --long}). */
    private static String unknownOption(String word) {
        if (word.length() > 1 && word.charAt(0) == '-' && word.charAt(1) != '-') {
            for (int i = 1; i < word.length(); i++) {
                char c = word.charAt(i);
                if (FLAGS.indexOf(c) < 0 && WITH_ARGUMENT.indexOf(c) < 0) return "-" + c;
                if (WITH_ARGUMENT.indexOf(c) >= 0) break; // the rest is that option's argument
            }
        }
        return quoted(word);
    }

    /** {@code s} as it could be typed to a shell: bare when that is unambiguous, else single-quoted. */
    static String quoted(String s) {
        if (!s.isEmpty() && s.chars().noneMatch(c -> Character.isWhitespace(c) || c == '\'' || c == '"')) return s;
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
