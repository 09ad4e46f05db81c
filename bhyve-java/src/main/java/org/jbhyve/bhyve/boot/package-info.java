/**
 * Boot loaders: how a guest gets started, since jbhyve cannot run bhyveload(8)'s userboot.so.
 *
 * <h2>Configuration keys</h2>
 * <ul>
 *   <li>{@code boot.kernel=PATH} (jbhyve) — a kernel started directly. Its format is found from its
 *       content: a valid Multiboot v1 header in the first 8 KiB → {@link org.jbhyve.bhyve.boot.MultibootLoader}
 *       (a.out kludge, ELF32 or ELF64); {@code "HdrS"} at offset 0x202 → {@link org.jbhyve.bhyve.boot.LinuxLoader}
 *       (bzImage, boot protocol 2.06+); otherwise an ELF64 executable entered in long mode →
 *       {@link org.jbhyve.bhyve.boot.ElfKernelLoader}.</li>
 *   <li>{@code boot.initrd=PATH} (jbhyve) — Linux: the initramfs; multiboot: module 0, whose string is
 *       the path. Not for plain ELF kernels.</li>
 *   <li>{@code boot.cmdline=STRING} (jbhyve) — the kernel command line (multiboot kernels get
 *       {@code "PATH STRING"}, as from GRUB and QEMU). Not for plain ELF kernels.</li>
 *   <li>{@code bootrom=ROM} / {@code bootvars=VARS} (bhyve; {@code lpc.bootrom} / {@code lpc.bootvars}
 *       in older bhyve, both accepted) — firmware at the top of 4 GiB and its variable store, set by
 *       {@code -l bootrom,ROM[,VARS]} → {@link org.jbhyve.bhyve.boot.BootRom}.</li>
 * </ul>
 * A kernel and a boot ROM together, a variable store without a ROM, an initrd or command line without
 * a kernel, or nothing at all are configuration errors.
 *
 * <h2>For the VMM</h2>
 * {@link org.jbhyve.bhyve.boot.BootLoaders#fromConfig} (checks everything, before the VM exists) →
 * create the VM with that RAM size → {@link org.jbhyve.bhyve.boot.BootLoader#load} → run the vCPUs →
 * {@link org.jbhyve.bhyve.boot.BootLoader#close} at shutdown (saves the UEFI variables). A VM
 * restored from a snapshot needs no loader.
 */
package org.jbhyve.bhyve.boot;
