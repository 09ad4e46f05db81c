package org.jbhyve.bhyve.devices.smbios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.config.CpuTopology;
import org.junit.jupiter.api.Test;

/**
 * The SMBIOS image read back by a small reader written from the SMBIOS 2.8 layout (entry point fields,
 * structure header, string sets), not from {@link SmbiosTables}. The guest-side check is the acpi test guest
 * (BhyveKvmTest); this covers what a 32 MiB test guest cannot show: large memory, many sockets, odd strings.
 */
class SmbiosTablesTest {
    static final long BASE = 0xf3000;
    static final UUID ID = UUID.fromString("00112233-4455-6677-8899-aabbccddeeff");

    /** One structure as read back: type, formatted area (header included), strings. */
    record Read(int type, int handle, ByteBuffer formatted, List<String> strings) {
        String string(int offset) {
            int n = formatted.get(offset) & 0xff;
            return n == 0 ? null : strings.get(n - 1);
        }
    }

    static List<Read> read(byte[] image) {
        ByteBuffer ep = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(image, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("_SM_");
        assertThat(ep.get(5)).isEqualTo((byte) 0x1f);
        assertThat(sum(image, 0, 0x1f)).as("entry point checksum").isZero();
        assertThat(new String(image, 0x10, 5, StandardCharsets.US_ASCII)).isEqualTo("_DMI_");
        assertThat(sum(image, 0x10, 0x0f)).as("intermediate checksum").isZero();
        assertThat(ep.get(6)).isEqualTo((byte) 2);
        assertThat(ep.get(7)).isEqualTo((byte) 8);
        assertThat(ep.get(0x1e)).isEqualTo((byte) 0x28);
        int length = ep.getShort(0x16) & 0xffff, count = ep.getShort(0x1c) & 0xffff, max = ep.getShort(8) & 0xffff;
        long table = ep.getInt(0x18) & 0xffffffffL;
        assertThat(table).as("the table follows the entry point, 16-byte aligned").isEqualTo(BASE + 32);
        assertThat(image).hasSize(32 + length);
        List<Read> out = new ArrayList<>();
        int at = 32, largest = 0;
        while (at < image.length) {
            int type = image[at] & 0xff, flen = image[at + 1] & 0xff;
            ByteBuffer f = ByteBuffer.wrap(image, at, flen).slice().order(ByteOrder.LITTLE_ENDIAN);
            int s = at + flen;
            List<String> strings = new ArrayList<>();
            if (image[s] == 0) {
                assertThat(image[s + 1]).as("an empty string set is two NULs").isZero();
                s += 2;
            } else {
                while (image[s] != 0) {
                    int e = s;
                    while (image[e] != 0) e++;
                    strings.add(new String(image, s, e - s, StandardCharsets.UTF_8));
                    s = e + 1;
                }
                s++;
            }
            largest = Math.max(largest, s - at);
            out.add(new Read(type, f.getShort(2) & 0xffff, f, strings));
            at = s;
        }
        assertThat(out).hasSize(count);
        assertThat(largest).as("maximum structure size").isEqualTo(max);
        for (int i = 0; i < out.size(); i++) assertThat(out.get(i).handle()).isEqualTo(i);
        assertThat(out.getLast().type()).isEqualTo(127);
        return out;
    }

    static int sum(byte[] b, int off, int len) {
        int s = 0;
        for (int i = off; i < off + len; i++) s += b[i];
        return s & 0xff;
    }

    static List<Read> ofType(List<Read> all, int type) {
        return all.stream().filter(r -> r.type() == type).toList();
    }

    static List<Read> build(ConfigTree cfg, CpuTopology t, long low, long high) {
        return read(SmbiosTables.build(cfg, ID, t, low, high, false, BASE));
    }

    @Test
    void bhyvesDefaultsAndTheUuidWithItsFirstThreeFieldsLittleEndian() {
        List<Read> all = build(new ConfigTree(), new CpuTopology(2, 2, 1, 1), 256L << 20, 0);
        assertThat(all.stream().map(Read::type).toList()).containsExactly(0, 1, 2, 3, 4, 4, 16, 17, 19, 32, 127);
        Read bios = all.getFirst();
        assertThat(bios.strings()).containsExactly("BHYVE", "14.0", "10/17/2021");
        Read system = all.get(1);
        assertThat(system.strings()).containsExactly("FreeBSD", "BHYVE", "1.0", "None", "None", "Virtual Machine");
        byte[] uuid = new byte[16];
        system.formatted().get(8, uuid);
        assertThat(uuid).containsExactly(0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66,
                0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff);
        Read board = all.get(2);
        assertThat(board.formatted().getShort(0x0b)).as("the board's chassis handle").isEqualTo((short) 3);
        assertThat(all.get(4).string(4)).isEqualTo("CPU #0");
        assertThat(all.get(5).string(4)).isEqualTo("CPU #1");
    }

    @Test
    void sysinfoKeysReplaceTheDefaultsAndAnEmptyValueIsNoString() {
        ConfigTree cfg = new ConfigTree();
        cfg.set("chassis.manufacturer", "Dell Inc.");
        cfg.set("chassis.sku", "Type3Sku1");
        cfg.set("board.location", "");
        cfg.set("system.product_name", "Virt-Manager ünicode");
        List<Read> all = build(cfg, new CpuTopology(1, 1, 1, 1), 32L << 20, 0);
        Read chassis = ofType(all, 3).getFirst();
        assertThat(chassis.string(4)).isEqualTo("Dell Inc.");
        assertThat(chassis.string(0x15)).isEqualTo("Type3Sku1");
        assertThat(ofType(all, 2).getFirst().string(0x0a)).isNull();
        assertThat(ofType(all, 1).getFirst().string(5)).isEqualTo("Virt-Manager ünicode");

        cfg.set("system.serial_number", "a\0b");
        assertThatThrownBy(() -> build(cfg, new CpuTopology(1, 1, 1, 1), 32L << 20, 0))
                .isInstanceOf(ConfigException.class).hasMessageContaining("system.serial_number");
        cfg.set("system.serial_number", "x".repeat(70_000));
        assertThatThrownBy(() -> build(cfg, new CpuTopology(1, 1, 1, 1), 32L << 20, 0))
                .isInstanceOf(ConfigException.class).hasMessageContaining("65535");
    }

    @Test
    void memoryDeviceSizesAndMappedRanges() {
        // 3 GiB below 4 GiB and 61 GiB above: 64 GiB in MiB does not fit the 15-bit field (0x7fff means extended).
        List<Read> all = build(new ConfigTree(), new CpuTopology(1, 1, 1, 1), 3L << 30, 61L << 30);
        Read array = ofType(all, 16).getFirst();
        assertThat(array.formatted().getLong(0x0f)).isEqualTo(64L << 30);
        Read device = ofType(all, 17).getFirst();
        assertThat(device.formatted().getShort(0x04) & 0xffff).as("the array's handle").isEqualTo(array.handle());
        assertThat(device.formatted().getShort(0x0c) & 0xffff).isEqualTo(0x7fff);
        assertThat(device.formatted().getInt(0x1c)).isEqualTo(64 * 1024);
        List<Read> ranges = ofType(all, 19);
        assertThat(ranges).hasSize(2);
        assertThat(ranges.get(0).formatted().getInt(0x04)).isZero();
        assertThat(ranges.get(0).formatted().getInt(0x08)).isEqualTo((3 << 20) - 1);
        assertThat(ranges.get(1).formatted().getInt(0x04)).isEqualTo(4 << 20);
        assertThat(ranges.get(1).formatted().getInt(0x08) & 0xffffffffL).isEqualTo((65L << 20) - 1);

        // 2 GiB: in MiB. 512 KiB: in KiB with bit 15 set.
        assertThat(ofType(build(new ConfigTree(), new CpuTopology(1, 1, 1, 1), 2L << 30, 0), 17).getFirst()
                .formatted().getShort(0x0c)).isEqualTo((short) 2048);
        assertThat(ofType(build(new ConfigTree(), new CpuTopology(1, 1, 1, 1), 512L << 10, 0), 17).getFirst()
                .formatted().getShort(0x0c) & 0xffff).isEqualTo(0x8000 | 512);

        // Past 4 TiB the KiB fields cannot hold the end: 0xffffffff, and the 64-bit byte addresses instead.
        Read far = ofType(build(new ConfigTree(), new CpuTopology(1, 1, 1, 1), 3L << 30, 5L << 40), 19).get(1);
        assertThat(far.formatted().getInt(0x04)).isEqualTo(-1);
        assertThat(far.formatted().getLong(0x0f)).isEqualTo(4L << 30);
        assertThat(far.formatted().getLong(0x17)).isEqualTo((4L << 30) + (5L << 40) - 1);
    }

    @Test
    void oneProcessorPerSocketWithItsCoresAndThreads() {
        List<Read> cpus = ofType(build(new ConfigTree(), new CpuTopology(16, 2, 4, 2), 32L << 20, 0), 4);
        assertThat(cpus).hasSize(2);
        ByteBuffer f = cpus.getFirst().formatted();
        assertThat(f.get(0x23)).as("cores").isEqualTo((byte) 4);
        assertThat(f.get(0x24)).as("enabled cores").isEqualTo((byte) 4);
        assertThat(f.get(0x25)).as("threads per socket").isEqualTo((byte) 8);
        assertThat(f.get(0x18)).as("populated, enabled").isEqualTo((byte) 0x41);
        // More threads in a socket than a byte holds: unknown (0).
        ByteBuffer big = ofType(build(new ConfigTree(), new CpuTopology(255, 1, 255, 1), 32L << 20, 0), 4)
                .getFirst().formatted();
        assertThat(big.get(0x23) & 0xff).isEqualTo(255);
        ByteBuffer bigger = ofType(build(new ConfigTree(), new CpuTopology(256, 1, 128, 2), 32L << 20, 0), 4)
                .getFirst().formatted();
        assertThat(bigger.get(0x25)).isZero();
    }

    @Test
    void theBiosStructureSaysVirtualMachineAndUefiWhenBootedThroughIt() {
        byte[] uefi = SmbiosTables.build(new ConfigTree(), ID, new CpuTopology(1, 1, 1, 1), 32L << 20, 0, true, BASE);
        assertThat(read(uefi).getFirst().formatted().get(0x13)).isEqualTo((byte) 0x18);
        assertThat(build(new ConfigTree(), new CpuTopology(1, 1, 1, 1), 32L << 20, 0).getFirst().formatted().get(0x13))
                .isEqualTo((byte) 0x10);
    }
}
