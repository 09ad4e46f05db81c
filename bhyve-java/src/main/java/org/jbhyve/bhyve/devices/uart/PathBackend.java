package org.jbhyve.bhyve.devices.uart;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A serial port on a host path ({@code lpc.comN.path=PATH}).
 *
 * <ul>
 * <li>A tty or other character device or FIFO ({@code /dev/nmdm0A}, a pty's {@code /dev/pts/N}) is opened
 *     for reading and writing; a tty is put into raw mode, as bhyve does. The open happens on the
 *     backend's thread, because opening a tty can wait for the other side (nmdm waits for carrier)
 *     and bhyve must not hang at startup; {@link #open} still waits briefly so that a path that
 *     cannot be opened at all is reported as a configuration error.</li>
 * <li>A regular file, or a path outside {@code /dev} that does not exist yet, receives the
 *     guest's output, appended (so the log survives bhyve's restart-on-reboot); there is no
 *     input. bhyve itself accepts only ttys; logging to a file is a jbhyve extension. A new file
 *     must be named with a directory part ({@code ./com1.log}), so that a mistyped {@code stdio}
 *     is an error rather than a file in the current directory.</li>
 * </ul>
 * A path under {@code /dev} that does not exist is still opened as a device: FreeBSD creates
 * nmdm pairs on first open.
 * A block device is refused: it is a disk, whose first sectors the guest's output would overwrite.
 */
public final class PathBackend implements SerialBackend {
    /** How long {@link #open} waits for a device to open before letting it finish in the background. */
    static final long OPEN_WAIT_MILLIS = 500;

    private final Path path;
    private final boolean device;
    private final Consumer<String> log;
    private final CompletableFuture<FileChannel> output = new CompletableFuture<>();
    private final CompletableFuture<FileChannel> input = new CompletableFuture<>();
    private final OutputPump pump;
    private volatile boolean closed;
    /** The opener gave up waiting for the device to open: a later failure is logged by the opening thread. */
    private volatile boolean openReportedInBackground;

    /**
     * Opens {@code path} as described in the class comment.
     *
     * @throws IOException if it cannot be opened (missing directory, permission, a directory)
     */
    public static PathBackend open(Path path, Consumer<String> log) throws IOException {
        if (Files.isDirectory(path)) throw new IOException("is a directory");
        if (isBlockDevice(path)) {
            // bhyve takes only ttys. A disk (a typo for /dev/nmdm0A, or the wrong -l) would get the guest's
            // console output written over its first sectors.
            throw new IOException("is a block device (a disk), not a terminal: the guest's output would overwrite it");
        }
        boolean exists = Files.exists(path);
        if (!exists && path.getParent() == null) {
            // A bare word is more likely a mistyped "stdio" than a log file wanted in the cwd.
            throw new IOException("no such device or file (to log to a new file, give it with a directory,"
                    + " such as ./" + path + ")");
        }
        boolean device = exists ? !Files.isRegularFile(path) : path.toAbsolutePath().startsWith("/dev");
        PathBackend b = new PathBackend(path, device, log);
        if (device) {
            b.openDeviceInBackground();
            try {
                b.input.get(OPEN_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // From now on a failure of the open is the background thread's to report; one that came in
                // just now is still this caller's, as an error rather than a log line.
                b.openReportedInBackground = true;
                if (!b.input.isCompletedExceptionally()) {
                    log.accept("waiting for " + path + " to open (the other side is not there yet)");
                    return b;
                }
                b.close();
                throw asIOException(path, b.input.exceptionNow());
            } catch (ExecutionException e) {
                b.close();
                throw asIOException(path, e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                b.close();
                throw new IOException("interrupted while opening");
            }
        } else {
            try {
                b.output.complete(FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND));
            } catch (IOException e) {
                b.close();
                throw asIOException(path, e);
            }
        }
        return b;
    }

    /** Whether {@code path} is, or links to, a block device. */
    private static boolean isBlockDevice(Path path) {
        try {
            return Files.getAttribute(path, "unix:mode") instanceof Integer m && (m & 0170000) == 0060000;
        } catch (IOException | RuntimeException e) {
            return false; // missing, or not a POSIX file system: the open says what is wrong
        }
    }

    private PathBackend(Path path, boolean device, Consumer<String> log) {
        this.path = path;
        this.device = device;
        this.log = log;
        this.pump = new OutputPump("serial-out " + path, OutputPump.DEFAULT_CAPACITY, this::writeOut, log);
    }

    private static IOException asIOException(Path path, Throwable t) {
        return switch (t) {
            case NoSuchFileException e -> new IOException("no such file or directory");
            case AccessDeniedException e -> new IOException("permission denied");
            case IOException e -> new IOException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
            default -> new IOException("cannot open " + path + ": " + t, t);
        };
    }

    /** Opens both directions on a backend thread; the input side first, then raw mode, then output. */
    private void openDeviceInBackground() {
        Thread.ofPlatform().name("serial-open " + path).daemon().start(() -> {
            FileChannel in = null;
            try {
                // Separate channels: a FileChannel serializes reads and writes on one lock, and a
                // read blocked waiting for input would hold back every write.
                in = FileChannel.open(path, StandardOpenOption.READ);
                Stty.makeRaw(new Stty.Target(path.toFile())); // fails harmlessly for a non-tty device
                FileChannel out = FileChannel.open(path, StandardOpenOption.WRITE);
                input.complete(in);
                output.complete(out);
            } catch (Throwable t) {
                closeQuietly(in);
                input.completeExceptionally(t);
                output.completeExceptionally(t);
                // Reported here only once the opener stopped waiting; before that it reports it itself.
                if (!closed && openReportedInBackground) log.accept("cannot open " + path + ": " + asIOException(path, t).getMessage());
            }
            if (closed) {
                closeChannels();
            }
        });
    }

    private void writeOut(byte[] b, int off, int len) throws IOException {
        FileChannel ch;
        try {
            ch = output.get();
        } catch (ExecutionException e) {
            throw new IOException("the device never opened", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClosedChannelException();
        }
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        while (buf.hasRemaining()) ch.write(buf);
    }

    @Override
    public void start(SerialBackend.Receiver receiver) {
        if (!device) return; // a log file has no input
        input.thenAccept(ch -> Thread.ofPlatform().name("serial-in " + path).daemon().start(() -> {
            try {
                // A channel stream: closing the channel wakes a thread blocked in read.
                InputPump.forward(Channels.newInputStream(ch), receiver, () -> closed);
            } catch (IOException e) {
                if (!closed) log.accept("reading " + path + " failed (" + e.getMessage() + "); no more serial input");
            }
        }));
    }

    @Override
    public void write(byte b) {
        pump.offer(b);
    }

    /** Waits until a device has been opened in both directions (for tests); false on timeout or failure. */
    boolean awaitOpened(long timeoutMillis) throws InterruptedException {
        try {
            output.get(timeoutMillis, TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /** Waits until queued output has been written (for tests and orderly shutdown). */
    boolean awaitDrained(long timeoutMillis) throws InterruptedException {
        return pump.awaitDrained(timeoutMillis);
    }

    public Path path() { return path; }

    /** True for a device opened read/write, false for a log file. */
    public boolean isDevice() { return device; }

    @Override
    public String describe() {
        return (device ? "device " : "file ") + path;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (output.isDone() && !output.isCompletedExceptionally()) {
            try {
                pump.awaitDrained(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        pump.close();
        closeChannels();
    }

    private void closeChannels() {
        input.thenAccept(PathBackend::closeQuietly);
        output.thenAccept(PathBackend::closeQuietly);
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing on the way out; nothing useful to do with the error
        }
    }
}
