package org.jbhyve.bhyve.devices.virtio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jbhyve.bhyve.devices.virtio.Virtio.*;
import static org.jbhyve.bhyve.devices.virtio.VirtioBlk.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * virtio-blk request processing against a real image file: reads and writes land in the file,
 * flush, read-only disks, discard and write zeroes, GET_ID, malformed requests, the config space,
 * options, and pause draining the I/O thread.
 */
class VirtioBlkTest {
    private static final long HEADERS = 0x300000, DATA = 0x400000, STATUS = 0x380000;
    private static final long PFN = 0x100;

    @TempDir
    Path dir;

    private Path image(long size) throws Exception {
        Path p = dir.resolve("disk.img");
        try (var ch = java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(size);
            ch.write(ByteBuffer.allocate(1), size - 1);
        }
        return p;
    }

    private VirtioHarness blk(Path image, String... keyValues) {
        String[] kv = Arrays.copyOf(keyValues, keyValues.length + 2);
        kv[keyValues.length] = VirtioHarness.NODE + ".path";
        kv[keyValues.length + 1] = image.toString();
        return new VirtioHarness(VirtioHarness.config(EMULATION, kv), VirtioBlk::create);
    }

    /** A driver for one legacy queue that submits three-descriptor requests and waits for them. */
    private static final class Driver {
        final VirtioHarness h;
        final GuestRing ring;
        int submitted;

        Driver(VirtioHarness h, int features) {
            this.h = h;
            this.ring = h.legacySetup(0, PFN, features);
        }

        /** Submits request {@code slot}: header, data (device-writable for reads), status byte. */
        int submit(int type, long sector, byte[] data, boolean deviceWrites) {
            int slot = submitted % 32;
            long hdr = HEADERS + 16L * slot, buf = DATA + 0x10000L * slot, st = STATUS + slot;
            ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(type).putInt(0).putLong(sector);
            h.memory().write(hdr, b.array());
            h.memory().writeByte(st, (byte) 0x77);
            int d = slot * 3;
            if (data.length > 0) {
                if (!deviceWrites) h.memory().write(buf, data);
                ring.desc(d, hdr, 16, DESC_F_NEXT, d + 1);
                ring.desc(d + 1, buf, data.length, DESC_F_NEXT | (deviceWrites ? DESC_F_WRITE : 0), d + 2);
            } else {
                ring.desc(d, hdr, 16, DESC_F_NEXT, d + 2);
            }
            ring.desc(d + 2, st, 1, DESC_F_WRITE, 0);
            ring.offer(d);
            submitted++;
            h.lout(LEGACY_QUEUE_NOTIFY, 2, 0);
            return slot;
        }

        /** Waits for everything submitted; returns the status byte of {@code slot}. */
        int await(int slot) throws InterruptedException {
            assertThat(VirtioHarness.await(() -> ring.usedIdx() == submitted, 10_000))
                    .as("requests completed (used %d of %d)", ring.usedIdx(), submitted).isTrue();
            return h.memory().readByte(STATUS + slot) & 0xff;
        }

        int request(int type, long sector, byte[] data, boolean deviceWrites) throws InterruptedException {
            return await(submit(type, sector, data, deviceWrites));
        }

        byte[] dataOf(int slot, int length) {
            byte[] b = new byte[length];
            h.memory().read(DATA + 0x10000L * slot, b, 0, length);
            return b;
        }
    }

