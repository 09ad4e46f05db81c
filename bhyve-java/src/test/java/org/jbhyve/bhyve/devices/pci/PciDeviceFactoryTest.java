package org.jbhyve.bhyve.devices.pci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PciDeviceFactoryTest {
    private final PciTestPlatform platform = new PciTestPlatform();
    private final ConfigTree cfg = new ConfigTree();

    @AfterEach
    void close() {
        platform.close();
    }

    @Test
    void knowsThePlatformDevicesByBhyveName() {
        PciDeviceFactory f = PciDeviceFactory.standard();
        assertThat(f.emulations()).containsExactly("amd_hostbridge", "hostbridge", "lpc", "virtio-blk", "virtio-console", "virtio-net", "virtio-rnd");
        PciDevice hb = f.create("hostbridge", cfg, "pci.0.0.0", PciAddress.of(0, 0, 0), platform);
        PciDevice amd = f.create("amd_hostbridge", cfg, "pci.0.0.0", PciAddress.of(0, 0, 0), platform);
        PciDevice lpc = f.create("lpc", cfg, "pci.0.31.0", PciAddress.fromNode("pci.0.31.0"), platform);
        assertThat(hb).isInstanceOf(HostBridge.class);
        assertThat(amd.configRegister(PciRegisters.VENDOR, 2)).isEqualTo(HostBridge.AMD_VENDOR);
        assertThat(lpc).isInstanceOf(LpcBridge.class);
        assertThat(lpc.address()).isEqualTo(PciAddress.of(0, 31, 0));
    }

    @Test
    void unknownNamesAreConfigErrors() {
        assertThatThrownBy(() -> PciDeviceFactory.standard().create("virtio-gpu", cfg, "pci.0.3.0", PciAddress.of(0, 3, 0), platform))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown device \"virtio-gpu\"")
                .hasMessageContaining("0:3:0");
    }

    @Test
    void otherPackagesRegisterTheirModelsOnce() {
        PciDeviceFactory f = PciDeviceFactory.standard()
                .register("test", (c, node, addr, p) -> new TestPciDevice(addr, p));
        assertThat(f.knows("test")).isTrue();
        assertThat(f.create("test", cfg, "pci.0.4.0", PciAddress.of(0, 4, 0), platform).name()).isEqualTo("test@pci.0.4.0");
        assertThatThrownBy(() -> f.register("lpc", LpcBridge::create)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void configNodesParseToAddresses() {
        assertThat(PciAddress.fromNode("pci.2.31.7")).isEqualTo(PciAddress.of(2, 31, 7));
        assertThat(PciAddress.of(0, 3, 1).node()).isEqualTo("pci.0.3.1");
        for (String bad : new String[] {"pci.0.32.0", "pci.0.3", "pcie.0.3.0", "pci.0.x.0", "pci.256.0.0", "pci.0.0.8"}) {
            assertThatThrownBy(() -> PciAddress.fromNode(bad)).as(bad).isInstanceOf(ConfigException.class);
        }
    }
}
