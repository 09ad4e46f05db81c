package org.jbhyve.bhyve.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;

/**
 * {@code -k file}: bhyverun.c bhyve_parse_simple_config_file. Each line is {@code name=value} with a
 * non-empty value, applied as {@code -o} would; lines that are empty or start with '#' are skipped.
 * There is no trimming: a space before the name or around '=' is part of the name or value, as in
 * bhyve. {@code %(name)} references stay in the values, for {@link ConfigTree#get} to expand.
 *
 * <p>Unlike bhyve, a line ending in a carriage return is refused: bhyve would keep the '\r' in the
 * value, which is never what the author of a DOS-format file meant. So is a leading byte order mark,
 * which bhyve would keep in the first variable's name.
 */
final class SimpleConfigFile {
    private SimpleConfigFile() {}

    /** Config files are a few lines; anything this large is not one. */
    static final int MAX_BYTES = 16 << 20;

    static void apply(ConfigTree config, String file) {
        String text = read(file);
        if (text.startsWith("\uFEFF")) {
            // bhyve would make the mark part of the first variable's name, so the first line would set nothing used.
            throw new ConfigException(file + " starts with a byte order mark (save the file as UTF-8 without a BOM)");
        }
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int lineNo = i + 1;
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (line.endsWith("\r")) {
                throw new ConfigException(file + " line " + lineNo + ": '" + line.strip()
                        + "' ends in a carriage return (save the file with Unix line endings)");
            }
            int eq = line.indexOf('=');
            if (eq < 0 || eq == line.length() - 1) {
                throw new ConfigException(file + " line " + lineNo + ": invalid config option '" + line
                        + "' (each line must be name=value with a value, or start with #)");
            }
            try {
                config.set(line.substring(0, eq), line.substring(eq + 1));
            } catch (ConfigException e) {
                throw new ConfigException(file + " line " + lineNo + ": " + e.getMessage());
            }
        }
    }

    private static String read(String file) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new ConfigException("cannot read config file " + file + ": no such file (check the path)");
        } catch (AccessDeniedException e) {
            throw new ConfigException("cannot read config file " + file + ": permission denied (check its permissions)");
        } catch (IOException | InvalidPathException e) {
            String why = e instanceof java.nio.file.FileSystemException f && f.getReason() != null
                    ? f.getReason().toLowerCase(java.util.Locale.ROOT)
                    : e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage();
            throw new ConfigException("cannot read config file " + file + ": " + why + " (check the path)");
        }
        if (bytes.length > MAX_BYTES) {
            throw new ConfigException("config file " + file + " is larger than " + (MAX_BYTES >> 20) + " MiB; is it the right file?");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException("config file " + file + " is not UTF-8 text (is it the right file?)");
        }
    }
}
