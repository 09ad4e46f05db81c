package org.jbhyve.bhyve.boot;

import org.jbhyve.bhyve.device.MemoryMap;
import org.jbhyve.bhyve.device.MmioBus;
import org.jbhyve.bhyve.device.MmioHandler;
import org.jbhyve.bhyve.device.Snapshottable;
import org.jbhyve.bhyve.devices.StateReader;
import org.jbhyve.snapshot.format.SnapshotFormatException;
import org.jbhyve.snapshot.format.StateRecord;
import org.jbhyve.vmm.VirtualMachine;
import org.jbhyve.vmm.Vcpu;
import org.jbhyve.vmm.state.Registers;
import org.jbhyve.vmm.state.SpecialRegisters;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.jbhyve.bhyve.boot.ImageFile.hex;

/**
 * UEFI (or any) firmware booted the way bhyve's {@code -l bootrom,ROM[,VARS]} does (bootrom.c): the
 * ROM file, a non-empty multiple of 4 KiB, is mapped read-only with its last byte at 0xffffffff,
 * inside the 16 MiB window below 4 GiB, so the BSP's reset vector (CS base 0xffff0000, IP 0xfff0:
 * the ROM's last 16 bytes) runs it; the optional VARS file sits directly below the ROM as emulated
 * flash ({@link FlashVars}); ROM and VARS together must fit the window. The BSP is left in the reset
 * state the hypervisor gives a new vCPU; {@link #load} refuses to run if something changed it.
 *
 * <p>Guest writes to the ROM reach the VMM as MMIO exits (the slot is read-only); the ROM's MMIO
 * range drops them.
 *
 * <p>In a snapshot ({@code dev.bootrom}): the ROM's size and SHA-256, so that a restore with other
 * firmware is refused, and the variable store's size and flash command state. The store's contents
 * stay in the VARS file, like a disk image's.
 */
public final class BootRom implements BootLoader, Snapshottable {
    public static final long PAGE = 4096;
    private static final long FOUR_GIB = 1L << 32;
    /** Where a vCPU starts after reset: CS selector 0xf000 with base 0xffff0000, IP 0xfff0. */
    static final long RESET_CS_BASE = 0xffff0000L, RESET_RIP = 0xfff0;
    static final int RESET_CS_SELECTOR = 0xf000;

    private final String romName;
    private final byte[] rom;
    private final FlashVars vars;

    private BootRom(String romName, byte[] rom, FlashVars vars) {
        this.romName = romName;
        this.rom = rom;
        this.vars = vars;
    }

    /** Reads the ROM, checks both files' sizes and maps the variable store ({@code vars} may be null). */
    public static BootRom prepare(Path rom, Path vars) {
        byte[] bytes = ImageFile.read("boot ROM", rom, MemoryMap.BOOTROM_WINDOW_SIZE,
                "larger than the " + ImageFile.human(MemoryMap.BOOTROM_WINDOW_SIZE) + " boot ROM window below 4 GiB");
        if (vars != null && sameFile(rom, vars)) {
            // The firmware writes its variables into the store: into the ROM file itself, then, which is
            // usually the one firmware image every VM on the host boots from.
            throw ImageFile.bad("boot ROM variable store", vars, "it is the boot ROM file itself, which the firmware"
                    + " would then write its variables into; give a copy of the variable template (such as"
                    + " BHYVE_UEFI_VARS.fd) for this VM");
        }
        return prepare(rom.toString(), bytes, vars);
    }

