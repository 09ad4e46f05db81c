package org.jbhyve.bhyve.cli;

/**
 * The text {@code bhyve -h} prints to stderr. It keeps bhyve's {@code -X: description} lines:
 * libvirt's bhyve driver probes {@code bhyve -h} for "-u:" (RTC in UTC) and for the absence of the
 * pre-topology "-c vcpus" wording.
 */
final class Usage {
    private Usage() {}

    static String text(String program) {
        String pad = " ".repeat(program.length());
        return "Usage: " + program + " [-aACDeHhIMPSuWwxY]\n"
                + "       " + pad + " [-c [[cpus=]numcpus][,sockets=n][,cores=n][,threads=n]]\n"
                + "       " + pad + " [-f name,(string|file)=data] [-G [w][bind_address:]port]\n"
                + "       " + pad + " [-k config_file] [-K layout] [-l lpcdev[,conf]] [-m mem]\n"
                + "       " + pad + " [-n id=n[,size=mem][,cpus=list][,domain_policy=policy]]\n"
                + "       " + pad + " [-o var=value] [-p vcpu:hostcpu] [-r file] [-s slot,emulation[,conf]]\n"
                + "       " + pad + " [-U uuid] vmname\n"
                + "       " + program + " -l help\n"
                + "       " + program + " -s help\n"
                + "       -a: local APIC in xAPIC mode (the default; deprecated)\n"
                + "       -A: ACPI tables (always generated; accepted for compatibility)\n"
                + "       -C: include guest memory in core files (ignored by jbhyve)\n"
                + "       -c: number of vCPUs and/or the CPU topology\n"
                + "       -D: destroy the VM when the guest powers off\n"
                + "       -e: exit when the guest touches an I/O port nothing emulates\n"
                + "       -f: add a file to the QEMU fw_cfg interface\n"
                + "       -G: start a GDB debug server (refused by jbhyve: no GDB stub yet)\n"
                + "       -H: vmexit from the guest on HLT\n"
                + "       -h: print this help\n"
                + "       -I: ignored (an I/O APIC is always present)\n"
                + "       -k: read name=value settings from a flat config file\n"
                + "       -K: PS/2 keyboard layout (no effect in jbhyve: no framebuffer)\n"
                + "       -l: LPC device configuration ('-l help' lists them)\n"
                + "       -M: monitor mode (ignored by jbhyve)\n"
                + "       -m: memory size (K, M, G, T suffixes; a bare number below 1048576 is MiB)\n"
                + "       -n: NUMA domain specification (checked, then ignored by jbhyve: one domain)\n"
                + "       -o: set config variable 'var' to 'value' (see bhyve_config(5))\n"
                + "       -P: vmexit from the guest on PAUSE\n"
                + "       -p: pin vCPU 'vcpu' to host CPU 'hostcpu'\n"
                + "       -r: resume from a checkpoint file\n"
                + "       -S: wire guest memory (it cannot be swapped)\n"
                + "       -s: <slot,emulation,conf> PCI slot configuration ('-s help' lists emulations)\n"
                + "       -U: UUID in SMBIOS\n"
                + "       -u: RTC keeps UTC time\n"
                + "       -W: force virtio to use single-vector MSI\n"
                + "       -w: ignore unimplemented MSRs (no effect on Linux: KVM handles MSRs)\n"
                + "       -x: local APIC in x2APIC mode (ignored by jbhyve: xAPIC only)\n"
                + "       -Y: disable MP table generation\n";
    }
}
