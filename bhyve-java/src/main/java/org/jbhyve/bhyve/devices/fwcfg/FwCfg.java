package org.jbhyve.bhyve.devices.fwcfg;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.device.IoHandler;
import org.jbhyve.bhyve.device.Lifecycle;
import org.jbhyve.bhyve.device.MemoryMap;
import org.jbhyve.bhyve.device.Platform;
import org.jbhyve.bhyve.device.Snapshottable;
import org.jbhyve.bhyve.devices.StateReader;
import org.jbhyve.snapshot.format.SnapshotFormatException;
import org.jbhyve.snapshot.format.StateRecord;
import org.jbhyve.vmm.GuestMemory;
import org.jbhyve.vmm.GuestMemoryException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * QEMU's firmware configuration device (docs/specs/fw_cfg.rst), the x86 I/O port flavour:
 * selector at 0x510 (16-bit, little endian), data at 0x511 (byte reads), and the DMA address
 * register at 0x514 (64-bit big endian, written as two 32-bit halves, high first; the write of the
 * low half at 0x518 starts the transfer). Reading the DMA register returns the signature
 * {@code "QEMU CFG"}.
 *
 * <p>Items: SIGNATURE ("QEMU"), ID (traditional interface and DMA), and what {@link #fromConfig}
 * adds: UUID, RAM_SIZE, NB_CPUS, MAX_CPUS; the FILE_DIR directory of named files (big-endian count,
 * then per file size, selector, reserved, and a NUL-terminated name in 56 bytes, sorted by name),
 * whose selectors start at 0x20 in the order files were added, as bhyve assigns them.
 *
 * <p>DMA descriptors ({@code control, length, address}, big endian) come from guest memory and
 * are trusted for nothing: every guest address is checked through {@link GuestMemory}, and one
 * outside RAM ends the transfer with the ERROR bit, as does a write to a read-only item or one that
 * would not fit the item (QEMU drops such writes entirely). Reads past an item's end deliver zeros.
 * Legacy writes to the data port are ignored, as QEMU has done since 2.4.
 *
 * <p>Snapshots (chunk {@code dev.fw_cfg}, version 1) hold the guest's position in the interface:
 * {@code selector} (u16), {@code offset} (u32, into the selected item), {@code dma_address_high}
 * (u32, the half-written DMA address). Item contents come from the VM config and are rebuilt, not
 * saved; {@code items_digest} (bytes, SHA-256 over every item's key, size and writability and the
 * contents of the read-only ones, the file directory included) makes a restore into a VM whose items
 * differ fail instead of handing the guest the rest of a different file. The exception is what the
 * guest wrote itself: {@code guest_written} lists each guest-writable item ({@code key} u16,
 * {@code data} bytes).
 */
public final class FwCfg implements IoHandler, Lifecycle, Snapshottable {
    // Well-known selector keys.
    public static final int SIGNATURE = 0x00, ID = 0x01, UUID_KEY = 0x02, RAM_SIZE = 0x03, NB_CPUS = 0x05,
            MAX_CPUS = 0x0f, FILE_DIR = 0x19, FILE_FIRST = 0x20;
    /** Selector bit for architecture-specific items (0x8000-0xbfff). */
    public static final int ARCH_LOCAL = 0x8000;
    /** The legacy "write" selector bit; ignored, as QEMU ignores it. */
    static final int WRITE_BIT = 0x4000;
    static final int INDEX_MASK = 0x3fff;
    /** File names are NUL-terminated in 56 bytes. */
    public static final int MAX_NAME_BYTES = 56;

    // DMA control bits.
    static final int DMA_ERROR = 0x01, DMA_READ = 0x02, DMA_SKIP = 0x04, DMA_SELECT = 0x08, DMA_WRITE = 0x10;
    /** "QEMU CFG", what reading the DMA address register returns. */
    static final long DMA_SIGNATURE = 0x51454d5520434647L;
    /** ID bits: the traditional interface, the DMA interface. */
    static final int ID_TRADITIONAL = 0x01, ID_DMA = 0x02;

    public static final int SELECTOR_PORT = MemoryMap.FW_CFG_PORT, DATA_PORT = MemoryMap.FW_CFG_PORT + 1,
            DMA_PORT = MemoryMap.FW_CFG_DMA_PORT;

    private static final String NAME = "fw_cfg";

    /** Config node for the user files that {@code -f} adds (see {@link #addUserFileOption}). */
    public static final String USER_FILES_NODE = "fwcfg";

    private static final class Item {
        byte[] data;
        final boolean guestWritable;

        Item(byte[] data, boolean guestWritable) {
            this.data = data;
            this.guestWritable = guestWritable;
        }
    }

    private record FileEntry(String name, int selector) {}

    private final Platform platform;
    private final Map<Integer, Item> items = new HashMap<>();
    private final List<FileEntry> files = new ArrayList<>();
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    private int selector;
    private long offset;
    private int dmaAddressHigh;

    /** Claims ports 0x510-0x511 and 0x514-0x51b; holds the signature, ID and an empty directory. */
    public FwCfg(Platform platform) {
        this.platform = platform;
        items.put(SIGNATURE, new Item("QEMU".getBytes(StandardCharsets.US_ASCII), false));
        items.put(ID, new Item(le32(ID_TRADITIONAL | ID_DMA), false));
        items.put(FILE_DIR, new Item(directoryBytes(), false));
        platform.io().register(SELECTOR_PORT, 2, NAME, this);
        platform.io().register(DMA_PORT, 8, NAME + " dma", this);
    }

    /**
     * The device with the standard items for this VM and the user files configured under
     * {@code fwcfg.<N>} ({@code name} plus exactly one of {@code string} or {@code file}).
     *
     * @param uuid the VM's UUID for item 0x02, or null to leave it out
     * @throws ConfigException for a user file that is malformed or cannot be read
     */
    public static FwCfg fromConfig(ConfigTree cfg, Platform platform, int cpus, long ramBytes, UUID uuid) {
        FwCfg f = new FwCfg(platform);
        f.addItem(NB_CPUS, le16(cpus));
        // No CPU hotplug: the maximum is the count, as bhyve reports it.
        f.addItem(MAX_CPUS, le16(cpus));
        f.addItem(RAM_SIZE, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(ramBytes).array());
        if (uuid != null) {
            f.addItem(UUID_KEY, ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                    .putLong(uuid.getLeastSignificantBits()).array());
        }
        for (String child : cfg.children(USER_FILES_NODE)) {
            String node = USER_FILES_NODE + "." + child;
            String name = cfg.get(node + ".name").orElseThrow(() -> new ConfigException(
                    node + " has no name (set " + node + ".name=opt/NAME or use -f NAME,string=VALUE)"));
            f.addConfiguredFile(cfg, node, name);
        }
        return f;
    }

    private void addConfiguredFile(ConfigTree cfg, String node, String name) {
        Optional<String> string = cfg.get(node + ".string");
        Optional<String> file = cfg.get(node + ".file");
        if (string.isPresent() == file.isPresent()) {
            throw new ConfigException(node + " (" + name + ") needs exactly one of " + node + ".string and "
                    + node + ".file");
        }
        String problem = nameProblem(name);
        if (problem != null) throw new ConfigException(node + ".name=" + name + ": " + problem);
        byte[] data;
        if (string.isPresent()) {
            // bhyve stores the string with its terminating NUL.
            byte[] s = string.get().getBytes(StandardCharsets.UTF_8);
            data = new byte[s.length + 1];
            System.arraycopy(s, 0, data, 0, s.length);
        } else {
            Path path = Path.of(file.get());
            try {
                if (Files.size(path) > Integer.MAX_VALUE - 8) {
                    throw new ConfigException(node + ".file=" + path + ": larger than 2 GiB, too big for fw_cfg");
                }
                data = Files.readAllBytes(path);
            } catch (IOException e) {
                throw new ConfigException(node + ".file=" + path + ": cannot read it (" + e
                        + "); give a readable file");
            }
        }
        if (fileSelector(name).isPresent()) {
            throw new ConfigException(node + ".name=" + name + ": a fw_cfg file of that name already exists");
        }
        addFile(name, data);
    }

    /**
     * Parses bhyve's {@code -f [name=]NAME,string=VALUE} or {@code -f [name=]NAME,file=PATH} into
     * the next {@code fwcfg.<N>} node, where {@link #fromConfig} finds it. (bhyve keeps these
     * outside its config tree; jbhyve records them so a saved configuration is complete.)
     *
     * @throws ConfigException for a malformed option
     */
    public static void addUserFileOption(ConfigTree cfg, String option) {
        String rest = option.startsWith("name=") ? option.substring("name=".length()) : option;
        int comma = rest.indexOf(',');
        if (comma <= 0) {
            throw new ConfigException("-f " + option + ": expected [name=]NAME,string=VALUE or [name=]NAME,file=PATH");
        }
        String name = rest.substring(0, comma);
        String value = rest.substring(comma + 1);
        String problem = nameProblem(name);
        if (problem != null) throw new ConfigException("-f " + option + ": " + problem);
        String kind;
        if (value.startsWith("string=")) {
            kind = "string";
            value = value.substring("string=".length());
        } else if (value.startsWith("file=")) {
            kind = "file";
            value = value.substring("file=".length());
        } else {
            throw new ConfigException("-f " + option + ": expected string=VALUE or file=PATH after the name");
        }
        String node = USER_FILES_NODE + "." + cfg.children(USER_FILES_NODE).size();
        cfg.set(node + ".name", name);
        cfg.set(node + "." + kind, value);
    }

    /** Why {@code name} cannot be a fw_cfg file name, or null if it can. */
    static String nameProblem(String name) {
        if (name.isEmpty()) return "the fw_cfg file name is empty";
        if (name.indexOf('\0') >= 0) return "the fw_cfg file name contains a NUL byte";
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes >= MAX_NAME_BYTES) {
            return "the fw_cfg file name is " + bytes + " bytes; at most " + (MAX_NAME_BYTES - 1) + " fit";
        }
        return null;
    }

    // ---- items the VMM adds ----

    /**
     * Adds a numbered item: a generic key below 0x20 other than FILE_DIR, or an
     * architecture-specific one (0x8000-0xbfff).
     */
    public synchronized void addItem(int key, byte[] data) {
        boolean arch = (key & ARCH_LOCAL) != 0;
        int index = key & ~ARCH_LOCAL;
        if (key < 0 || key > 0xffff || index > INDEX_MASK || (!arch && (index >= FILE_FIRST || index == FILE_DIR))) {
            throw new IllegalArgumentException("fw_cfg key 0x" + Integer.toHexString(key)
                    + " is not a numbered item key (files go through addFile)");
        }
        if (items.containsKey(key)) {
            throw new IllegalArgumentException("fw_cfg key 0x" + Integer.toHexString(key) + " already exists");
        }
        items.put(key, new Item(data.clone(), false));
    }

    /** Adds a named file the guest can only read. */
    public void addFile(String name, byte[] data) {
        addFile(name, data, false);
    }

    /**
     * Adds a named file; a {@code guestWritable} one accepts DMA writes within its size (QEMU's
     * writable files, such as a guest-reported address).
     */
    public synchronized void addFile(String name, byte[] data, boolean guestWritable) {
        String problem = nameProblem(name);
        if (problem != null) throw new IllegalArgumentException(problem + ": '" + name + "'");
        if (fileSelector(name).isPresent()) throw new IllegalArgumentException("fw_cfg file '" + name + "' exists");
        int selector = FILE_FIRST + files.size();
        if (selector > INDEX_MASK) throw new IllegalStateException("fw_cfg has no selector left for '" + name + "'");
        items.put(selector, new Item(data.clone(), guestWritable));
        files.add(new FileEntry(name, selector));
        items.get(FILE_DIR).data = directoryBytes();
    }

    /** The selector of file {@code name}. */
    public synchronized Optional<Integer> fileSelector(String name) {
        return files.stream().filter(f -> f.name().equals(name)).map(FileEntry::selector).findFirst();
    }

    /** The current contents of file {@code name} (a writable file shows what the guest wrote). */
    public synchronized Optional<byte[]> fileContents(String name) {
        return fileSelector(name).map(s -> items.get(s).data.clone());
    }

    private byte[] directoryBytes() {
        List<FileEntry> sorted = new ArrayList<>(files);
        // QEMU and bhyve sort the directory by strcmp of the names: unsigned byte order.
        sorted.sort(Comparator.comparing(f -> f.name().getBytes(StandardCharsets.UTF_8), java.util.Arrays::compareUnsigned));
        ByteBuffer b = ByteBuffer.allocate(4 + 64 * sorted.size()); // big endian by default
        b.putInt(sorted.size());
        for (FileEntry f : sorted) {
            b.putInt(items.get(f.selector()).data.length);
            b.putShort((short) f.selector());
            b.putShort((short) 0);
            byte[] name = f.name().getBytes(StandardCharsets.UTF_8);
            b.put(name);
            b.put(new byte[MAX_NAME_BYTES - name.length]);
        }
        return b.array();
    }

    // ---- guest access ----

    @Override
    public synchronized int in(int port, int size) {
        if (port == SELECTOR_PORT && size == 2) return selector;
        if (port == DATA_PORT && size == 1) return readDataByte();
        if ((port == DMA_PORT || port == DMA_PORT + 4) && size == 4) {
            // The register reads as the big-endian signature; an x86 IN returns it byte-swapped.
            int half = port == DMA_PORT ? (int) (DMA_SIGNATURE >>> 32) : (int) DMA_SIGNATURE;
            return Integer.reverseBytes(half);
        }
        reportOnce("in-" + port + "-" + size, size + "-byte read of fw_cfg port 0x" + Integer.toHexString(port)
                + " is not part of the interface; reads as all ones");
        return size == 4 ? -1 : (1 << (8 * size)) - 1;
    }

    @Override
    public synchronized void out(int port, int size, int value) {
        if (port == SELECTOR_PORT && size == 2) {
            select(value & 0xffff);
        } else if (port == DATA_PORT) {
            reportOnce("data-write", "guest wrote the fw_cfg data port; ignored (writes go through DMA)");
        } else if (port == DMA_PORT && size == 4) {
            dmaAddressHigh = Integer.reverseBytes(value);
        } else if (port == DMA_PORT + 4 && size == 4) {
            long address = (long) dmaAddressHigh << 32 | Integer.toUnsignedLong(Integer.reverseBytes(value));
            dmaAddressHigh = 0; // the register reads as 0 again after an operation
            runDma(address);
        } else {
            reportOnce("out-" + port + "-" + size, size + "-byte write of fw_cfg port 0x" + Integer.toHexString(port)
                    + " is not part of the interface; ignored");
        }
    }

    private void select(int key) {
        selector = key;
        offset = 0;
    }

    private Item selectedItem() {
        return items.get(selector & ~WRITE_BIT);
    }

    private int readDataByte() {
        Item item = selectedItem();
        if (item == null || offset >= item.data.length) return 0; // past the end reads as 0
        return item.data[(int) offset++] & 0xff;
    }

    /** One DMA operation for the descriptor at {@code address}. */
    private void runDma(long descriptor) {
        GuestMemory mem = platform.memory();
        int control;
        long length, address;
        // isRam first: every guest-supplied address is checked before it is touched.
        if (!mem.isRam(descriptor, 16)) {
            reportOnce("dma-descriptor", "fw_cfg DMA descriptor at 0x" + Long.toHexString(descriptor)
                    + " is not in guest RAM; ignored");
            return;
        }
        try {
            control = Integer.reverseBytes(mem.readInt(descriptor));
            length = Integer.toUnsignedLong(Integer.reverseBytes(mem.readInt(descriptor + 4)));
            address = Long.reverseBytes(mem.readLong(descriptor + 8));
        } catch (GuestMemoryException e) {
            reportOnce("dma-descriptor", "fw_cfg DMA descriptor at 0x" + Long.toHexString(descriptor)
                    + " is not in guest RAM; ignored");
            return;
        }
        if ((control & DMA_SELECT) != 0) select(control >>> 16);
        boolean error;
        if ((control & DMA_READ) != 0) error = dmaRead(mem, address, length);
        else if ((control & DMA_WRITE) != 0) error = dmaWrite(mem, address, length);
        else if ((control & DMA_SKIP) != 0) error = dmaSkip(length);
        else error = false;
        try {
            // Done: control becomes 0, or just ERROR.
            mem.writeInt(descriptor, Integer.reverseBytes(error ? DMA_ERROR : 0));
        } catch (GuestMemoryException e) {
            reportOnce("dma-descriptor", "fw_cfg DMA descriptor at 0x" + Long.toHexString(descriptor)
                    + " is not in guest RAM; ignored");
        }
    }

    private boolean dmaRead(GuestMemory mem, long address, long length) {
        Item item = selectedItem();
        if (length == 0) return false; // nothing to transfer, whatever the address
        if (!mem.isRam(address, length)) {
            reportOnce("dma-read", "fw_cfg DMA read into 0x" + Long.toHexString(address) + "+" + length
                    + " is not all guest RAM; ERROR set");
            return true;
        }
        try {
            long available = item == null ? 0 : Math.max(0, item.data.length - offset);
            long n = Math.min(length, available);
            if (n > 0) {
                mem.write(address, item.data, (int) offset, (int) n);
                offset += n;
            }
            if (length > n) mem.fill(address + n, length - n, (byte) 0); // past the end: zeros
            return false;
        } catch (GuestMemoryException e) {
            reportOnce("dma-read", "fw_cfg DMA read into 0x" + Long.toHexString(address) + "+" + length
                    + " is not all guest RAM; ERROR set");
            return true;
        }
    }

    private boolean dmaWrite(GuestMemory mem, long address, long length) {
        Item item = selectedItem();
        if (length == 0) return false;
        if (item == null || !item.guestWritable) {
            reportOnce("dma-write-ro", "fw_cfg DMA write to read-only or missing item 0x"
                    + Integer.toHexString(selector) + "; ERROR set");
            return true;
        }
        if (offset + length > item.data.length) {
            reportOnce("dma-write-size", "fw_cfg DMA write of " + length + " bytes at offset " + offset
                    + " would not fit item 0x" + Integer.toHexString(selector) + "; dropped, ERROR set");
            return true;
        }
        if (!mem.isRam(address, length)) {
            reportOnce("dma-write", "fw_cfg DMA write from 0x" + Long.toHexString(address) + "+" + length
                    + " is not all guest RAM; ERROR set");
            return true;
        }
        try {
            byte[] incoming = new byte[(int) length];
            mem.read(address, incoming, 0, incoming.length);
            System.arraycopy(incoming, 0, item.data, (int) offset, incoming.length);
            offset += length;
            return false;
        } catch (GuestMemoryException e) {
            reportOnce("dma-write", "fw_cfg DMA write from 0x" + Long.toHexString(address) + "+" + length
                    + " is not all guest RAM; ERROR set");
            return true;
        }
    }

    private boolean dmaSkip(long length) {
        Item item = selectedItem();
        long size = item == null ? 0 : item.data.length;
        offset = Math.min(size, offset + length); // anything past the end is just "past the end"
        return false;
    }

    // ---- snapshot ----

    static final int STATE_VERSION = 1;

    @Override
    public String stateName() {
        return "dev." + NAME;
    }

    @Override
    public int stateVersion() {
        return STATE_VERSION;
    }

    @Override
    public synchronized StateRecord saveState() {
        List<StateRecord> written = new ArrayList<>();
        for (Map.Entry<Integer, Item> e : new TreeMap<>(items).entrySet()) {
            if (!e.getValue().guestWritable) continue;
            written.add(StateRecord.builder().putU16("key", e.getKey()).putBytes("data", e.getValue().data.clone()).build());
        }
        return StateRecord.builder()
                .putU16("selector", selector)
                .putU32("offset", offset)
                .putU32("dma_address_high", Integer.toUnsignedLong(dmaAddressHigh))
                .putBytes("items_digest", itemsDigest())
                .putRecords("guest_written", written)
                .build();
    }

    /**
     * Restores the selector, the offset into the selected item, the DMA address latch and what the
     * guest wrote to writable items, after checking that this VM's items are the ones saved.
     */
    @Override
    public void restoreState(StateRecord state, int version) throws SnapshotFormatException {
        StateReader r = StateReader.open(this, state, version);
        int newSelector = r.u16("selector");
        long newOffset = r.u32("offset");
        int newDmaHigh = (int) r.u32("dma_address_high");
        byte[] digest = r.bytes("items_digest");
        List<StateReader> written = r.records("guest_written");
        synchronized (this) {
            if (!MessageDigest.isEqual(digest, itemsDigest())) {
                throw r.invalid("items_digest", "the snapshot's fw_cfg items differ from this VM's "
                        + "(CPU count, RAM size, UUID or -f files changed); restore with the VM's original config");
            }
            Map<Integer, byte[]> contents = new HashMap<>();
            for (StateReader w : written) {
                int key = w.u16("key");
                Item item = items.get(key);
                if (item == null || !item.guestWritable) {
                    throw w.invalid("key", String.format("0x%04x is not a guest-writable item in this VM", key));
                }
                byte[] data = w.bytes("data");
                if (data.length != item.data.length) {
                    throw w.invalid("data", data.length + " bytes, but item 0x" + Integer.toHexString(key)
                            + " is " + item.data.length + " bytes");
                }
                if (contents.put(key, data) != null) {
                    throw w.invalid("key", String.format("item 0x%04x is listed twice", key));
                }
            }
            Item selected = items.get(newSelector & ~WRITE_BIT);
            long size = selected == null ? 0 : selected.data.length;
            if (newOffset > size) {
                throw r.invalid("offset", newOffset + " is past the end of item 0x" + Integer.toHexString(newSelector)
                        + " (" + size + " bytes)");
            }
            for (Map.Entry<Integer, byte[]> e : contents.entrySet()) items.get(e.getKey()).data = e.getValue();
            selector = newSelector;
            offset = newOffset;
            dmaAddressHigh = newDmaHigh;
        }
    }

    /**
     * SHA-256 over the item directory: each item's key, size and writability in key order, and the
     * contents of the read-only ones (writable ones hold guest data, saved separately).
     */
    private byte[] itemsDigest() {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        ByteBuffer b = ByteBuffer.allocate(9);
        for (Map.Entry<Integer, Item> e : new TreeMap<>(items).entrySet()) {
            Item item = e.getValue();
            b.clear();
            b.putInt(e.getKey()).putInt(item.data.length).put((byte) (item.guestWritable ? 1 : 0));
            md.update(b.array());
            if (!item.guestWritable) md.update(item.data);
        }
        return md.digest();
    }

    // ---- lifecycle ----

    @Override
    public synchronized void reset() {
        selector = 0;
        offset = 0;
        dmaAddressHigh = 0;
    }

    private void reportOnce(String key, String message) {
        if (reported.add(key)) platform.log(NAME, message);
    }

    static byte[] le16(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8)};
    }

    static byte[] le32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }
}