    public static BootRom prepare(String romName, byte[] rom, Path vars) {
        if (rom.length == 0 || rom.length > MemoryMap.BOOTROM_WINDOW_SIZE) {
            throw new IllegalArgumentException("cannot use boot ROM " + romName + ": it is " + rom.length
                    + " bytes; a boot ROM must be 4 KiB to 16 MiB");
        }
        if (rom.length % PAGE != 0) {
            throw new IllegalArgumentException("cannot use boot ROM " + romName + ": its size, " + rom.length
                    + " bytes, is not a multiple of 4 KiB (is it really a firmware image?)");
        }
        long romGpa = FOUR_GIB - rom.length;
        FlashVars store = null;
        if (vars != null) {
            long size = varsSize(vars);
            long room = MemoryMap.BOOTROM_WINDOW_SIZE - rom.length;
            if (size < PAGE || size > room) {
                throw ImageFile.bad("boot ROM variable store", vars, "it is " + size + " bytes; with the "
                        + ImageFile.human(rom.length) + " ROM it must be at least 4 KiB and at most "
                        + ImageFile.human(room) + " (ROM and variables share a 16 MiB window)");
            }
            store = FlashVars.open(vars, size, romGpa - size);
        }
        return new BootRom(romName, rom.clone(), store);
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false; // the store's own checks say what is wrong with it
        }
    }

    private static long varsSize(Path vars) {
        try {
            if (!Files.isRegularFile(vars)) {
                throw ImageFile.bad("boot ROM variable store", vars,
                        Files.exists(vars) ? "not a regular file" : "no such file");
            }
            return Files.size(vars);
        } catch (IOException e) {
            throw ImageFile.bad("boot ROM variable store", vars, ImageFile.reason(e));
        }
    }

    /** Guest physical address of the ROM's first byte. */
    public long romAddress() { return FOUR_GIB - rom.length; }

    public long romSize() { return rom.length; }

    /** Guest physical address of the variable store, or -1 without one. */
    public long varsAddress() { return vars == null ? -1 : vars.gpa(); }

    public long varsSize() { return vars == null ? 0 : vars.size(); }

    @Override
    public String describe() {
        return "boot ROM " + romName + " at " + hex(romAddress()) + " (" + ImageFile.human(rom.length) + ")"
                + (vars == null ? "" : ", variables " + vars.path() + " at " + hex(vars.gpa()));
    }

    @Override
    public void load(VirtualMachine vm, MmioBus mmio) {
        requireResetState(vm.vcpu(0));
        attach(vm, mmio);
    }

    /**
     * Maps the ROM below 4 GiB and registers the ROM's and the variable store's MMIO ranges, leaving the
     * vCPUs alone: for a VM being restored, whose firmware is already running. {@link #load} does this
     * after checking the BSP is at the reset vector.
     */
    public void attach(VirtualMachine vm, MmioBus mmio) {
        for (MmioBus.Range r : mmio.ranges()) {
            long base = vars == null ? romAddress() : vars.gpa();
            if (r.end() > base && r.base() < FOUR_GIB) {
                throw new IllegalStateException("cannot map " + describe() + ": MMIO range " + r + " is already there");
            }
        }
        MemorySegment host = vm.mapMemory("bootrom", romAddress(), rom.length, true);
        MemorySegment.copy(rom, 0, host, ValueLayout.JAVA_BYTE, 0, rom.length);
        mmio.register(romAddress(), rom.length, "bootrom", new RomWrites());
        if (vars != null) mmio.register(vars.gpa(), vars.size(), "bootrom variables", vars);
    }

    /** The ROM only runs from the reset vector; a BSP someone else already pointed elsewhere would never reach it. */
    private static void requireResetState(Vcpu bsp) {
        SpecialRegisters s = bsp.getSpecialRegisters();
        Registers r = bsp.getRegisters();
        if (s.cs().base() != RESET_CS_BASE || s.cs().selector() != RESET_CS_SELECTOR || r.rip() != RESET_RIP
                || (s.cr0() & SpecialRegisters.CR0_PE) != 0) {
            throw new IllegalStateException("the boot ROM starts at the reset vector (CS 0xf000 base 0xffff0000, IP"
                    + " 0xfff0, real mode), but the BSP is at CS " + hex(s.cs().selector()) + " base "
                    + hex(s.cs().base()) + ", RIP " + hex(r.rip()) + ", CR0 " + hex(s.cr0())
                    + ": was a kernel loaded as well?");
        }
    }

    // ---- snapshot: which firmware runs, and the variable store's flash command ----
    // The store's contents stay in their file, like a disk image's: a restore maps the file as it is.

    public static final String STATE_NAME = "dev.bootrom";
    static final int STATE_VERSION = 1;

    @Override
    public String stateName() { return STATE_NAME; }

    @Override
    public int stateVersion() { return STATE_VERSION; }

    @Override
    public StateRecord saveState() {
        StateRecord.Builder b = StateRecord.builder()
                .putU64("rom_size", rom.length)
                .putBytes("rom_sha256", sha256(rom))
                .putU64("vars_size", varsSize());
        if (vars != null) b.putU8("vars_command", vars.command());
        return b.build();
    }

    /**
     * The firmware the guest runs must be the one it was saved with (its code runs from the ROM, and its
     * runtime copies in RAM came from it): another ROM, or a store of another size, is refused.
     */
    @Override
    public void restoreState(StateRecord state, int version) throws SnapshotFormatException {
        StateReader r = StateReader.open(this, state, version);
        long size = r.u64("rom_size");
        byte[] hash = r.bytes("rom_sha256");
        if (size != rom.length || !java.util.Arrays.equals(hash, sha256(rom))) {
            throw r.invalid("the boot ROM " + romName + " is not the firmware the snapshot was taken with ("
                    + size + " bytes, SHA-256 " + java.util.HexFormat.of().formatHex(hash) + "; this one: " + rom.length
                    + " bytes, " + java.util.HexFormat.of().formatHex(sha256(rom)) + "): restore with the same ROM file");
        }
        long varsSize = r.u64("vars_size");
        if (varsSize != varsSize()) {
            throw r.invalid("the snapshot's UEFI variable store was " + varsSize + " bytes, this one ("
                    + (vars == null ? "none" : vars.path().toString()) + ") is " + varsSize() + ": give the same VARS file");
        }
        if (vars != null) vars.command(r.u8("vars_command"));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Saves the variable store to its file (see {@link FlashVars#close}). */
    @Override
    public void close() {
        if (vars != null) vars.close();
    }

    /**
     * The ROM's MMIO side: reads only come here on backends that trap them; writes are dropped, as a
     * flash chip in read-array mode ignores them.
     */
    private final class RomWrites implements MmioHandler {
        @Override
        public long read(long address, int size) {
            long off = address - romAddress();
            if (off < 0 || size < 1 || size > 8 || off + size > rom.length) {
                return size >= 8 ? -1L : (1L << (size * 8)) - 1;
            }
            long v = 0;
            for (int i = 0; i < size; i++) v |= (rom[(int) off + i] & 0xffL) << (8 * i);
            return v;
        }

        @Override
        public void write(long address, int size, long value) {
            // Read-only memory: the write has no effect.
        }
    }
}
