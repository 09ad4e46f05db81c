package org.jbhyve.bhyve.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits bhyve's argv into options, in command-line order, and operands, as BSD getopt(3) does with
 * bhyve_optparse's option string {@code "aehuwxACDHIMPSWYk:f:o:p:G:c:s:m:n:l:K:U:r:"}: flags cluster
 * ({@code -AHP}), an argument is attached ({@code -c2}) or the next word ({@code -c 2}), and scanning
 * stops at the first operand (a word that does not start with '-', or "-" alone) or after {@code --}.
 * There is no '=' separator ({@code -o=x} gives -o the argument "=x"), no @file expansion, and an
 * option's argument may look like an option ({@code -c -H} gives -c the argument "-H"). Options are
 * recorded in order, because later settings win.
 *
 * <p>Hand-written rather than picocli (as is bhyvectl's LongOptionScanner): getopt's rules fit in
 * this class, and picocli's class files are Java 5 (version 49), older than the JDK AOT cache can
 * hold, so loading them cost every {@code bhyve} start about 40 ms.
 */
final class GetoptScanner {
    private GetoptScanner() {}

    static final String FLAGS = "aehuwxACDHIMPSWY";
    static final String WITH_ARGUMENT = "kfopGcsmnlKUr";
    private static final String HINT = " (run '" + BhyveCommandLine.PROGRAM + " -h' for the options)";

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
        int i = 0;
        while (i < args.length) {
            String word = args[i];
            if (word.equals("--")) {
                i++;
                break;
            }
            if (word.length() < 2 || word.charAt(0) != '-') break; // the first operand
            if (word.charAt(1) == '-') {
                return new Scanned(options, List.of(), new UsageException("unknown option " + quoted(word) + HINT));
            }
            i++;
            for (int j = 1; j < word.length(); j++) {
                char letter = word.charAt(j);
                if (FLAGS.indexOf(letter) >= 0) {
                    options.add(new Option(letter, null));
                } else if (WITH_ARGUMENT.indexOf(letter) >= 0) {
                    String argument;
                    if (j + 1 < word.length()) {
                        argument = word.substring(j + 1);
                    } else if (i < args.length) {
                        argument = args[i++];
                    } else {
                        return new Scanned(options, List.of(),
                                new UsageException("option -" + letter + " requires an argument" + HINT));
                    }
                    options.add(new Option(letter, argument));
                    break; // the rest of the word was the argument
                } else {
                    return new Scanned(options, List.of(), new UsageException("unknown option -" + letter + HINT));
                }
            }
        }
        return new Scanned(options, List.copyOf(Arrays.asList(args).subList(i, args.length)), null);
    }

    /** {@code s} as it could be typed to a shell: bare when that is unambiguous, else single-quoted. */
    static String quoted(String s) {
        if (!s.isEmpty() && s.chars().noneMatch(c -> Character.isWhitespace(c) || c == '\'' || c == '"')) return s;
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
