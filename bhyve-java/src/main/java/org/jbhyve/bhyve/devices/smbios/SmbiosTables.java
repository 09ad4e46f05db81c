package org.jbhyve.bhyve.devices.smbios;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.config.CpuTopology;

/**
 * The SMBIOS tables bhyve gives its guests (DMTF SMBIOS 2.8): where guests read the system's UUID (Linux's
 * {@code /sys/class/dmi/id/product_uuid}, which systemd and cloud-init use to tell machines apart), its maker
 * and model ({@code dmidecode}), and how much memory it has.
 *
 * <p>One 31-byte entry point ({@code _SM_}, which a guest finds by scanning 0xf0000-0xfffff on 16-byte
 * boundaries) followed by the structure table: BIOS (type 0), system (1), baseboard (2), chassis (3), one
 * processor per socket (4), the memory array (16), one memory device holding all RAM (17), one mapped range
 * for the RAM below 4 GiB and one for the RAM above (19), boot status (32) and the end marker (127). Handles
 * count from 0 in that order.
 *
 * <p>The strings are bhyve's config keys ({@code bios.vendor}, {@code system.product_name}, ... as libvirt's
 * {@code <sysinfo type='smbios'>} sets them), with bhyve's defaults, so a guest moved from bhyve finds the
 * same values. The UUID is {@code -U}'s (or the VM's derived one), stored as SMBIOS 2.6 and later want it:
 * its first three fields little-endian, so the guest prints back the string that was given.
 */
public final class SmbiosTables {
    /** One configurable string: its config key and the value bhyve uses when the key is not set. */
    record Field(String key, String bhyveDefault) {}

    static final Field BIOS_VENDOR = new Field("bios.vendor", "BHYVE");
    static final Field BIOS_VERSION = new Field("bios.version", "14.0");
    static final Field BIOS_RELEASE_DATE = new Field("bios.release_date", "10/17/2021");
    static final Field SYSTEM_MANUFACTURER = new Field("system.manufacturer", "FreeBSD");
    static final Field SYSTEM_PRODUCT = new Field("system.product_name", "BHYVE");
    static final Field SYSTEM_VERSION = new Field("system.version", "1.0");
    static final Field SYSTEM_SERIAL = new Field("system.serial_number", "None");
    static final Field SYSTEM_SKU = new Field("system.sku", "None");
    static final Field SYSTEM_FAMILY = new Field("system.family_name", "Virtual Machine");
    static final Field BOARD_MANUFACTURER = new Field("board.manufacturer", "FreeBSD");
    static final Field BOARD_PRODUCT = new Field("board.product_name", "BHYVE");
    static final Field BOARD_VERSION = new Field("board.version", "1.0");
    static final Field BOARD_SERIAL = new Field("board.serial_number", "None");
    static final Field BOARD_ASSET_TAG = new Field("board.asset_tag", "None");
    static final Field BOARD_LOCATION = new Field("board.location", "None");
    static final Field CHASSIS_MANUFACTURER = new Field("chassis.manufacturer", "FreeBSD");
    static final Field CHASSIS_VERSION = new Field("chassis.version", "1.0");
    static final Field CHASSIS_SERIAL = new Field("chassis.serial_number", "None");
    static final Field CHASSIS_ASSET_TAG = new Field("chassis.asset_tag", "None");
    static final Field CHASSIS_SKU = new Field("chassis.sku", "None");

    static final int ENTRY_POINT_LENGTH = 0x1f;
    /** The entry point takes 32 bytes, so that the structure table after it starts on a 16-byte boundary. */
    static final int ENTRY_POINT_SPACE = 32;
    static final int MAJOR = 2, MINOR = 8;

    static final int TYPE_BIOS = 0, TYPE_SYSTEM = 1, TYPE_BOARD = 2, TYPE_CHASSIS = 3, TYPE_PROCESSOR = 4,
            TYPE_MEMORY_ARRAY = 16, TYPE_MEMORY_DEVICE = 17, TYPE_MAPPED_RANGE = 19, TYPE_BOOT = 32, TYPE_END = 127;

