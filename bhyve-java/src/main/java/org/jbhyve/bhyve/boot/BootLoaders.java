package org.jbhyve.bhyve.boot;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.device.MemoryMap;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Chooses and prepares the boot loader the configuration asks for (keys in package-info). Every
 * problem with the configuration or an image surfaces here as one {@link ConfigException}, before a VM
 * is created.
 */
public final class BootLoaders {
    public static final String KERNEL = "boot.kernel", INITRD = "boot.initrd", CMDLINE = "boot.cmdline";
    /** Newer bhyve reads the top-level keys, older the lpc ones; jbhyve accepts both. */
    public static final String BOOTROM = "bootrom", BOOTVARS = "bootvars";
    public static final String LPC_BOOTROM = "lpc.bootrom", LPC_BOOTVARS = "lpc.bootvars";

    private BootLoaders() {}

    /**
     * The loader for {@code cfg}, prepared for a guest with {@code memoryBytes} of RAM (the VMM must
     * create the VM with the same amount).
     */
    public static BootLoader fromConfig(ConfigTree cfg, long memoryBytes) {
        RamLayout ram = RamLayout.of(memoryBytes);
        Optional<String> kernel = value(cfg, KERNEL);
        Optional<String> initrd = value(cfg, INITRD);
        Optional<String> cmdline = cfg.get(CMDLINE);
        Optional<String> rom = eitherKey(cfg, BOOTROM, LPC_BOOTROM);
        Optional<String> vars = eitherKey(cfg, BOOTVARS, LPC_BOOTVARS);

        if (kernel.isPresent() && rom.isPresent()) {
            throw new ConfigException("both a kernel (" + KERNEL + "=" + kernel.get() + ") and a boot ROM (" + rom.get()
                    + ") are configured; boot one or the other");
        }
        if (vars.isPresent() && rom.isEmpty()) {
            throw new ConfigException("a boot ROM variable store (" + vars.get() + ") is configured without a boot ROM;"
                    + " use -l bootrom,ROM,VARS");
        }
        if (kernel.isEmpty() && (initrd.isPresent() || cmdline.isPresent())) {
            throw new ConfigException((initrd.isPresent() ? INITRD : CMDLINE) + " is set but " + KERNEL
                    + " is not; add -o " + KERNEL + "=PATH");
        }
        try {
            if (rom.isPresent()) return BootRom.prepare(path(rom.get()), vars.map(BootLoaders::path).orElse(null));
            if (kernel.isPresent()) {
                return kernel(path(kernel.get()), initrd.map(BootLoaders::path).orElse(null), cmdline.orElse(""),
                        cfg.getBoolean("acpi_tables", true) ? MemoryMap.ACPI_BASE : 0, ram);
            }
        } catch (IllegalArgumentException e) {
            ConfigException ce = new ConfigException(e.getMessage());
            ce.initCause(e);
            throw ce;
        }
        throw new ConfigException("nothing to boot: jbhyve cannot run bhyveload(8)'s userboot loader, so a guest"
                + " prepared with bhyveload will not start. Boot a kernel directly with -o " + KERNEL
                + "=PATH (an ELF64, multiboot or Linux bzImage kernel; with -o " + INITRD + "=PATH and -o " + CMDLINE
                + "=ARGS for multiboot and Linux), or UEFI firmware with -l bootrom,ROM[,VARS]");
    }

    private static BootLoader kernel(Path kernel, Path initrd, String cmdline, long rsdp, RamLayout ram) {
        byte[] image = ImageFile.read("kernel", kernel, ram.totalBytes(),
                "larger than the guest's " + ram.describe() + " of RAM");
        String name = kernel.toString();
        KernelFormat format = KernelFormat.detect(name, image);
        if (format == KernelFormat.ELF) {
            if (initrd != null || !cmdline.isEmpty()) {
                throw new IllegalArgumentException("cannot boot " + name + " with " + (initrd != null ? INITRD : CMDLINE)
                        + ": it is a plain ELF64 kernel, started in long mode with no way to pass it a command line"
                        + " or an initrd; use a multiboot or Linux bzImage kernel, or drop " + INITRD + " and "
                        + CMDLINE);
            }
            return ElfKernelLoader.prepare(name, image, ram);
        }
        byte[] initrdImage = initrd == null ? null : ImageFile.read("initrd", initrd, ram.lowmemEnd(),
                "larger than the guest's " + ImageFile.human(ram.lowmemEnd()) + " of memory below 4 GiB");
        String initrdName = initrd == null ? null : initrd.toString();
        return format == KernelFormat.MULTIBOOT
                ? MultibootLoader.prepare(name, image, initrdName, initrdImage, cmdline, ram)
                : LinuxLoader.prepare(name, image, initrdName, initrdImage, cmdline, rsdp, ram);
    }

    /** A non-empty value; an empty one is a mistake worth naming rather than a silent "unset". */
    private static Optional<String> value(ConfigTree cfg, String key) {
        Optional<String> v = cfg.get(key);
        if (v.isPresent() && v.get().isEmpty()) throw new ConfigException(key + " is set to an empty path");
        return v;
    }

    private static Optional<String> eitherKey(ConfigTree cfg, String key, String lpcKey) {
        Optional<String> top = value(cfg, key);
        Optional<String> lpc = value(cfg, lpcKey);
        if (top.isPresent() && lpc.isPresent() && !top.get().equals(lpc.get())) {
            throw new ConfigException(key + "=" + top.get() + " and " + lpcKey + "=" + lpc.get()
                    + " disagree; set only one of them");
        }
        return top.isPresent() ? top : lpc;
    }

    private static Path path(String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new ConfigException("'" + value + "' is not a valid path: " + e.getReason());
        }
    }
}
