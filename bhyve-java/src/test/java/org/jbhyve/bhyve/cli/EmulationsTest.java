package org.jbhyve.bhyve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EmulationsTest {
    @Test
    void everyEmulationOfBhyve8IsKnown() {
        assertThat(Emulations.pci()).extracting(Emulations.Pci::name).containsExactly("hostbridge", "amd_hostbridge",
                "passthru", "virtio-net", "virtio-blk", "virtio-scsi", "virtio-9p", "virtio-rnd", "virtio-console",
                "virtio-input", "ahci", "ahci-cd", "ahci-hd", "e1000", "uart", "lpc", "fbuf", "xhci", "nvme", "hda");
        assertThat(Emulations.lpc()).extracting(Emulations.Lpc::name).containsExactly("bootrom", "com1", "com2", "com3",
                "com4", "tpm", "pc-testdev", "fwcfg", "debug-exit");
        assertThat(Emulations.pci()).allSatisfy(e -> assertThat(e.description()).isNotBlank().doesNotContain("\n"));
    }

    @Test
    void aliasesAreWrittenUnderTheEmulationBhyveStores() {
        assertThat(Emulations.findPci("ahci-hd").orElseThrow().deviceValue()).isEqualTo("ahci");
        assertThat(Emulations.findPci("ahci-cd").orElseThrow().deviceValue()).isEqualTo("ahci");
        assertThat(Emulations.findPci("amd_hostbridge").orElseThrow().deviceValue()).isEqualTo("hostbridge");
        assertThat(Emulations.findPci("nvme").orElseThrow().deviceValue()).isEqualTo("nvme");
    }

    @Test
    void lookups() {
        assertThat(Emulations.findPci("Hostbridge")).isEmpty();
        assertThat(Emulations.findLpc("COM1")).map(Emulations.Lpc::name).contains("com1");
        assertThat(Emulations.findLpc("com5")).isEmpty();
        assertThat(Emulations.findPci("hostbridge").orElseThrow().implemented()).isTrue();
        assertThat(Emulations.findPci("uart").orElseThrow().implemented()).isFalse();
    }
}