    private static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) b[i] = (byte) (i * 7 + seed);
        return b;
    }

    private static byte[] fileBytes(Path p, long offset, int length) throws Exception {
        byte[] all = Files.readAllBytes(p);
        return Arrays.copyOfRange(all, (int) offset, (int) offset + length);
    }

    @Test
    void writeFlushAndReadBackGoThroughTheFile() throws Exception {
        Path img = image(1 << 20);
        try (VirtioHarness h = blk(img)) {
            Driver d = new Driver(h, (int) bit(F_FLUSH));
            byte[] data = pattern(1024, 3);
            assertThat(d.request(T_OUT, 5, data, false)).isEqualTo(S_OK);
            assertThat(d.request(T_FLUSH, 0, new byte[0], false)).isEqualTo(S_OK);
            assertThat(fileBytes(img, 5 * 512, 1024)).isEqualTo(data);
            int slot = d.submit(T_IN, 5, new byte[1024], true);
            assertThat(d.await(slot)).isEqualTo(S_OK);
            assertThat(d.dataOf(slot, 1024)).isEqualTo(data);
            assertThat(d.ring.usedLength(d.ring.usedIdx() - 1)).as("data + status written").isEqualTo(1025);
            assertThat(h.intx().raises()).isPositive();
        }
    }

    @Test
    void aReadOnlyDiskOffersRoAndFailsWritesWithoutTouchingTheFile() throws Exception {
        Path img = image(64 << 10);
        Files.write(img, pattern(64 << 10, 1));
        byte[] before = Files.readAllBytes(img);
        try (VirtioHarness h = blk(img, VirtioHarness.NODE + ".ro", "true")) {
            assertThat(h.lin(LEGACY_HOST_FEATURES, 4) & (1 << F_RO)).isNotZero();
            assertThat(h.lin(LEGACY_HOST_FEATURES, 4) & (1 << F_DISCARD | 1 << F_WRITE_ZEROES)).isZero();
            Driver d = new Driver(h, 0);
            assertThat(d.request(T_OUT, 0, new byte[512], false)).isEqualTo(S_IOERR);
            int slot = d.submit(T_IN, 1, new byte[512], true);
            assertThat(d.await(slot)).isEqualTo(S_OK);
            assertThat(d.dataOf(slot, 512)).isEqualTo(Arrays.copyOfRange(before, 512, 1024));
        }
        assertThat(Files.readAllBytes(img)).isEqualTo(before);
    }

    /**
     * Opening an image finds out what fallocate can do on a temporary file beside it: a probe on the image
     * itself stamped its modification time at every VM start (which backup tools and a restore's check go by).
     */
    @Test
    void openingAnImageLeavesItsTimesAloneAndStillFindsWhatFallocateCanDo() throws Exception {
        Path img = image(1 << 20);
        java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.fromMillis(1_600_000_000_000L);
        Files.setLastModifiedTime(img, old);
        try (VirtioHarness h = blk(img)) {
            assertThat(h.lin(LEGACY_HOST_FEATURES, 4) & (1 << F_WRITE_ZEROES)).isNotZero();
            assertThat(h.lin(LEGACY_HOST_FEATURES, 4) & (1 << F_DISCARD)).as("ext4 and tmpfs punch holes").isNotZero();
            assertThat(Files.getLastModifiedTime(img)).isEqualTo(old);
        }
        assertThat(Files.getLastModifiedTime(img)).isEqualTo(old);
        try (var files = Files.list(img.getParent())) {
            assertThat(files.toList()).as("the probe's file has no name and is gone").containsExactly(img);
        }
    }

    @Test
    void discardPunchesAHoleAndWriteZeroesZeroes() throws Exception {
        Path img = image(1 << 20);
        try (VirtioHarness h = blk(img)) {
            int host = h.lin(LEGACY_HOST_FEATURES, 4);
            assertThat(host & (1 << F_WRITE_ZEROES)).isNotZero();
            boolean discard = (host & (1 << F_DISCARD)) != 0;
            Driver d = new Driver(h, host & (1 << F_DISCARD | 1 << F_WRITE_ZEROES));
            byte[] data = pattern(16 * 512, 9);
            assertThat(d.request(T_OUT, 16, data, false)).isEqualTo(S_OK);
            byte[] seg = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(16).putInt(8).putInt(0).array();
            if (discard) {
                assertThat(d.request(T_DISCARD, 0, seg, false)).isEqualTo(S_OK);
                assertThat(fileBytes(img, 16 * 512, 8 * 512)).containsOnly(0);
                assertThat(fileBytes(img, 24 * 512, 512)).isEqualTo(Arrays.copyOfRange(data, 8 * 512, 9 * 512));
                byte[] unmap = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(16).putInt(8).putInt(1).array();
                assertThat(d.request(T_DISCARD, 0, unmap, false)).as("unmap flag on discard").isEqualTo(S_UNSUPP);
            } else {
                assertThat(d.request(T_DISCARD, 0, seg, false)).isEqualTo(S_UNSUPP);
            }
            byte[] zeros = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(24).putInt(8).putInt(0).array();
            assertThat(d.request(T_WRITE_ZEROES, 0, zeros, false)).isEqualTo(S_OK);
            assertThat(fileBytes(img, 24 * 512, 8 * 512)).containsOnly(0);
            byte[] beyond = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(2047).putInt(2).putInt(0).array();
            assertThat(d.request(T_WRITE_ZEROES, 0, beyond, false)).isEqualTo(S_IOERR);
            assertThat(d.request(T_WRITE_ZEROES, 0, new byte[15], false)).as("half a segment").isEqualTo(S_IOERR);
        }
    }

    @Test
    void nocacheAndSyncStillReadAndWrite() throws Exception {
        Path img = image(1 << 20);
        try (VirtioHarness h = blk(img, VirtioHarness.NODE + ".nocache", "true", VirtioHarness.NODE + ".sync", "true",
                VirtioHarness.NODE + ".sectorsize", "4096")) {
            Driver d = new Driver(h, 0);
            byte[] data = pattern(8192, 11);
            assertThat(d.request(T_OUT, 8, data, false)).isEqualTo(S_OK);
            int slot = d.submit(T_IN, 8, new byte[8192], true);
            assertThat(d.await(slot)).isEqualTo(S_OK);
            assertThat(d.dataOf(slot, 8192)).isEqualTo(data);
            assertThat(fileBytes(img, 8 * 512, 8192)).isEqualTo(data);
            // With O_DIRECT in effect a request that is not block aligned fails (as in bhyve); without
            // it (a file system that refuses O_DIRECT) it simply works.
            int status = d.request(T_OUT, 1, new byte[512], false);
            assertThat(status).isIn(S_OK, S_IOERR);
            if (status == S_IOERR) assertThat(h.logs()).anyMatch(l -> l.contains("nocache (O_DIRECT) needs requests aligned"));
        }
    }

    /**
     * What fallocate can do is found on a temporary file beside the image only where that file is on the
     * image's own file system. A block device's node lives in /dev (tmpfs, which punches holes), and a disk
     * image can be a file bind-mounted into a directory of another file system: in both the temporary file
     * told about the wrong file system, the device offered discard, and every discard the guest sent failed
     * with an I/O error. Here the image's file system is a ramfs (no fallocate at all): discard is offered
     * only if it works. Needs root (mount, losetup); skipped elsewhere.
     */
    @Test
    void discardIsOfferedOnlyWhereTheImagesOwnFileSystemCanDoIt() throws Exception {
        Assumptions.assumeTrue(runs("mountpoint", "-q", "/"), "needs mountpoint(1)");
        Path ram = Files.createDirectory(dir.resolve("ramfs"));
        Assumptions.assumeTrue(runs("mount", "-t", "ramfs", "ramfs", ram.toString()), "needs root to mount a ramfs");
        String loop = null;
        Path bound = dir.resolve("bound.img");
        boolean bindMounted = false;
        try {
            Path backing = ram.resolve("disk.img");
            try (var ch = java.nio.channels.FileChannel.open(backing, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.allocate(1), (1 << 20) - 1);
            }
            // The ramfs file bind-mounted into a directory on another file system (ext4 or tmpfs, which punch).
            Files.createFile(bound);
            bindMounted = runs("mount", "--bind", backing.toString(), bound.toString());
            if (bindMounted) assertDiscardWorksIfOffered(bound);
            // A block device on the ramfs file: its node is in /dev.
            Process p = new ProcessBuilder("losetup", "-f", "--show", backing.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() == 0 && out.startsWith("/dev/")) {
                loop = out;
                assertDiscardWorksIfOffered(Path.of(loop));
            }
            Assumptions.assumeTrue(bindMounted || loop != null, "needs mount --bind or losetup");
        } finally {
            if (loop != null) runs("losetup", "-d", loop);
            if (bindMounted) runs("umount", bound.toString());
            runs("umount", ram.toString());
        }
    }

    private void assertDiscardWorksIfOffered(Path image) throws Exception {
        try (VirtioHarness h = blk(image)) {
            int host = h.lin(LEGACY_HOST_FEATURES, 4);
            Driver d = new Driver(h, host & (1 << F_DISCARD | 1 << F_WRITE_ZEROES));
            byte[] seg = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(8).putInt(8).putInt(0).array();
            int status = d.request(T_DISCARD, 0, seg, false);
            if ((host & (1 << F_DISCARD)) != 0) {
                assertThat(status).as("discard on %s, offered", image).isEqualTo(S_OK);
            } else {
                assertThat(status).as("discard on %s, not offered", image).isEqualTo(S_UNSUPP);
            }
        }
    }

    private static boolean runs(String... command) throws InterruptedException {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor() == 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void nodeleteTurnsDiscardOff() throws Exception {
        try (VirtioHarness h = blk(image(1 << 20), VirtioHarness.NODE + ".nodelete", "true")) {
            assertThat(h.lin(LEGACY_HOST_FEATURES, 4) & (1 << F_DISCARD)).isZero();
        }
    }

    @Test
    void getIdGivesTheSerialOrBhyvesMd5Identifier() throws Exception {
        Path img = image(1 << 20);
        try (VirtioHarness h = blk(img, VirtioHarness.NODE + ".serial", "jbhyve-disk-1")) {
            Driver d = new Driver(h, 0);
            int slot = d.submit(T_GET_ID, 0, new byte[64], true);
            assertThat(d.await(slot)).isEqualTo(S_OK);
            assertThat(new String(d.dataOf(slot, 13), StandardCharsets.US_ASCII)).isEqualTo("jbhyve-disk-1");
            assertThat(d.dataOf(slot, 20)[13]).isZero();
            assertThat(d.ring.usedLength(0)).isEqualTo(21);
        }
        byte[] id = VirtioBlk.ident(new ConfigTree(), "pci.0.3.0", Path.of("/img/disk.raw"));
        assertThat(new String(id, StandardCharsets.US_ASCII)).matches("BHYVE-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}");
    }

    @Test
    void malformedAndOutOfRangeRequestsFailWithIoerrOrUnsupp() throws Exception {
        try (VirtioHarness h = blk(image(1 << 20))) {
            Driver d = new Driver(h, 0);
            assertThat(d.request(T_IN, 2048, new byte[512], true)).as("past the end").isEqualTo(S_IOERR);
            assertThat(d.request(T_IN, 2047, new byte[1024], true)).as("across the end").isEqualTo(S_IOERR);
            assertThat(d.request(T_OUT, -1, new byte[512], false)).as("sector 2^64-1").isEqualTo(S_IOERR);
            assertThat(d.request(T_OUT, 0, new byte[100], false)).as("not whole sectors").isEqualTo(S_IOERR);
            assertThat(d.request(42, 0, new byte[0], false)).isEqualTo(S_UNSUPP);
            assertThat(d.request(T_DISCARD, 0, new byte[16], false)).as("not negotiated").isEqualTo(S_UNSUPP);
            assertThat(Files.size(dir.resolve("disk.img"))).as("the file never grows").isEqualTo(1 << 20);
        }
    }

    @Test
    void aRequestWithoutAStatusByteIsAViolation() throws Exception {
        try (VirtioHarness h = blk(image(1 << 20))) {
            Driver d = new Driver(h, 0);
            d.ring.desc(0, HEADERS, 16, DESC_F_NEXT, 1);
            d.ring.desc(1, DATA, 512, 0, 0);
            d.ring.offer(0);
            h.lout(LEGACY_QUEUE_NOTIFY, 2, 0);
            assertThat(VirtioHarness.await(() -> h.logs().stream().anyMatch(l -> l.contains("no device-writable byte")), 5000))
                    .isTrue();
            assertThat(d.ring.usedIdx()).isZero();
        }
    }

    @Test
    void configSpaceHasCapacityBlockSizeAndTopology() throws Exception {
        try (VirtioHarness h = blk(image(1 << 20), VirtioHarness.NODE + ".sectorsize", "512/4096")) {
            int cfg = LEGACY_CONFIG_NO_MSIX;
            assertThat(h.lin(cfg, 4)).isEqualTo(2048);
            assertThat(h.lin(cfg + 4, 4)).isZero();
            assertThat(h.lin(cfg + 12, 4)).as("seg_max").isEqualTo(SEG_MAX);
            assertThat(h.lin(cfg + 20, 4)).as("blk_size").isEqualTo(512);
            assertThat(h.lin(cfg + 24, 1)).as("physical_block_exp").isEqualTo(3);
            assertThat(h.lin(cfg + 36, 4)).as("max_discard_sectors").isEqualTo(MAX_DISCARD_SECTORS);
            // modern device config region: same bytes
            assertThat(h.mread(VirtioPciDevice.MODERN_DEVICE, 8)).isEqualTo(2048);
            assertThat(h.mread(VirtioPciDevice.MODERN_DEVICE + 20, 4)).isEqualTo(512);
        }
    }

    @Test
    void optionsAreCheckedBeforeTheVmStarts() throws Exception {
        Path img = image(1 << 20);
        assertThatThrownBy(() -> blk(img, VirtioHarness.NODE + ".sectorsize", "1000"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("invalid sectorsize=1000");
        assertThatThrownBy(() -> blk(img, VirtioHarness.NODE + ".sectorsize", "4096/512"))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> blk(dir.resolve("missing.img")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> new VirtioHarness(VirtioHarness.config(EMULATION), VirtioBlk::create))
                .isInstanceOf(ConfigException.class).hasMessageContaining("needs a backing file");
    }

    /**
     * A FIFO or a character device that is no disk is refused: each used to become a disk of 0 sectors
     * without a word (bhyve refuses a character device whose size it cannot ask for).
     */
    @Test
    void aFifoOrACharacterDeviceIsNoDisk() throws Exception {
        Path fifo = dir.resolve("disk.fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        assertThatThrownBy(() -> blk(fifo)).isInstanceOf(ConfigException.class)
                .hasMessage("virtio-blk@pci.0.3.0: backing file " + fifo + " is a FIFO, not a disk image or block device"
                        + " (give a regular file, such as one made with truncate -s 1G, or a block device)");
        assertThatThrownBy(() -> blk(Path.of("/dev/null"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("backing file /dev/null is a character device, not a disk image or block device");
    }

    @Test
    void modernDriverWithIndirectDescriptorsAndEventIdx() throws Exception {
        Path img = image(1 << 20);
        try (VirtioHarness h = blk(img)) {
            h.enableMsix();
            GuestRing ring = h.modernSetup(0, bit(F_VERSION_1) | bit(F_RING_INDIRECT_DESC) | bit(F_RING_EVENT_IDX)
                    | bit(F_FLUSH), 0x100000, 128);
            byte[] data = pattern(4096, 5);
            h.memory().write(DATA, data);
            h.memory().write(HEADERS, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(T_OUT).putInt(0)
                    .putLong(100).array());
            long table = 0x500000;
            // header and the first data half in one descriptor? No: header, two data halves, status.
            ring.indirect(table, 0, HEADERS, 16, DESC_F_NEXT, 1);
            ring.indirect(table, 1, DATA, 2048, DESC_F_NEXT, 2);
            ring.indirect(table, 2, DATA + 2048, 2048, DESC_F_NEXT, 3);
            ring.indirect(table, 3, STATUS, 1, DESC_F_WRITE, 0);
            ring.desc(0, table, 64, DESC_F_INDIRECT, 0);
            ring.usedEvent(0);
            ring.offer(0);
            h.notifyModern(0);
            assertThat(VirtioHarness.await(() -> ring.usedIdx() == 1, 10_000)).isTrue();
            assertThat(h.memory().readByte(STATUS)).isEqualTo((byte) S_OK);
            assertThat(fileBytes(img, 100 * 512, 4096)).isEqualTo(data);
            assertThat(h.awaitMsis(1, 5000)).isTrue();
            assertThat(h.msiData()).containsExactly(VirtioHarness.MSI_DATA_BASE + 1);
            assertThat(VirtioHarness.await(() -> ring.availEvent() == 1, 5000))
                    .as("the device asks to be notified for the next entry").isTrue();
        }
    }

    /**
     * The image time a snapshot records (and a restore compares) is the open file's: a standby's prepared
     * machine opened its image long before the restore, and the path may name another file by then.
     */
    @Test
    void theImageTimeIsTheOpenFilesNotWhateverThePathNamesNow() throws Exception {
        Path img = image(1 << 20);
        java.nio.file.attribute.FileTime opened = java.nio.file.attribute.FileTime.fromMillis(1_600_000_000_000L);
        Files.setLastModifiedTime(img, opened);
        try (VirtioHarness h = blk(img)) {
            Path other = dir.resolve("other.img");
            Files.write(other, new byte[1 << 20]);
            Files.setLastModifiedTime(other, java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L));
            Files.move(other, img, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            h.dev.pause();
            org.jbhyve.snapshot.format.StateRecord saved = h.dev.saveState();
            long recorded = saved.record("model").record("device").u64("image_mtime_ns");
            assertThat(recorded).isEqualTo(opened.to(java.util.concurrent.TimeUnit.NANOSECONDS));
        }
    }

    @Test
    void aSnapshotOfADiskOfAnotherSizeIsRefused() throws Exception {
        org.jbhyve.snapshot.format.StateRecord saved;
        try (VirtioHarness h = blk(image(1 << 20))) {
            new Driver(h, 0);
            h.dev.pause();
            saved = h.dev.saveState();
        }
        Files.delete(dir.resolve("disk.img"));
        try (VirtioHarness h = blk(image(2 << 20))) {
            assertThatThrownBy(() -> h.dev.restoreState(saved, h.dev.stateVersion()))
                    .isInstanceOf(org.jbhyve.snapshot.format.SnapshotFormatException.class)
                    .hasMessageContaining("capacity");
        }
        Files.delete(dir.resolve("disk.img"));
        try (VirtioHarness h = blk(image(1 << 20))) {
            h.dev.pause();
            h.dev.restoreState(saved, h.dev.stateVersion());
            h.dev.resume();
            assertThat(h.lin(LEGACY_STATUS, 1)).isEqualTo(STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_DRIVER_OK);
        }
    }

    @Test
    void pauseDrainsRequestsInFlightAndHoldsNewOnesUntilResume() throws Exception {
        Path img = image(8 << 20);
        try (VirtioHarness h = blk(img)) {
            Driver d = new Driver(h, 0);
            for (int i = 0; i < 30; i++) d.submit(T_OUT, 64L * i, pattern(32 << 10, i), false);
            h.dev.pause();
            int usedAtPause = d.ring.usedIdx();
            VirtQueue q = h.dev.queue(0);
            assertThat(q.nextUsed()).as("every request taken is complete").isEqualTo(q.nextAvail());
            Thread.sleep(50);
            assertThat(d.ring.usedIdx()).as("nothing moves while paused").isEqualTo(usedAtPause);
            h.dev.resume();
            d.await(0);
            for (int i = 0; i < 30; i++) {
                assertThat(fileBytes(img, 64L * 512 * i, 32 << 10)).isEqualTo(pattern(32 << 10, i));
            }
        }
    }

    @Test
    void requestsAvailableTogetherCompleteAsOneBatchWithOneInterrupt() throws Exception {
        Path img = image(1 << 20);
        try (VirtioHarness h = blk(img)) {
            Driver d = new Driver(h, 0);
            h.dev.pause(); // the notifications below only queue the requests
            for (int i = 0; i < 8; i++) d.submit(T_OUT, 8L * i, pattern(4096, i), false);
            assertThat(d.ring.usedIdx()).isZero();
            h.dev.resume();
            for (int i = 0; i < 8; i++) assertThat(d.await(i)).isEqualTo(S_OK);
            for (int i = 0; i < 8; i++) assertThat(fileBytes(img, 8L * 512 * i, 4096)).isEqualTo(pattern(4096, i));
            assertThat(h.intx().raises()).as("one interrupt for the batch of 8").isEqualTo(1);
        }
    }
}
