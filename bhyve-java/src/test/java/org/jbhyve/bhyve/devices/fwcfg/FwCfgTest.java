package org.jbhyve.bhyve.devices.fwcfg;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.devices.FakePlatform;
import org.jbhyve.vmm.GuestMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** QEMU's fw_cfg: legacy port reads, the file directory and the DMA interface, as firmware uses them. */
class FwCfgTest {
    static final int SEL = 0x510, DATA = 0x511, DMA_HI = 0x514, DMA_LO = 0x518;
    static final long DESC = 0x1000, BUF = 0x2000;

    FakePlatform p;
    GuestMemory mem;
    FwCfg fw;

    @BeforeEach
    void setUp() {
        p = new FakePlatform();
        mem = p.memory();
        ConfigTree cfg = new ConfigTree();
        fw = FwCfg.fromConfig(cfg, p, 4, 3L << 30, UUID.fromString("01234567-89ab-cdef-0123-456789abcdef"));
    }

    @AfterEach
    void tearDown() {
        p.close();
    }

    byte[] readItem(int key, int n) {
        p.outw(SEL, key);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) p.inb(DATA);
        return b;
    }

    /** Writes a big-endian descriptor and starts DMA the way SeaBIOS and OVMF do (high, then low half). */
    int dma(int control, int length, long address) {
        mem.writeInt(DESC, Integer.reverseBytes(control));
        mem.writeInt(DESC + 4, Integer.reverseBytes(length));
        mem.writeLong(DESC + 8, Long.reverseBytes(address));
        p.outl(DMA_HI, Integer.reverseBytes((int) (DESC >>> 32)));
        p.outl(DMA_LO, Integer.reverseBytes((int) DESC));
        return Integer.reverseBytes(mem.readInt(DESC));
    }

    static int select(int key) {
        return key << 16 | 0x08;
    }

    byte[] guestBytes(long gpa, int n) {
        byte[] b = new byte[n];
        mem.read(gpa, b, 0, n);
        return b;
    }

    @Test
    void signatureIdAndDmaSignatureIdentifyTheDevice() {
        assertThat(new String(readItem(FwCfg.SIGNATURE, 4), StandardCharsets.US_ASCII)).isEqualTo("QEMU");
        assertThat(p.inb(DATA)).as("past the end reads 0").isZero();
        assertThat(readItem(FwCfg.ID, 4)).containsExactly(3, 0, 0, 0); // traditional + DMA
        // In memory order the DMA register spells "QEMU CFG".
        ByteBuffer sig = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(p.inl(DMA_HI)).putInt(p.inl(DMA_LO));
        assertThat(new String(sig.array(), StandardCharsets.US_ASCII)).isEqualTo("QEMU CFG");
        assertThat(p.inw(SEL)).isEqualTo(FwCfg.ID);
        assertThat(p.io().find(0x511).owner()).isEqualTo("fw_cfg");
        assertThat(p.io().find(0x51b).owner()).isEqualTo("fw_cfg dma");
    }

    @Test
    void standardItemsDescribeTheVm() {
        assertThat(readItem(FwCfg.NB_CPUS, 2)).containsExactly(4, 0);
        assertThat(readItem(FwCfg.MAX_CPUS, 2)).containsExactly(4, 0);
        assertThat(ByteBuffer.wrap(readItem(FwCfg.RAM_SIZE, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong())
                .isEqualTo(3L << 30);
        assertThat(readItem(FwCfg.UUID_KEY, 16)).containsExactly(0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
                0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef);
        assertThat(readItem(0x1234, 2)).as("a missing item reads as zeros").containsExactly(0, 0);
    }

    @Test
    void fileDirectoryIsBigEndianSortedByNameWithSelectorsInInsertionOrder() {
        fw.addFile("opt/b", new byte[] {1, 2, 3});
        fw.addFile("etc/a", new byte[300]);
        fw.addFile("opt/a", "x".getBytes(StandardCharsets.US_ASCII));
        p.outw(SEL, FwCfg.FILE_DIR);
        int count = 0;
        for (int i = 0; i < 4; i++) count = count << 8 | p.inb(DATA);
        assertThat(count).isEqualTo(3);
        String[] names = new String[3];
        int[] selectors = new int[3], sizes = new int[3];
        for (int f = 0; f < 3; f++) {
            byte[] e = new byte[64];
            for (int i = 0; i < 64; i++) e[i] = (byte) p.inb(DATA);
            ByteBuffer b = ByteBuffer.wrap(e); // big endian
            sizes[f] = b.getInt();
            selectors[f] = b.getShort() & 0xffff;
            assertThat(b.getShort()).isZero();
            int len = 0;
            while (e[8 + len] != 0) len++;
            names[f] = new String(e, 8, len, StandardCharsets.US_ASCII);
            assertThat(Arrays.copyOfRange(e, 8 + len, 64)).containsOnly(0);
        }
        assertThat(names).containsExactly("etc/a", "opt/a", "opt/b");
        assertThat(selectors).containsExactly(0x21, 0x22, 0x20);
        assertThat(sizes).containsExactly(300, 1, 3);
        assertThat(readItem(0x20, 3)).containsExactly(1, 2, 3);
        assertThat(fw.fileSelector("opt/a")).contains(0x22);
    }

    @Test
    void writingTheSelectorRestartsTheItemAndTheWriteBitIsIgnored() {
        p.outw(SEL, FwCfg.SIGNATURE);
        p.inb(DATA);
        p.inb(DATA);
        p.outw(SEL, FwCfg.SIGNATURE | 0x4000);
        assertThat(p.inb(DATA)).isEqualTo('Q');
        p.outb(DATA, 0x55); // legacy data write: ignored
        assertThat(p.inb(DATA)).isEqualTo('E');
        assertThat(p.logs()).hasSize(1).first().asString().contains("data port");
    }

    @Test
    void dmaReadCopiesTheItemAndZeroFillsPastItsEnd() {
        fw.addFile("opt/data", "hello".getBytes(StandardCharsets.US_ASCII));
        int key = fw.fileSelector("opt/data").orElseThrow();
        mem.fill(BUF, 16, (byte) 0xee);
        assertThat(dma(select(key) | 0x02, 8, BUF)).isZero();
        assertThat(guestBytes(BUF, 9)).containsExactly('h', 'e', 'l', 'l', 'o', 0, 0, 0, 0xee);
    }

    @Test
    void dmaSkipAndReadShareTheOffsetWithThePortInterface() {
        p.outw(SEL, FwCfg.SIGNATURE);
        p.inb(DATA); // 'Q' through the port
        assertThat(dma(0x04, 1, 0)).isZero(); // skip 'E', no select: continues the current item
        assertThat(dma(0x02, 2, BUF)).isZero();
        assertThat(new String(guestBytes(BUF, 2), StandardCharsets.US_ASCII)).isEqualTo("MU");
        assertThat(dma(0x04, -1, 0)).as("a huge skip just ends at the item's end").isZero();
        assertThat(p.inb(DATA)).isZero();
        assertThat(dma(select(FwCfg.SIGNATURE), 100, BUF)).as("select alone reads nothing").isZero();
        assertThat(p.inb(DATA)).isEqualTo('Q');
    }

    @Test
    void dmaIntoMemoryThatIsNotRamSetsTheErrorBit() {
        assertThat(dma(select(FwCfg.SIGNATURE) | 0x02, 4, 0xfee0_0000L)).isEqualTo(0x01);
        long ramEnd = mem.size();
        assertThat(dma(select(FwCfg.SIGNATURE) | 0x02, 16, ramEnd - 8)).as("straddling the end").isEqualTo(0x01);
        assertThat(dma(select(FwCfg.SIGNATURE) | 0x02, 4, -4L)).isEqualTo(0x01);
        assertThat(dma(select(FwCfg.SIGNATURE) | 0x02, 4, 5L << 30)).as("above 4 GiB, no highmem").isEqualTo(0x01);
        assertThat(dma(select(FwCfg.SIGNATURE) | 0x02, 0, 0xfee0_0000L)).as("nothing to move: no error").isZero();
        assertThat(p.logs()).hasSize(1);
    }

    @Test
    void aDescriptorOutsideRamIsIgnoredAndTheDmaRegisterResets() {
        p.outl(DMA_HI, Integer.reverseBytes(0x10)); // 64 GiB: no RAM there
        p.outl(DMA_LO, 0);
        assertThat(p.logs()).hasSize(1).first().asString().contains("not in guest RAM");
        // The high half went back to 0, so a 32-bit descriptor works with a single write.
        mem.writeInt(DESC, Integer.reverseBytes(select(FwCfg.SIGNATURE) | 0x02));
        mem.writeInt(DESC + 4, Integer.reverseBytes(4));
        mem.writeLong(DESC + 8, Long.reverseBytes(BUF));
        p.outl(DMA_LO, Integer.reverseBytes((int) DESC));
        assertThat(mem.readInt(DESC)).isZero();
        assertThat(new String(guestBytes(BUF, 4), StandardCharsets.US_ASCII)).isEqualTo("QEMU");
    }

    @Test
    void dmaWritesReachOnlyWritableFilesAndOnlyWhenTheyFit() {
        fw.addFile("etc/ro", new byte[8]);
        fw.addFile("etc/rw", new byte[8], true);
        int ro = fw.fileSelector("etc/ro").orElseThrow(), rw = fw.fileSelector("etc/rw").orElseThrow();
        mem.write(BUF, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        assertThat(dma(select(ro) | 0x10, 4, BUF)).isEqualTo(0x01);
        assertThat(fw.fileContents("etc/ro").orElseThrow()).containsOnly(0);
        assertThat(dma(select(rw) | 0x10, 9, BUF)).as("would not fit: dropped").isEqualTo(0x01);
        assertThat(fw.fileContents("etc/rw").orElseThrow()).containsOnly(0);
        assertThat(dma(select(rw) | 0x04, 2, 0)).isZero();
        assertThat(dma(0x10, 6, BUF)).isZero();
        assertThat(fw.fileContents("etc/rw").orElseThrow()).containsExactly(0, 0, 1, 2, 3, 4, 5, 6);
        assertThat(dma(0x10, 1, BUF)).as("at the end: nothing fits").isEqualTo(0x01);
        assertThat(dma(select(FwCfg.SIGNATURE) | 0x10, 4, BUF)).isEqualTo(0x01);
        assertThat(readItem(FwCfg.SIGNATURE, 4)).containsExactly('Q', 'E', 'M', 'U');
    }

    @Test
    void oddPortAccessesAreIgnoredAndLoggedOnce() {
        assertThat(p.inb(SEL)).isEqualTo(0xff);
        assertThat(p.inw(DATA)).isEqualTo(0xffff);
        assertThat(p.inb(DMA_HI)).isEqualTo(0xff);
        p.outb(SEL, 1);
        p.outw(DMA_HI + 2, 1);
        p.outb(SEL, 1);
        assertThat(p.logs()).hasSize(5);
        assertThat(p.inw(SEL)).as("selector unchanged").isEqualTo(0);
    }

    @Test
    void itemKeysAreCheckedAndArchitectureItemsAllowed() {
        fw.addItem(0x8003, new byte[] {7});
        assertThat(readItem(0x8003, 1)).containsExactly(7);
        assertThatThrownBy(() -> fw.addItem(0x20, new byte[1])).hasMessageContaining("addFile");
        assertThatThrownBy(() -> fw.addItem(FwCfg.FILE_DIR, new byte[1])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fw.addItem(FwCfg.NB_CPUS, new byte[1])).hasMessageContaining("already exists");
        assertThatThrownBy(() -> fw.addFile("x".repeat(56), new byte[1])).hasMessageContaining("at most 55");
        fw.addFile("opt/dup", new byte[1]);
        assertThatThrownBy(() -> fw.addFile("opt/dup", new byte[1])).hasMessageContaining("exists");
    }

    @Test
    void userFilesComeFromBhyvesDashFOptionThroughTheConfigTree(@TempDir Path dir) throws Exception {
        Path blob = dir.resolve("blob.bin");
        Files.write(blob, new byte[] {9, 8, 7});
        ConfigTree cfg = new ConfigTree();
        FwCfg.addUserFileOption(cfg, "opt/org.example/greeting,string=hello");
        FwCfg.addUserFileOption(cfg, "name=opt/org.example/blob,file=" + blob);
        assertThat(cfg.flatten()).containsEntry("fwcfg.0.name", "opt/org.example/greeting")
                .containsEntry("fwcfg.0.string", "hello")
                .containsEntry("fwcfg.1.name", "opt/org.example/blob")
                .containsEntry("fwcfg.1.file", blob.toString());
        try (FakePlatform q = new FakePlatform()) {
            FwCfg f = FwCfg.fromConfig(cfg, q, 1, 1L << 30, null);
            assertThat(f.fileContents("opt/org.example/greeting").orElseThrow())
                    .as("with its NUL, as bhyve stores strings").containsExactly('h', 'e', 'l', 'l', 'o', 0);
            assertThat(f.fileContents("opt/org.example/blob").orElseThrow()).containsExactly(9, 8, 7);
            q.outw(SEL, FwCfg.UUID_KEY);
            assertThat(q.inb(DATA)).as("no UUID item without a UUID").isZero();
        }
    }

    @Test
    void badUserFileOptionsAndConfigsNameTheProblem(@TempDir Path dir) {
        ConfigTree cfg = new ConfigTree();
        assertThatThrownBy(() -> FwCfg.addUserFileOption(cfg, "opt/x")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("-f opt/x");
        assertThatThrownBy(() -> FwCfg.addUserFileOption(cfg, "opt/x,blob=1")).hasMessageContaining("string=VALUE");
        assertThatThrownBy(() -> FwCfg.addUserFileOption(cfg, "o".repeat(60) + ",string=1"))
                .hasMessageContaining("at most 55");
        assertThat(cfg.children("fwcfg")).isEmpty();

        try (FakePlatform q = new FakePlatform()) {
            ConfigTree missing = new ConfigTree();
            missing.set("fwcfg.0.name", "opt/x");
            missing.set("fwcfg.0.file", dir.resolve("absent").toString());
            assertThatThrownBy(() -> FwCfg.fromConfig(missing, q, 1, 1, null)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("fwcfg.0.file=" + dir.resolve("absent"));
        }
        try (FakePlatform q = new FakePlatform()) {
            ConfigTree both = new ConfigTree();
            both.set("fwcfg.0.name", "opt/x");
            both.set("fwcfg.0.string", "a");
            both.set("fwcfg.0.file", "/etc/hostname");
            assertThatThrownBy(() -> FwCfg.fromConfig(both, q, 1, 1, null)).hasMessageContaining("exactly one");
        }
        try (FakePlatform q = new FakePlatform()) {
            ConfigTree nameless = new ConfigTree();
            nameless.set("fwcfg.0.string", "a");
            assertThatThrownBy(() -> FwCfg.fromConfig(nameless, q, 1, 1, null)).hasMessageContaining("fwcfg.0.name");
        }
        try (FakePlatform q = new FakePlatform()) {
            ConfigTree twice = new ConfigTree();
            FwCfg.addUserFileOption(twice, "opt/x,string=1");
            FwCfg.addUserFileOption(twice, "opt/x,string=2");
            assertThatThrownBy(() -> FwCfg.fromConfig(twice, q, 1, 1, null)).hasMessageContaining("already exists");
        }
    }

    @Test
    void firmwareInterfaceFollowsLpcFwcfg() {
        ConfigTree cfg = new ConfigTree();
        assertThat(FirmwareInterface.fromConfig(cfg)).isEqualTo(FirmwareInterface.BHYVE);
        cfg.set("lpc.fwcfg", "qemu");
        assertThat(FirmwareInterface.fromConfig(cfg)).isEqualTo(FirmwareInterface.QEMU);
        cfg.set("lpc.fwcfg", "seabios");
        assertThatThrownBy(() -> FirmwareInterface.fromConfig(cfg)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("lpc.fwcfg=seabios").hasMessageContaining("-l fwcfg,qemu");
    }

    @Test
    void resetForgetsTheSelection() {
        p.outw(SEL, FwCfg.SIGNATURE);
        p.inb(DATA);
        fw.reset();
        assertThat(p.inw(SEL)).isZero();
        assertThat(p.inb(DATA)).isEqualTo('Q');
    }

    @Test
    void randomDescriptorsNeverEscapeAsExceptions() {
        fw.addFile("etc/rw", new byte[64], true);
        Random rnd = new Random(0xf3cf9);
        long[] addresses = {0, BUF, mem.size() - 8, mem.size(), 0xfee00000L, -1L, 1L << 40};
        for (int i = 0; i < 20_000; i++) {
            int control = rnd.nextInt(0x20) | (rnd.nextBoolean() ? rnd.nextInt(0x30) << 16 : 0);
            int length = rnd.nextBoolean() ? rnd.nextInt(300) : rnd.nextInt();
            long address = rnd.nextBoolean() ? addresses[rnd.nextInt(addresses.length)] : rnd.nextLong(mem.size());
            if (length < 0 && address < mem.size() && address >= 0 && (control & 0x02) != 0) {
                length = 300; // keep zero-fills small so the test stays fast
            }
            int result = dma(control, length, address);
            assertThat(result).isIn(0, 1);
            if (rnd.nextInt(10) == 0) p.io().out(0x510 + rnd.nextInt(12), 1 << rnd.nextInt(3), rnd.nextInt());
            if (rnd.nextInt(10) == 0) p.io().in(0x510 + rnd.nextInt(12), 1 << rnd.nextInt(3));
        }
    }
}
