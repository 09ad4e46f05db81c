package org.jbhyve.bhyve.boot;

import org.jbhyve.bhyve.device.MmioBus;
import org.jbhyve.vmm.VirtualMachine;
import org.jbhyve.vmm.boot.ElfImage;
import org.jbhyve.vmm.boot.LongModeSetup;

import java.nio.file.Path;

import static org.jbhyve.bhyve.boot.ImageFile.hex;

/**
 * A statically linked ELF64 x86-64 kernel entered directly in long mode, bhyveload-style, through
 * vmmapi's {@link ElfImage} and {@link LongModeSetup} (GDT at 0x500, identity map at 0x20000, RSP
 * 0x80000). There is no protocol to hand such a kernel a command line or an initrd.
 */
public final class ElfKernelLoader implements BootLoader {
    private final String name;
    private final ElfImage image;
    private final RamLayout ram;

    private ElfKernelLoader(String name, ElfImage image, RamLayout ram) {
        this.name = name;
        this.image = image;
        this.ram = ram;
    }

    public static ElfKernelLoader prepare(Path kernel, RamLayout ram) {
        byte[] bytes = ImageFile.read("kernel", kernel, ram.totalBytes(),
                "larger than the guest's " + ram.describe() + " of RAM");
        return prepare(kernel.toString(), bytes, ram);
    }

    public static ElfKernelLoader prepare(String name, byte[] bytes, RamLayout ram) {
        ElfImage image = ElfImage.parse(name, bytes);
        // LongModeSetup.boot and ElfImage.load check these too, but only once the VM exists.
        if (image.lowestAddress() < LongModeSetup.STACK_TOP) {
            throw new IllegalArgumentException("bad ELF image " + name + ": it loads at " + hex(image.lowestAddress())
                    + ", below " + hex(LongModeSetup.STACK_TOP) + " where the loader keeps its GDT, page tables and stack");
        }
        for (ElfImage.Segment s : image.segments()) {
            if (!ram.isRam(s.paddr(), s.memSize())) {
                throw new IllegalArgumentException("bad ELF image " + name + ": the segment at " + hex(s.paddr()) + " ("
                        + s.memSize() + " bytes) is not inside guest RAM (" + ram.describe()
                        + "); give the guest more memory (-m)");
            }
        }
        // LongModeSetup's page tables identity-map the low 4 GiB, so the entry's virtual address is
        // also the physical one: its segment must be linked where it is loaded.
        for (ElfImage.Segment s : image.segments()) {
            boolean holdsEntry = image.entry() >= s.vaddr() && image.entry() - s.vaddr() < s.memSize();
            if (holdsEntry && (s.vaddr() != s.paddr() || image.entry() >= 1L << 32)) {
                throw new IllegalArgumentException("bad ELF image " + name + ": entry point " + hex(image.entry())
                        + " is in a segment linked at " + hex(s.vaddr()) + " but loaded at " + hex(s.paddr())
                        + "; the boot page tables only identity-map the low 4 GiB (a multiboot header would let"
                        + " jbhyve start it with paging off)");
            }
        }
        return new ElfKernelLoader(name, image, ram);
    }

    @Override
    public String describe() {
        return "ELF64 kernel " + name + " (entry " + hex(image.entry()) + ", long mode)";
    }

    @Override
    public void load(VirtualMachine vm, MmioBus mmio) {
        ram.requireSameAs(vm.memory(), describe());
        LongModeSetup.boot(image, vm.memory(), vm.vcpu(0));
    }

    public long entryPoint() { return image.entry(); }
}
