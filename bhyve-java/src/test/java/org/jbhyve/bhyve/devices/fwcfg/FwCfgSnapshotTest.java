package org.jbhyve.bhyve.devices.fwcfg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jbhyve.bhyve.devices.SnapshotTesting.assertRefused;
import static org.jbhyve.bhyve.devices.SnapshotTesting.edit;
import static org.jbhyve.bhyve.devices.SnapshotTesting.fuzzRestore;
import static org.jbhyve.bhyve.devices.SnapshotTesting.save;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.devices.FakePlatform;
import org.jbhyve.snapshot.format.SnapshotFormatException;
import org.jbhyve.snapshot.format.StateRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** fw_cfg saved half-way through firmware reading a file, restored into a VM with the same items. */
class FwCfgSnapshotTest {
    static final int SEL = 0x510, DATA = 0x511, DMA_HI = 0x514, DMA_LO = 0x518;
    static final long DESC = 0x1000, BUF = 0x2000;
    static final UUID ID = UUID.fromString("01234567-89ab-cdef-0123-456789abcdef");

    final FakePlatform p1 = new FakePlatform(), p2 = new FakePlatform();
    final ConfigTree cfg = new ConfigTree();
    FwCfg fw1, fw2;

    FwCfg build(FakePlatform p, int cpus) {
        FwCfg f = FwCfg.fromConfig(cfg, p, cpus, 3L << 30, ID);
        f.addFile("etc/boot-menu", "Press ESC for the boot menu, or wait".getBytes(StandardCharsets.US_ASCII));
        f.addFile("etc/guest-addr", new byte[8], true);
        return f;
    }

    @BeforeEach
    void setUp() {
        FwCfg.addUserFileOption(cfg, "opt/jbhyve/greeting,string=hello firmware");
        fw1 = build(p1, 4);
        fw2 = build(p2, 4);
    }

    @AfterEach
    void tearDown() {
        p1.close();
        p2.close();
    }

    static int dma(FakePlatform p, int control, int length, long address) {
        p.memory().writeInt(DESC, Integer.reverseBytes(control));
        p.memory().writeInt(DESC + 4, Integer.reverseBytes(length));
        p.memory().writeLong(DESC + 8, Long.reverseBytes(address));
        p.outl(DMA_HI, 0);
        p.outl(DMA_LO, Integer.reverseBytes((int) DESC));
        return Integer.reverseBytes(p.memory().readInt(DESC));
    }

    static String readData(FakePlatform p, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append((char) p.inb(DATA));
        return sb.toString();
    }

    /** The guest wrote its address into the writable file, then read 6 bytes of the boot menu text. */
    void driveIntoBusyState() {
        int rw = fw1.fileSelector("etc/guest-addr").orElseThrow();
        p1.memory().writeLong(BUF, 0x1122334455667788L);
        assertThat(dma(p1, rw << 16 | 0x08 | 0x10, 8, BUF)).isZero();
        p1.outw(SEL, fw1.fileSelector("etc/boot-menu").orElseThrow());
        assertThat(readData(p1, 6)).isEqualTo("Press ");
        p1.outl(DMA_HI, Integer.reverseBytes(0x10)); // the high half of a DMA address, the low half not yet
    }

    @Test
    void restoredDeviceContinuesTheItemReadAndKeepsWhatTheGuestWrote() throws SnapshotFormatException {
        driveIntoBusyState();
        StateRecord saved = save(fw1);
        assertThat(fw1.stateName()).isEqualTo("dev.fw_cfg");
        fw2.restoreState(saved, fw1.stateVersion());
        assertThat(save(fw2)).isEqualTo(saved);

        assertThat(p2.inw(SEL)).isEqualTo(p1.inw(SEL));
        assertThat(readData(p2, 10)).isEqualTo(readData(p1, 10)).isEqualTo("ESC for th");
        assertThat(fw2.fileContents("etc/guest-addr").orElseThrow())
                .isEqualTo(fw1.fileContents("etc/guest-addr").orElseThrow());
        // The DMA address high half survived: completing the address points at 64 GiB, not RAM.
        p2.outl(DMA_LO, Integer.reverseBytes((int) DESC));
        assertThat(p2.logs()).anyMatch(l -> l.contains("0x1000001000") && l.contains("not in guest RAM"));
    }

    @Test
    void aVmWithOtherItemsRefusesTheRestore() {
        driveIntoBusyState();
        StateRecord saved = save(fw1);
        try (FakePlatform p3 = new FakePlatform()) {
            FwCfg twoCpus = build(p3, 2);
            assertRefused(twoCpus, saved, "items_digest", "differ from this VM's");
        }
        try (FakePlatform p3 = new FakePlatform()) {
            FwCfg moreFiles = build(p3, 4);
            moreFiles.addFile("etc/extra", new byte[1]);
            assertRefused(moreFiles, saved, "items_digest");
        }
    }

    @Test
    void badRecordsAreRefusedAndLeaveTheDeviceAsItWas() throws SnapshotFormatException {
        driveIntoBusyState();
        StateRecord good = save(fw1);
        p2.outw(SEL, FwCfg.SIGNATURE);
        assertThat(readData(p2, 2)).isEqualTo("QE");
        int rw = fw1.fileSelector("etc/guest-addr").orElseThrow();
        int ro = fw1.fileSelector("etc/boot-menu").orElseThrow();

        assertRefused(fw2, edit(good, b -> b.putU32("offset", 37)), "offset", "past the end");
        assertRefused(fw2, edit(good, b -> b.putU16("selector", 0x1234).putU32("offset", 1)), "offset");
        assertRefused(fw2, edit(good, b -> b.putRecords("guest_written", List.of(StateRecord.builder()
                .putU16("key", ro).putBytes("data", new byte[36]).build()))), "guest_written[0].key", "not a guest-writable");
        assertRefused(fw2, edit(good, b -> b.putRecords("guest_written", List.of(StateRecord.builder()
                .putU16("key", rw).putBytes("data", new byte[9]).build()))), "guest_written[0].data", "9 bytes");
        assertRefused(fw2, edit(good, b -> b.putBytes("items_digest", new byte[32])), "items_digest");
        assertRefused(fw2, edit(good, b -> b.remove("selector")), "selector", "missing");
        assertThat(readData(p2, 2)).isEqualTo("MU");
        assertThat(fw2.fileContents("etc/guest-addr").orElseThrow()).containsOnly(0);
    }

    @Test
    void randomlyDamagedRecordsAreRestoredOrRefusedCleanly() {
        driveIntoBusyState();
        StateRecord good = save(fw1);
        int refused = fuzzRestore(fw2, good, 0x510, 1500, () -> fw2.fileContents("etc/guest-addr").map(java.util.Arrays::toString));
        assertThat(refused).isGreaterThan(500);
    }
}
