package org.jbhyve.testguests;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The test guests built by this module: freestanding x86-64 ELF executables, on the
 * classpath as {@code guests/<name>.elf}. See this module's README for the boot contract
 * they expect and what each one does and prints. All of them are ELF64 images for the
 * 64-bit boot contract except {@value #MULTIBOOT_GUEST} and {@value #TOUCH_MULTIBOOT_GUEST},
 * ELF32 Multiboot kernels.
 *
 * <pre>{@code
 * Path elf = TestGuests.path("serial");
 * }</pre>
 */
public final class TestGuests {

    /** Every byte the guest writes here with {@code outb} is console output. */
    public static final int SERIAL_PORT = 0x3f8;
    /** The guest writes one status byte here when it is done: 0 = success. */
    public static final int EXIT_PORT = 0xf4;
    /** The {@code irq} guest writes here to ask the host to pulse {@link #IRQ_LINE}. */
    public static final int IRQ_REQUEST_PORT = 0x501;
    /** The IRQ line (GSI, IOAPIC pin) the {@code irq} guest expects pulses on. */
    public static final int IRQ_LINE = 10;
    /** Base of the {@code mmio} guest's device window (guest-physical, not RAM). */
    public static final long MMIO_BASE = 0xd000_0000L;
    /** Guest-physical address every guest is linked and loaded at. */
    public static final long LOAD_ADDRESS = 0x10_0000L;
    /**
     * The one guest that is not an ELF64 image for the 64-bit boot contract: an ELF32 i386
     * Multiboot (v1) kernel, to be loaded by a Multiboot loader.
     */
    public static final String MULTIBOOT_GUEST = "multiboot";
    /**
     * The Multiboot build of the {@code touch} guest (ci/bench-snapshot's guest): like
     * {@link #MULTIBOOT_GUEST}, an ELF32 i386 Multiboot kernel, not an ELF64 image. It takes
     * {@code touch=<MiB>} on its command line.
     */
    public static final String TOUCH_MULTIBOOT_GUEST = "touch-mb";
    /** Guest-physical address of the first page {@code touch} and {@code touch-mb} write (16 MiB). */
    public static final long TOUCH_BASE = 16L << 20;
    /** MiB that {@code touch} (always) and {@code touch-mb} (without {@code touch=<MiB>}) write. */
    public static final int TOUCH_DEFAULT_MIB = 256;
    /** Where the {@code pcienum} guest expects PCI ECAM (bus 0 only). */
    public static final long PCI_ECAM_BASE = 0xe000_0000L;
    /** The ISA IRQ (IOAPIC pin) of COM1, used by {@code uartirq} and {@code demo}. */
    public static final int COM1_IRQ = 4;
    /**
     * The {@code demo} guest's tick counter: a little-endian 64-bit value at this
     * guest-physical address, incremented by its once-a-second timer interrupt only.
     */
    public static final long DEMO_TICKS_ADDRESS = 0x11_0000L;
    /** The 8 bytes {@code "jbhdemo\0"} at this address identify the {@code demo} guest's state. */
    public static final long DEMO_MAGIC_ADDRESS = DEMO_TICKS_ADDRESS + 8;
    /** The magic at {@link #DEMO_MAGIC_ADDRESS}, without its terminating NUL. */
    public static final String DEMO_MAGIC = "jbhdemo";

    /** The sector (512-byte units) the {@code virtioblk} guest writes, reads back and leaves in the image. */
    public static final int VIRTIOBLK_SECTOR = 2;

    /** Byte {@code i} (0-511) of the pattern the {@code virtioblk} guest writes: {@code i * 3 + 1}, truncated. */
    public static byte virtioBlkPattern(int i) {
        return (byte) (i * 3 + 1);
    }

    /** Where the {@code dirty} guest's pages start (16 MiB): pass n stores n in each page's first and last word. */
    public static final long DIRTY_BASE = 16L << 20;

    /** How many pages the {@code dirty} guest rewrites on every pass (4 MiB). */
    public static final int DIRTY_PAGES = 1024;

    /** How many sectors the {@code blkloop} guest cycles through: write {@code k} goes to {@link #blkLoopSector}. */
    public static final int BLKLOOP_SECTORS = 64;

    /** The sector (512-byte units) the {@code blkloop} guest's write number {@code k} goes to: {@code k mod 64 + 1}. */
    public static long blkLoopSector(long k) {
        return Long.remainderUnsigned(k, BLKLOOP_SECTORS) + 1;
    }

    /** The 512 bytes the {@code blkloop} guest's write {@code k} puts there: 64 little-endian 64-bit words, each {@code k}. */
    public static byte[] blkLoopPattern(long k) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(512).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) b.putLong(k);
        return b.array();
    }

    static final String RESOURCE_DIR = "guests/";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");
    private static final Map<String, Path> EXTRACTED = new ConcurrentHashMap<>();

    private TestGuests() {}

    /**
     * Returns a filesystem path to the ELF file of guest {@code name}, e.g. {@code "serial"}.
     * When the classes come from a directory this is the file in it; when they come from a
     * jar the guest is copied once to a temporary file that is deleted when the JVM exits.
     *
     * @throws IllegalArgumentException if there is no such guest
     */
    public static Path path(String name) {
        URL url = NAME.matcher(name).matches()
                ? TestGuests.class.getClassLoader().getResource(RESOURCE_DIR + name + ".elf")
                : null;
        if (url == null) {
            throw new IllegalArgumentException(
                    "no test guest named '" + name + "'; known guests: " + String.join(", ", names()));
        }
        return EXTRACTED.computeIfAbsent(name, n -> resolve(url, n));
    }

    /** The names of all guests this module built, in build order. */
    public static List<String> names() {
        URL index = TestGuests.class.getClassLoader().getResource(RESOURCE_DIR + "index.txt");
        if (index == null) {
            throw new IllegalStateException("guests/index.txt is missing from the classpath: "
                    + "the test-guests module was not built with make");
        }
        try (InputStream in = index.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + index, e);
        }
    }

    /** A {@code file:} URL as its path; anything else (a jar entry) copied to a temp file. */
    static Path resolve(URL url, String name) {
        if ("file".equals(url.getProtocol())) {
            try {
                return Path.of(url.toURI());
            } catch (URISyntaxException | IllegalArgumentException e) {
                // fall through and copy it out
            }
        }
        try (InputStream in = url.openStream()) {
            Path tmp = Files.createTempFile("jbhyve-guest-" + name + "-", ".elf");
            tmp.toFile().deleteOnExit();
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return tmp;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract test guest '" + name + "' from " + url, e);
        }
    }
}
