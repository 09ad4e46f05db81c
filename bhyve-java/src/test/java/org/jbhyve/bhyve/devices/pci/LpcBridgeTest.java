package org.jbhyve.bhyve.devices.pci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jbhyve.bhyve.devices.pci.PciRegisters.*;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LpcBridgeTest {
    private final PciTestPlatform platform = new PciTestPlatform();
    private final PciBus bus = new PciBus(platform, PciBus.Options.directBoot(platform.memory()));
    private final ConfigTree cfg = new ConfigTree();

    @AfterEach
    void close() {
        platform.close();
    }

    @Test
    void isAnIntelIsaBridgeWithPirqRegistersAndNoBars() {
        PciAddress at = PciAddress.of(0, 31, 0);
        LpcBridge lpc = new LpcBridge(cfg, at.node(), at, platform);
        bus.add(lpc);
        bus.realize();
        assertThat(lpc.name()).isEqualTo("lpc@pci.0.31.0");
        assertThat(platform.cfgRead(at, VENDOR, 4)).isEqualTo(0x7000 << 16 | 0x8086);
        assertThat(platform.cfgRead(at, REVISION, 4)).isEqualTo(0x06010000);
        assertThat(platform.cfgRead(at, SUBSYSTEM_VENDOR, 4)).isZero();
        assertThat(lpc.bars()).isEmpty();
        assertThat(platform.cfgRead(at, LpcBridge.PIRQ_A_TO_D, 4)).isEqualTo(0x80808080);
        assertThat(platform.cfgRead(at, LpcBridge.PIRQ_E_TO_H, 4)).isEqualTo(0x80808080);
        assertThat(platform.cfgRead(at, 0x64, 4)).as("between the two blocks").isZero();
        platform.cfgWrite(at, LpcBridge.PIRQ_E_TO_H + 2, 2, 0x0b0a);
        assertThat(bus.intx().pirqIrq(7)).isEqualTo(10);
        assertThat(bus.intx().pirqIrq(8)).isEqualTo(11);
        assertThat(platform.cfgRead(at, LpcBridge.PIRQ_E_TO_H, 4)).isEqualTo(0x0b0a8080);
    }

    @Test
    void idsComeFromPciregKeys() {
        String node = "pci.0.1.0";
        cfg.set(node + ".pcireg.vendor", "1022");
        cfg.set(node + ".pcireg.device", "790e");
        cfg.set(node + ".pcireg.revid", "51");
        cfg.set(node + ".pcireg.subvendor", "0x15d9");
        cfg.set(node + ".pcireg.subdevice", "1b97");
        LpcBridge lpc = new LpcBridge(cfg, node, PciAddress.of(0, 1, 0), platform);
        assertThat(lpc.configRegister(VENDOR, 4)).isEqualTo(0x790e << 16 | 0x1022);
        assertThat(lpc.configRegister(REVISION, 1)).isEqualTo(0x51);
        assertThat(lpc.configRegister(SUBSYSTEM_VENDOR, 4)).isEqualTo(0x1b97 << 16 | 0x15d9);
    }

    @Test
    void mustBeOnBusZero() {
        PciAddress at = PciAddress.of(1, 31, 0);
        assertThatThrownBy(() -> new LpcBridge(cfg, at.node(), at, platform))
                .isInstanceOf(ConfigException.class).hasMessageContaining("bus 0");
    }

    @Test
    void onlyOneIsAllowed() {
        bus.add(new LpcBridge(cfg, "pci.0.31.0", PciAddress.of(0, 31, 0), platform));
        LpcBridge second = new LpcBridge(cfg, "pci.0.30.0", PciAddress.of(0, 30, 0), platform);
        assertThatThrownBy(() -> bus.add(second))
                .isInstanceOf(ConfigException.class).hasMessageContaining("only one LPC bridge");
        assertThat(bus.devices()).hasSize(1);
    }

    @Test
    void reservesTheComPortIrqsSoPciStaysOffThem() {
        bus.add(new LpcBridge(cfg, "pci.0.31.0", PciAddress.of(0, 31, 0), platform));
        assertThatThrownBy(() -> bus.intx().useIsaIrq(4)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> bus.intx().useIsaIrq(3)).isInstanceOf(IllegalStateException.class);
        bus.intx().useIsaIrq(5);
    }
}