    private static final long KIB = 1024, MIB = 1024 * 1024, FOUR_GIB = 4L << 30;

    private final List<byte[]> structures = new ArrayList<>();
    private int largest;

    private SmbiosTables() {}

    /**
     * Builds the entry point and the structure table for a guest, placed at {@code address} (the entry point;
     * the table follows it).
     *
     * @param uefi whether the guest boots through UEFI firmware (the BIOS structure says so)
     * @throws ConfigException for a string value SMBIOS cannot hold (a NUL byte)
     */
    public static byte[] build(ConfigTree config, UUID uuid, CpuTopology topology, long lowmemBytes,
                               long highmemBytes, boolean uefi, long address) {
        SmbiosTables t = new SmbiosTables();
        t.bios(config, uefi);
        t.system(config, uuid);
        t.board(config);
        t.chassis(config);
        for (int socket = 0; socket < topology.sockets(); socket++) t.processor(socket, topology);
        int array = t.structures.size();
        t.memoryArray(lowmemBytes + highmemBytes);
        t.memoryDevice(array, lowmemBytes + highmemBytes);
        t.mappedRange(array, 0, lowmemBytes);
        if (highmemBytes > 0) t.mappedRange(array, FOUR_GIB, highmemBytes);
        t.add(new Structure(TYPE_BOOT, 0x0b).skip(6).u8(0)); // reserved, then "no errors detected"
        t.add(new Structure(TYPE_END, 4));
        return t.image(address);
    }

    private void bios(ConfigTree config, boolean uefi) {
        Structure s = new Structure(TYPE_BIOS, 0x18);
        s.string(config, BIOS_VENDOR).string(config, BIOS_VERSION)
                .u16(0xf000) // the BIOS's segment
                .string(config, BIOS_RELEASE_DATE)
                .u8(0) // ROM size: 64 KiB
                .u64(1L << 7) // characteristics: PCI
                .u8(0x01) // extension byte 1: ACPI
                .u8(0x10 | (uefi ? 0x08 : 0)) // extension byte 2: a virtual machine; UEFI when booted through it
                .u8(0xff).u8(0xff) // system BIOS release: not given
                .u8(0xff).u8(0xff); // embedded controller firmware: none
        add(s);
    }

    private void system(ConfigTree config, UUID uuid) {
        Structure s = new Structure(TYPE_SYSTEM, 0x1b);
        s.string(config, SYSTEM_MANUFACTURER).string(config, SYSTEM_PRODUCT).string(config, SYSTEM_VERSION)
                .string(config, SYSTEM_SERIAL)
                .bytes(smbiosUuid(uuid))
                .u8(0x06) // woken up by: power switch
                .string(config, SYSTEM_SKU).string(config, SYSTEM_FAMILY);
        add(s);
    }

    private void board(ConfigTree config) {
        Structure s = new Structure(TYPE_BOARD, 0x0f);
        s.string(config, BOARD_MANUFACTURER).string(config, BOARD_PRODUCT).string(config, BOARD_VERSION)
                .string(config, BOARD_SERIAL).string(config, BOARD_ASSET_TAG)
                .u8(0x01) // feature flags: a hosting board (the motherboard)
                .string(config, BOARD_LOCATION)
                .u16(structures.size() + 1) // the chassis it sits in: the next structure
                .u8(0x0a) // board type: motherboard
                .u8(0); // no contained objects
        add(s);
    }

    private void chassis(ConfigTree config) {
        Structure s = new Structure(TYPE_CHASSIS, 0x16);
        s.string(config, CHASSIS_MANUFACTURER)
                .u8(0x02) // type: unknown (bhyve's)
                .string(config, CHASSIS_VERSION).string(config, CHASSIS_SERIAL).string(config, CHASSIS_ASSET_TAG)
                .u8(0x03).u8(0x03).u8(0x03) // boot-up, power supply and thermal state: safe
                .u8(0x03) // security status: none
                .u32(0) // OEM-defined
                .u8(0).u8(0) // height and power cords: unspecified
                .u8(0).u8(0) // no contained elements
                .string(config, CHASSIS_SKU);
        add(s);
    }

