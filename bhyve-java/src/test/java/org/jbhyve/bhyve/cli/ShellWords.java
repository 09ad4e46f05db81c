package org.jbhyve.bhyve.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * POSIX shell word splitting for the libvirt corpus files: backslash-newline joins lines, white space
 * separates words, single quotes are literal, double quotes keep white space (a backslash in them
 * escapes only $ ` " \ and newline), and an unquoted backslash makes the next character literal.
 * No expansions: the corpus has none.
 */
final class ShellWords {
    private ShellWords() {}

    static List<String> split(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i += 2; // line continuation
                    continue;
                }
                if (i + 1 >= text.length()) throw new IllegalArgumentException("trailing backslash");
                word.append(text.charAt(i + 1));
                inWord = true;
                i += 2;
            } else if (c == '\'') {
                int end = text.indexOf('\'', i + 1);
                if (end < 0) throw new IllegalArgumentException("unterminated single quote at " + i);
                word.append(text, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i++;
                while (true) {
                    if (i >= text.length()) throw new IllegalArgumentException("unterminated double quote");
                    char d = text.charAt(i);
                    if (d == '"') break;
                    if (d == '\\' && i + 1 < text.length() && "$`\"\\\n".indexOf(text.charAt(i + 1)) >= 0) {
                        if (text.charAt(i + 1) != '\n') word.append(text.charAt(i + 1));
                        i += 2;
                    } else {
                        word.append(d);
                        i++;
                    }
                }
                inWord = true;
                i++;
            } else if (c == ' ' || c == '\t' || c == '\n') {
                if (inWord) words.add(word.toString());
                word.setLength(0);
                inWord = false;
                i++;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) words.add(word.toString());
        return words;
    }
}
