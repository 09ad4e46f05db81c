package org.jbhyve.testguests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TestGuestsTest {

    private static final long LOW = 0x10_0000L;  // 1 MiB
    private static final long HIGH = 0x40_0000L; // 4 MiB

    private static final int PT_LOAD = 1;
    private static final int ET_EXEC = 2;
    private static final int EM_X86_64 = 62;
    private static final int EM_386 = 3;
    private static final int MULTIBOOT_MAGIC = 0x1BADB002;

    record Segment(int type, int flags, long offset, long vaddr, long paddr, long filesz, long memsz) {}

    record Elf(int type, int machine, long entry, List<Segment> segments) {
        List<Segment> loads() {
            return segments.stream().filter(s -> s.type() == PT_LOAD).toList();
        }
    }

    /** Parses the ELF64 little-endian header and program headers, checking the identification. */
    static Elf parse(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(file.length).as("file size").isGreaterThanOrEqualTo(64);
        assertThat(new byte[] {file[0], file[1], file[2], file[3]})
                .as("ELF magic").containsExactly(0x7f, 'E', 'L', 'F');
        assertThat(file[4]).as("EI_CLASS (ELFCLASS64)").isEqualTo((byte) 2);
        assertThat(file[5]).as("EI_DATA (little-endian)").isEqualTo((byte) 1);
        assertThat(file[6]).as("EI_VERSION").isEqualTo((byte) 1);
        int type = Short.toUnsignedInt(b.getShort(16));
        int machine = Short.toUnsignedInt(b.getShort(18));
        long entry = b.getLong(24);
        long phoff = b.getLong(32);
        int phentsize = Short.toUnsignedInt(b.getShort(54));
        int phnum = Short.toUnsignedInt(b.getShort(56));
        assertThat(phentsize).as("e_phentsize").isEqualTo(56);
        assertThat(phoff + (long) phnum * phentsize).as("end of program headers").isLessThanOrEqualTo(file.length);
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            int p = (int) (phoff + (long) i * phentsize);
            segments.add(new Segment(b.getInt(p), b.getInt(p + 4), b.getLong(p + 8), b.getLong(p + 16),
                    b.getLong(p + 24), b.getLong(p + 32), b.getLong(p + 40)));
        }
        return new Elf(type, machine, entry, segments);
    }

    /** Parses an ELF32 little-endian header and its program headers (the multiboot guest). */
    static Elf parse32(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(file.length).as("file size").isGreaterThanOrEqualTo(52);
        assertThat(new byte[] {file[0], file[1], file[2], file[3]})
                .as("ELF magic").containsExactly(0x7f, 'E', 'L', 'F');
        assertThat(file[4]).as("EI_CLASS (ELFCLASS32)").isEqualTo((byte) 1);
        assertThat(file[5]).as("EI_DATA (little-endian)").isEqualTo((byte) 1);
        assertThat(file[6]).as("EI_VERSION").isEqualTo((byte) 1);
        int type = Short.toUnsignedInt(b.getShort(16));
        int machine = Short.toUnsignedInt(b.getShort(18));
        long entry = Integer.toUnsignedLong(b.getInt(24));
        long phoff = Integer.toUnsignedLong(b.getInt(28));
        int phentsize = Short.toUnsignedInt(b.getShort(42));
        int phnum = Short.toUnsignedInt(b.getShort(44));
        assertThat(phentsize).as("e_phentsize").isEqualTo(32);
        assertThat(phoff + (long) phnum * phentsize).as("end of program headers").isLessThanOrEqualTo(file.length);
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            int p = (int) (phoff + (long) i * phentsize);
            segments.add(new Segment(b.getInt(p), b.getInt(p + 24), Integer.toUnsignedLong(b.getInt(p + 4)),
                    Integer.toUnsignedLong(b.getInt(p + 8)), Integer.toUnsignedLong(b.getInt(p + 12)),
                    Integer.toUnsignedLong(b.getInt(p + 16)), Integer.toUnsignedLong(b.getInt(p + 20))));
        }
        return new Elf(type, machine, entry, segments);
    }

    /** Checks what every guest's PT_LOAD segments must satisfy, whatever its class. */
    static void assertLoadable(Elf elf, byte[] file) {
        assertThat(elf.type()).as("e_type").isEqualTo(ET_EXEC);
        assertThat(elf.loads()).as("PT_LOAD segments").isNotEmpty();
        for (Segment s : elf.loads()) {
            assertThat(s.paddr()).as("p_paddr == p_vaddr").isEqualTo(s.vaddr());
            assertThat(s.vaddr()).as("segment start").isGreaterThanOrEqualTo(LOW);
            assertThat(s.vaddr() + s.memsz()).as("segment end").isLessThanOrEqualTo(HIGH);
            assertThat(s.filesz()).as("p_filesz <= p_memsz").isLessThanOrEqualTo(s.memsz());
            assertThat(s.offset() + s.filesz()).as("segment bytes inside the file").isLessThanOrEqualTo(file.length);
        }
        assertThat(elf.loads())
                .as("a PT_LOAD segment holding the entry point %#x in its file bytes", elf.entry())
                .anySatisfy(s -> assertThat(elf.entry()).isGreaterThanOrEqualTo(s.vaddr()).isLessThan(s.vaddr() + s.filesz()));
    }

    /** The file bytes that a loader puts at guest-physical {@code address}, or -1 if none. */
    static long fileOffsetOf(Elf elf, long address) {
        for (Segment s : elf.loads()) {
            if (address >= s.vaddr() && address < s.vaddr() + s.filesz()) {
                return s.offset() + (address - s.vaddr());
            }
        }
        return -1;
    }

    @Test
    void namesListsEveryExpectedGuest() {
        assertThat(TestGuests.names()).contains("serial", "mmio", "irq", "smp", "spin", "regs",
                "multiboot", "pcienum", "rtc", "acpi", "uartirq", "demo", "smptick");
    }

    @ParameterizedTest
    @ValueSource(strings = {"serial", "mmio", "irq", "smp", "spin", "regs", "pcienum", "rtc", "acpi", "uartirq", "demo", "smptick"})
    void guestIsALoadableElf64X86_64Executable(String name) throws IOException {
        Path path = TestGuests.path(name);
        assertThat(path).isRegularFile();
        byte[] file = Files.readAllBytes(path);
        Elf elf = parse(file);

        assertThat(elf.machine()).as("e_machine").isEqualTo(EM_X86_64);
        assertLoadable(elf, file);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "serial=Hello from the jbhyve serial guest\n",
        "serial=resumed\n",
        "mmio=read ",
        "irq=timeout waiting for irq ",
        "irq=irqs=",
        "smp=hello from cpu ",
        "smp=cpus=2\n",
        "smp=ap did not start\n",
        "spin=spinning\n",
        "regs=rbx=",
        "regs= r12=",
        "multiboot=multiboot magic=",
        "multiboot=mem_lower=",
        "multiboot= mem_upper=",
        "multiboot=cmdline=",
        "multiboot=mmap entries=",
        "multiboot= ram=",
        "multiboot=bootloader=",
        "pcienum=pci 00:",
        "pcienum= class ",
        "pcienum=  bar",
        "pcienum= base ",
        "pcienum= size ",
        "pcienum=mem64",
        "pcienum=ecam ok\n",
        "pcienum=ecam mismatch ",
        "pcienum=pci functions=",
        "rtc=rtc 20",
        "rtc=nvram mem16m=",
        "rtc= mem4g=",
        "rtc=nvram rw ok\n",
        "acpi=rsdp at ",
        "acpi= rev ",
        "acpi=table ",
        "acpi= bad-checksum",
        "acpi=madt cpus=",
        "acpi=madt ioapics=",
        "acpi=fadt pm1a_cnt=",
        "acpi=mptable ok cpus=",
        "acpi=acpi ok\n",
        "acpi=acpi failed\n",
        "uartirq=uart ready\n",
        "uartirq=got ",
        "uartirq=irqs rx=",
        "uartirq=uart timeout\n",
        "demo=jbhyve demo guest\n",
        "demo=type 'q' or press the power button (SIGTERM) to power off\n",
        "demo=tick ",
        "demo=powering off\n",
        "demo=power button pressed\n",
        "demo=poweroff failed\n",
    })
    void guestContainsTheTextItPrints(String spec) throws IOException {
        String name = spec.substring(0, spec.indexOf('='));
        String text = spec.substring(spec.indexOf('=') + 1);
        String file = new String(Files.readAllBytes(TestGuests.path(name)), StandardCharsets.ISO_8859_1);
        assertThat(file).contains(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"virtioblk", "virtiornd", "virtiocon", "virtionet"})
    void virtioGuestsAreLoadableElf64X86_64Executables(String name) throws IOException {
        assertThat(TestGuests.names()).contains(name);
        guestIsALoadableElf64X86_64Executable(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "virtioblk=blk capacity ",
        "virtioblk= queue ",
        "virtioblk=blk id ",
        "virtioblk=blk ok\n",
        "virtioblk=blk fail ",
        "virtiornd=rnd ok\n",
        "virtiornd=rnd fail ",
        "virtiocon=con port ",
        "virtiocon= name ",
        "virtiocon=con port 0 open\n",
        "virtiocon=hello from virtio-console\n",
        "virtiocon=con got ",
        "virtiocon=con ok\n",
        "virtiocon=con fail ",
        "virtionet=net mac ",
        "virtionet=net got ",
        "virtionet=pong from guest",
        "virtionet=net ok\n",
        "virtionet=net fail ",
    })
    void virtioGuestsContainTheTextTheyPrint(String spec) throws IOException {
        guestContainsTheTextItPrints(spec);
    }

    @Test
    void virtioBlkPatternIsTheGuestsFormula() {
        assertThat(TestGuests.VIRTIOBLK_SECTOR).isEqualTo(2);
        assertThat(TestGuests.virtioBlkPattern(0)).isEqualTo((byte) 1);
        assertThat(TestGuests.virtioBlkPattern(100)).isEqualTo((byte) 301);
    }

    @Test
    void multibootIsAnElf32MultibootKernel() throws IOException {
        byte[] file = Files.readAllBytes(TestGuests.path(TestGuests.MULTIBOOT_GUEST));
        Elf elf = parse32(file);
        assertThat(elf.machine()).as("e_machine").isEqualTo(EM_386);
        assertLoadable(elf, file);

        // The Multiboot header: 4-byte aligned, within the first 8 KiB of the file.
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int found = -1;
        for (int off = 0; off + 12 <= Math.min(file.length, 8192); off += 4) {
            if (b.getInt(off) == MULTIBOOT_MAGIC) {
                found = off;
                break;
            }
        }
        int at = found;
        assertThat(at).as("offset of the Multiboot header").isNotNegative();
        int flags = b.getInt(at + 4);
        assertThat(b.getInt(at) + flags + b.getInt(at + 8)).as("magic + flags + checksum").isZero();
        assertThat(flags & 0x3).as("flags: page-align modules (bit 0), memory information (bit 1)").isEqualTo(0x3);
        assertThat(flags & 0x10000).as("flags bit 16 (a.out kludge)").isZero();
        assertThat(elf.loads())
                .as("the header is loaded too (inside a PT_LOAD segment's file bytes)")
                .anySatisfy(s -> assertThat((long) at).isGreaterThanOrEqualTo(s.offset()).isLessThan(s.offset() + s.filesz()));
    }

    @Test
    void demoKeepsItsTickCounterAtTheDocumentedAddress() throws IOException {
        byte[] file = Files.readAllBytes(TestGuests.path("demo"));
        Elf elf = parse(file);
        long counter = fileOffsetOf(elf, TestGuests.DEMO_TICKS_ADDRESS);
        long magic = fileOffsetOf(elf, TestGuests.DEMO_MAGIC_ADDRESS);
        assertThat(counter).as("file offset of the counter at %#x", TestGuests.DEMO_TICKS_ADDRESS).isNotNegative();
        assertThat(magic).as("file offset of the magic at %#x", TestGuests.DEMO_MAGIC_ADDRESS).isNotNegative();
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getLong((int) counter)).as("initial tick counter").isZero();
        byte[] expected = (TestGuests.DEMO_MAGIC + "\0").getBytes(StandardCharsets.US_ASCII);
        byte[] actual = new byte[expected.length];
        System.arraycopy(file, (int) magic, actual, 0, actual.length);
        assertThat(actual).as("magic").isEqualTo(expected);
    }

    @Test
    void unknownGuestNamesTheGuestAndTheKnownOnes() {
        assertThatThrownBy(() -> TestGuests.path("no-such-guest"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-such-guest")
                .hasMessageContaining("serial")
                .hasMessageContaining("smp");
        assertThatThrownBy(() -> TestGuests.path("../serial"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("../serial");
    }

    @Test
    void pathIsStable() {
        assertThat(TestGuests.path("spin")).isEqualTo(TestGuests.path("spin"));
    }

    @Test
    void guestInsideAJarIsCopiedToATemporaryFile(@TempDir Path dir) throws IOException {
        byte[] bytes = Files.readAllBytes(TestGuests.path("serial"));
        Path jar = dir.resolve("guests.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            j.putNextEntry(new JarEntry(TestGuests.RESOURCE_DIR + "serial.elf"));
            j.write(bytes);
            j.closeEntry();
        }
        URI uri = URI.create("jar:" + jar.toUri() + "!/" + TestGuests.RESOURCE_DIR + "serial.elf");

        Path extracted = TestGuests.resolve(uri.toURL(), "serial");

        assertThat(extracted).isRegularFile().isNotEqualTo(jar);
        assertThat(extracted.getFileName().toString()).startsWith("jbhyve-guest-serial-").endsWith(".elf");
        assertThat(Files.readAllBytes(extracted)).isEqualTo(bytes);
    }

    @Test
    void blkloopIsALoadableElf64X86_64Executable() throws IOException {
        assertThat(TestGuests.names()).contains("blkloop");
        guestIsALoadableElf64X86_64Executable("blkloop");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "blkloop=blkloop ready\n",
        "blkloop=wrote ",
        "blkloop=blkloop fail ",
        "blkloop= at ",
    })
    void blkloopContainsTheTextItPrints(String spec) throws IOException {
        guestContainsTheTextItPrints(spec);
    }

    @Test
    void blkLoopSectorAndPatternAreTheGuestsFormula() {
        assertThat(TestGuests.BLKLOOP_SECTORS).isEqualTo(64);
        assertThat(TestGuests.blkLoopSector(0)).isEqualTo(1);
        assertThat(TestGuests.blkLoopSector(63)).isEqualTo(64);
        assertThat(TestGuests.blkLoopSector(64)).isEqualTo(1);
        byte[] p = TestGuests.blkLoopPattern(0x0102);
        assertThat(p).hasSize(512);
        assertThat(ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN).getLong(504)).isEqualTo(0x0102);
        assertThat(p[0]).isEqualTo((byte) 2);
        assertThat(p[1]).isEqualTo((byte) 1);
        assertThat(p[2]).isZero();
    }

    @Test
    void dirtyIsALoadableElf64X86_64Executable() throws IOException {
        assertThat(TestGuests.names()).contains("dirty");
        guestIsALoadableElf64X86_64Executable("dirty");
        assertThat(TestGuests.DIRTY_BASE).isEqualTo(16L << 20);
        assertThat(TestGuests.DIRTY_PAGES).isEqualTo(1024);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "dirty=dirty ready\n",
        "dirty=dirty highmem\n",
        "dirty=dirty pass ",
        "dirty=dirty bad page ",
        "dirty= expected ",
    })
    void dirtyContainsTheTextItPrints(String spec) throws IOException {
        guestContainsTheTextItPrints(spec);
    }

    @Test
    void dirtySmpIsALoadableElf64X86_64Executable() throws IOException {
        assertThat(TestGuests.names()).contains("dirtysmp");
        guestIsALoadableElf64X86_64Executable("dirtysmp");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "dirtysmp=dirtysmp ready\n",
        "dirtysmp=dirty",
        "dirtysmp=ap",
        "dirtysmp= pass ",
        "dirtysmp=dirty bad page ",
        "dirtysmp=ap did not start\n",
    })
    void dirtySmpContainsTheTextItPrints(String spec) throws IOException {
        guestContainsTheTextItPrints(spec);
    }

    @Test
    void touchGuestsAreListed() {
        assertThat(TestGuests.names()).contains("touch", TestGuests.TOUCH_MULTIBOOT_GUEST);
        assertThat(TestGuests.TOUCH_BASE).isEqualTo(16L << 20);
        assertThat(TestGuests.TOUCH_DEFAULT_MIB).isEqualTo(256);
    }

    @Test
    void touchIsALoadableElf64X86_64Executable() throws IOException {
        guestIsALoadableElf64X86_64Executable("touch");
    }

    @Test
    void touchMbIsAnElf32MultibootKernelLikeMultiboot() throws IOException {
        byte[] file = Files.readAllBytes(TestGuests.path(TestGuests.TOUCH_MULTIBOOT_GUEST));
        Elf elf = parse32(file);
        assertThat(elf.machine()).as("e_machine").isEqualTo(EM_386);
        assertLoadable(elf, file);
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int at = -1;
        for (int off = 0; off + 12 <= Math.min(file.length, 8192) && at < 0; off += 4) {
            if (b.getInt(off) == MULTIBOOT_MAGIC) at = off;
        }
        assertThat(at).as("offset of the Multiboot header in the first 8 KiB").isNotNegative();
        int flags = b.getInt(at + 4);
        assertThat(b.getInt(at) + flags + b.getInt(at + 8)).as("magic + flags + checksum").isZero();
        assertThat(flags).as("flags: page-align modules, memory information, no a.out kludge").isEqualTo(0x3);
        int header = at;
        assertThat(elf.loads()).as("the header is inside a PT_LOAD segment's file bytes").anySatisfy(s ->
                assertThat((long) header).isGreaterThanOrEqualTo(s.offset()).isLessThan(s.offset() + s.filesz()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "touch=touch ",
        "touch= MiB from 16 MiB (",
        "touch=default",
        "touch=touched ",
        "touch=clamped to ",
        "touch= MiB: RAM ends at ",
        "touch=tick ",
        "touch-mb=touch=",
        "touch-mb=touch ",
        "touch-mb= MiB from 16 MiB (",
        "touch-mb=cmdline",
        "touch-mb=default",
        "touch-mb=touched ",
        "touch-mb=clamped to ",
        "touch-mb=tick ",
        "touch-mb=exception ",
        "touch-mb=touch-mb: not loaded by a Multiboot loader (eax=",
    })
    void touchGuestsContainTheTextTheyPrint(String spec) throws IOException {
        guestContainsTheTextItPrints(spec);
    }
}