    private void processor(int socket, CpuTopology topology) {
        int threadsPerSocket = topology.cores() * topology.threads();
        Structure s = new Structure(TYPE_PROCESSOR, 0x2a);
        s.string("CPU #" + socket)
                .u8(0x03) // central processor
                .u8(0x01) // family: other (see family 2)
                .string("") // manufacturer: not given
                .u64(0) // processor ID (CPUID 1): not given
                .string("") // version
                .u8(0) // voltage: not given
                .u16(0).u16(0).u16(0) // external clock, maximum and current speed: unknown
                .u8(0x41) // socket populated, CPU enabled
                .u8(0x06) // upgrade: none
                .u16(0xffff).u16(0xffff).u16(0xffff) // no L1, L2, L3 cache structures
                .string("").string("").string("") // serial number, asset tag, part number
                .u8(countOrUnknown(topology.cores())).u8(countOrUnknown(topology.cores()))
                .u8(countOrUnknown(threadsPerSocket))
                .u16(0x04) // 64-bit capable
                .u16(0x01); // family 2: other
        add(s);
    }

    /** A count SMBIOS 2.8 holds in a byte: 0 means unknown, so a larger one is given as that. */
    private static int countOrUnknown(int n) {
        return n <= 0xff ? n : 0;
    }

    private void memoryArray(long totalBytes) {
        Structure s = new Structure(TYPE_MEMORY_ARRAY, 0x17);
        s.u8(0x03) // location: system board
                .u8(0x03) // use: system memory
                .u8(0x03) // error correction: none
                .u32(0x80000000L) // maximum capacity: see the extended field
                .u16(0xfffe) // no error information structure
                .u16(1) // memory devices: one (type 17)
                .u64(totalBytes);
        add(s);
    }

    private void memoryDevice(int array, long totalBytes) {
        long mib = totalBytes / MIB;
        int size;
        long extended = 0;
        if (mib == 0) {
            size = 0x8000 | (int) (totalBytes / KIB); // under 1 MiB: in KiB, bit 15 set
        } else if (mib < 0x7fff) {
            size = (int) mib;
        } else {
            size = 0x7fff; // see the extended size
            extended = Math.min(mib, 0x7fffffffL);
        }
        Structure s = new Structure(TYPE_MEMORY_DEVICE, 0x28);
        s.u16(array)
                .u16(0xfffe) // no error information structure
                .u16(0xffff).u16(0xffff) // total and data width: unknown
                .u16(size)
                .u8(0x09) // form factor: DIMM
                .u8(0) // not part of a set
                .string("DIMM 0").string("")
                .u8(0x07) // memory type: RAM
                .u16(0x0004) // type detail: unknown
                .u16(0) // speed: unknown
                .string("").string("").string("").string("") // manufacturer, serial number, asset tag, part number
                .u8(0) // rank: unknown
                .u32(extended)
                .u16(0) // configured speed: unknown
                .u16(0).u16(0).u16(0); // minimum, maximum and configured voltage: unknown
        add(s);
    }

    /** RAM from {@code start}, {@code bytes} long: in KiB when that fits 32 bits, else in the 64-bit byte fields. */
    private void mappedRange(int array, long start, long bytes) {
        long endInclusive = start + bytes - 1;
        boolean kibFits = endInclusive / KIB < 0xffffffffL;
        Structure s = new Structure(TYPE_MAPPED_RANGE, 0x1f);
        s.u32(kibFits ? start / KIB : 0xffffffffL)
                .u32(kibFits ? endInclusive / KIB : 0xffffffffL)
                .u16(array)
                .u8(1) // partition width: one device
                .u64(kibFits ? 0 : start)
                .u64(kibFits ? 0 : endInclusive);
        add(s);
    }

    private void add(Structure s) {
        byte[] b = s.finish(structures.size());
        largest = Math.max(largest, b.length);
        structures.add(b);
    }

