package org.jbhyve.bhyve.boot;

import org.jbhyve.bhyve.device.MmioHandler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The UEFI variable store below the boot ROM, emulated as bhyve's bootrom.c does: an MMIO range
 * backed by the VARS file mapped shared (so a variable the firmware writes is in the file at once,
 * as with bhyve, and survives a crash of jbhyve), speaking just enough of the CFI flash command set
 * for EDK II's flash driver to find a writable, persistent store: Write Byte (0x10) stores the next
 * write, Clear Status (0x50) and Read Status (0x70) make the next read return 0, anything else is
 * remembered as the current command and reads return the array. Erase commands are not emulated
 * (bhyve does not either); EDK II rewrites the bytes itself.
 *
 * <p>It is a plain RAM slot in neither bhyve nor here because EDK II probes for flash by writing a
 * command and reading back: RAM would echo the command and be taken for volatile memory.
 * Called on vCPU threads; the guest is hostile, so an access that runs past the store reads as
 * all ones and writes nothing.
 */
final class FlashVars implements MmioHandler, AutoCloseable {
    static final int CMD_WRITE_BYTE = 0x10, CMD_CLEAR_STATUS = 0x50, CMD_READ_STATUS = 0x70, CMD_READ_ARRAY = 0xff;

    private final Path path;
    private final long gpa;
    private final long size;
    private final FileChannel channel;
    private final Arena arena;
    private final MemorySegment data;
    private int command = CMD_READ_ARRAY;
    private boolean closed;

    private FlashVars(Path path, long gpa, FileChannel channel, Arena arena, MemorySegment data) {
        this.path = path;
        this.gpa = gpa;
        this.size = data.byteSize();
        this.channel = channel;
        this.arena = arena;
        this.data = data;
    }

    /** Opens and maps {@code path} read/write for the guest range starting at {@code gpa}. */
    static FlashVars open(Path path, long size, long gpa) {
        FileChannel ch = null;
        Arena arena = Arena.ofShared();
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            if (ch.size() != size) {
                throw ImageFile.bad("boot ROM variable store", path, "the file changed size while it was opened");
            }
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
            return new FlashVars(path, gpa, ch, arena, seg);
        } catch (IOException e) {
            arena.close();
            closeQuietly(ch);
            String hint = Files.isWritable(path) ? "" : " (it must be writable: the firmware saves its variables there)";
            throw ImageFile.bad("boot ROM variable store", path, ImageFile.reason(e) + hint);
        } catch (RuntimeException e) {
            arena.close();
            closeQuietly(ch);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // Opening already failed; that error is the one to report.
        }
    }

    /** The CFI command the store is in (read array, write byte, status): saved with a snapshot. */
    synchronized int command() { return command; }

    synchronized void command(int c) { command = c & 0xff; }

    long gpa() { return gpa; }

    long size() { return size; }

    Path path() { return path; }

    @Override
    public synchronized long read(long address, int width) {
        long off = address - gpa;
        if (closed || !inside(off, width)) return width >= 8 ? -1L : (1L << (width * 8)) - 1;
        if (command == CMD_CLEAR_STATUS || command == CMD_READ_STATUS) {
            command = CMD_READ_ARRAY;
            return 0; // status: ready, no errors
        }
        long v = 0;
        for (int i = 0; i < width; i++) v |= (data.get(ValueLayout.JAVA_BYTE, off + i) & 0xffL) << (8 * i);
        return v;
    }

    @Override
    public synchronized void write(long address, int width, long value) {
        long off = address - gpa;
        if (closed || !inside(off, width)) return;
        if (command == CMD_WRITE_BYTE) {
            for (int i = 0; i < width; i++) data.set(ValueLayout.JAVA_BYTE, off + i, (byte) (value >>> (8 * i)));
            command = CMD_READ_ARRAY;
        } else {
            command = (int) (value & 0xff);
        }
    }

    private boolean inside(long off, int width) {
        return width >= 1 && width <= 8 && off >= 0 && off + width <= size;
    }

    /**
     * Flushes the store to the file and unmaps it; later guest accesses read all ones. Fails with
     * {@link UncheckedIOException} naming the file when the data cannot be written back.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            data.force();
            channel.force(true);
        } catch (IOException | UncheckedIOException e) {
            IOException cause = e instanceof IOException io ? io : ((UncheckedIOException) e).getCause();
            throw new UncheckedIOException("cannot save the UEFI variables to " + path + ": " + ImageFile.reason(cause)
                    + " (firmware settings changed in this run may be lost)", cause);
        } finally {
            arena.close();
            closeQuietly(channel);
        }
    }
}
