package org.jbhyve.doctor.freebsd;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What the kernel said about the CPU at boot ({@code /var/run/dmesg.boot}, written by rc at every boot).
 * identcpu.c prints a {@code VT-x:} line for a CPU with VMX (prefixed {@code (disabled in BIOS)} when the
 * firmware locked it off; {@code UG} in the list is unrestricted guest), an {@code SVM:} line for a CPU with
 * AMD-V, and {@code Hypervisor: Origin = "..."} when FreeBSD itself runs in a VM.
 */
public record DmesgBoot(Optional<String> vtx, Optional<String> svm, Optional<String> hypervisorOrigin) {

    public static DmesgBoot parse(String text) {
        Optional<String> vtx = Optional.empty(), svm = Optional.empty(), origin = Optional.empty();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (vtx.isEmpty() && line.startsWith("VT-x:")) vtx = Optional.of(line.substring(5).strip());
            else if (svm.isEmpty() && line.startsWith("SVM:")) svm = Optional.of(line.substring(4).strip());
            else if (origin.isEmpty() && line.startsWith("Hypervisor: Origin =")) {
                origin = Optional.of(line.substring("Hypervisor: Origin =".length()).strip().replace("\"", ""));
            }
        }
        return new DmesgBoot(vtx, svm, origin);
    }

    public boolean vtxDisabledInFirmware() {
        return vtx.map(v -> v.contains("(disabled in BIOS)")).orElse(false);
    }

    /** The comma-separated features of the VT-x line, e.g. PAT, HLT, MTF, PAUSE, EPT, UG, VPID. */
    public List<String> vtxFeatures() {
        return vtx.map(v -> Arrays.asList(v.replace("(disabled in BIOS)", "").strip().split(","))).orElse(List.of())
                .stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    public boolean hasVirtualization() {
        return vtx.isPresent() || svm.isPresent();
    }
}