    private byte[] image(long address) {
        int tableLength = 0;
        for (byte[] s : structures) tableLength += s.length;
        if (tableLength > 0xffff) {
            throw new ConfigException("the SMBIOS structure table would be " + tableLength + " bytes, more than the "
                    + "65535 it can be: shorten the bios.*, system.*, board.* and chassis.* strings or use fewer sockets");
        }
        long table = address + ENTRY_POINT_SPACE;
        ByteBuffer b = ByteBuffer.allocate(ENTRY_POINT_SPACE + tableLength).order(ByteOrder.LITTLE_ENDIAN);
        b.put("_SM_".getBytes(StandardCharsets.US_ASCII)).put((byte) 0) // checksum, below
                .put((byte) ENTRY_POINT_LENGTH).put((byte) MAJOR).put((byte) MINOR)
                .putShort((short) largest)
                .put((byte) 0) // entry point revision: 2.1's
                .put(new byte[5]) // formatted area
                .put("_DMI_".getBytes(StandardCharsets.US_ASCII)).put((byte) 0) // intermediate checksum, below
                .putShort((short) tableLength).putInt((int) table).putShort((short) structures.size())
                .put((byte) (MAJOR << 4 | MINOR));
        byte[] image = b.array();
        image[0x15] = checksum(image, 0x10, ENTRY_POINT_LENGTH - 0x10);
        image[0x04] = checksum(image, 0, ENTRY_POINT_LENGTH);
        int at = ENTRY_POINT_SPACE;
        for (byte[] s : structures) {
            System.arraycopy(s, 0, image, at, s.length);
            at += s.length;
        }
        return image;
    }

    /** The byte that makes {@code len} bytes from {@code off} sum to 0 (its own place holding 0). */
    private static byte checksum(byte[] b, int off, int len) {
        int sum = 0;
        for (int i = off; i < off + len; i++) sum += b[i];
        return (byte) -sum;
    }

    /** The UUID as SMBIOS 2.6+ stores it: time_low, time_mid and time_hi_and_version little-endian, the rest as is. */
    static byte[] smbiosUuid(UUID uuid) {
        ByteBuffer big = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        byte[] u = big.array();
        byte[] r = u.clone();
        for (int i = 0; i < 4; i++) r[i] = u[3 - i];
        r[4] = u[5];
        r[5] = u[4];
        r[6] = u[7];
        r[7] = u[6];
        return r;
    }

    /** One structure being built: its formatted area, then its strings (numbered from 1; "" is string 0, none). */
    private static final class Structure {
        private final ByteBuffer formatted;
        private final int type;
        private final List<byte[]> strings = new ArrayList<>();

        Structure(int type, int length) {
            this.type = type;
            formatted = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
            formatted.put((byte) type).put((byte) length).putShort((short) 0); // handle, set by finish
        }

        Structure u8(int v) { formatted.put((byte) v); return this; }

        Structure u16(int v) { formatted.putShort((short) v); return this; }

        Structure u32(long v) { formatted.putInt((int) v); return this; }

        Structure u64(long v) { formatted.putLong(v); return this; }

        Structure bytes(byte[] v) { formatted.put(v); return this; }

        Structure skip(int n) { formatted.position(formatted.position() + n); return this; }

        /** A configurable string: the key's value, or bhyve's default. */
        Structure string(ConfigTree config, Field f) {
            String v = config.get(f.key()).orElse(f.bhyveDefault());
            if (v.indexOf('\0') >= 0) {
                throw new ConfigException(f.key() + ": an SMBIOS string cannot hold a NUL character");
            }
            return string(v);
        }

        /** A string's number in the formatted area; an empty one is 0 (SMBIOS: "no string"). */
        Structure string(String v) {
            if (v.isEmpty()) return u8(0);
            strings.add(v.getBytes(StandardCharsets.UTF_8));
            return u8(strings.size());
        }

        byte[] finish(int handle) {
            if (formatted.hasRemaining()) {
                throw new IllegalStateException("SMBIOS type " + type + ": " + formatted.remaining() + " bytes not set");
            }
            formatted.putShort(2, (short) handle);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(formatted.array(), 0, formatted.capacity());
            for (byte[] s : strings) {
                out.write(s, 0, s.length);
                out.write(0);
            }
            if (strings.isEmpty()) out.write(0); // an empty string set is two NULs
            out.write(0);
            return out.toByteArray();
        }
    }
}
