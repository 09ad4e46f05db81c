package org.jbhyve.bhyvectl;

import org.jbhyve.snapshot.format.ReadOptions;
import org.jbhyve.snapshot.format.SnapshotDiff;
import org.jbhyve.snapshot.format.SnapshotFormatException;
import org.jbhyve.snapshot.format.SnapshotInspector;
import org.jbhyve.snapshot.format.SnapshotReader;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** {@code --inspect} and {@code --verify}: jbhyve snapshot files, read with the format library; no VM involved. */
final class SnapshotTools {
    private SnapshotTools() {}

    /** Prints the snapshot's description; 0, or 1 when it cannot be opened or is not valid. */
    static int inspect(Path file, boolean json, boolean fields, PrintStream out, PrintStream err) {
        // A file with damaged chunks is still shown (they are marked DAMAGED), and each is named on stderr.
        // Skipped-chunk warnings are part of the listing itself, so they go nowhere else.
        try (SnapshotReader r = SnapshotReader.open(file, ReadOptions.inspect().withShowDamage(true).withWarnings(w -> { }))) {
            out.print(json ? SnapshotInspector.json(r, fields) : SnapshotInspector.text(r, fields));
            for (String d : r.damage()) err.println("bhyvectl: " + file + ": " + d + " (see --verify)");
            return r.damage().isEmpty() ? 0 : 1;
        } catch (IOException e) {
            err.println("bhyvectl: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            err.println("bhyvectl: cannot read snapshot " + file + ": " + e);
            return 1;
        }
    }

    /**
     * Prints how {@code after} differs from {@code before} (machine, config, chunks field by field, RAM by
     * block CRC); 0 when nothing differs, 1 when something does, 2 when a file cannot be read (as cmp(1)
     * and diff(1) do). Damaged chunks are shown as differences, not refused.
     */
    static int diff(Path before, Path after, boolean json, PrintStream out, PrintStream err) {
        ReadOptions options = ReadOptions.inspect().withShowDamage(true).withWarnings(w -> { });
        try (SnapshotReader a = SnapshotReader.open(before, options); SnapshotReader b = SnapshotReader.open(after, options)) {
            List<SnapshotDiff.Change> changes = SnapshotDiff.compare(a, b);
            out.print(json ? SnapshotDiff.json(a, b, changes) : SnapshotDiff.text(a, b, changes));
            return changes.isEmpty() ? 0 : 1;
        } catch (IOException e) {
            err.println("bhyvectl: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("bhyvectl: cannot compare snapshots " + before + " and " + after + ": " + e);
            return 2;
        }
    }

    /**
     * Checks header, manifest, every chunk and every RAM block against their checksums. Prints the verdict
     * on stdout: "FILE: good ..." (0) or "FILE: bad: the first problem" (1). A file that cannot be read at
     * all is an error on stderr (1).
     */
    static int verify(Path file, PrintStream out, PrintStream err) {
        String shown = file.toAbsolutePath().toString();
        try (SnapshotReader r = SnapshotReader.open(file,
                ReadOptions.inspect().withWarnings(w -> err.println("bhyvectl: warning: " + w)))) {
            r.verify();
            int regions = r.ramRegions().size();
            out.println(shown + ": good: header, manifest, " + r.chunks().size()
                    + (r.chunks().size() == 1 ? " chunk" : " chunks") + " and " + regions
                    + (regions == 1 ? " RAM region" : " RAM regions") + " match their checksums");
            return 0;
        } catch (SnapshotFormatException e) {
            out.println(shown + ": bad: " + (e.problem() != null ? e.problem() : e.getMessage()));
            return 1;
        } catch (IOException e) {
            err.println("bhyvectl: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            out.println(shown + ": bad: " + e);
            return 1;
        }
    }
}
