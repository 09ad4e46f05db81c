package org.jbhyve.bhyve.devices.pci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jbhyve.bhyve.devices.pci.PciRegisters.*;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HostBridgeTest {
    private static final String NODE = "pci.0.0.0";
    private final PciTestPlatform platform = new PciTestPlatform();
    private final PciBus bus = new PciBus(platform, PciBus.Options.directBoot(platform.memory()));
    private final PciAddress at = PciAddress.of(0, 0, 0);
    private final ConfigTree cfg = new ConfigTree();

    @AfterEach
    void close() {
        platform.close();
    }

    private void realize(PciDevice d) {
        bus.add(d);
        bus.realize();
    }

    @Test
    void looksLikeBhyvesNetAppHostBridgeWithARootPortPcieCapability() {
        HostBridge hb = HostBridge.create(cfg, NODE, at, platform);
        realize(hb);
        assertThat(hb.name()).isEqualTo("hostbridge@pci.0.0.0");
        assertThat(platform.cfgRead(at, VENDOR, 4)).isEqualTo(0x12751275);
        assertThat(platform.cfgRead(at, REVISION, 4)).isEqualTo(0x06000000);
        assertThat(platform.cfgRead(at, HEADER_TYPE, 1)).isZero();
        assertThat(platform.cfgRead(at, INTERRUPT_LINE, 2)).isEqualTo(INTERRUPT_LINE_NONE);
        assertThat(hb.bars()).isEmpty();
        assertThat(platform.cfgRead(at, COMMAND, 2)).isEqualTo(COMMAND_BUS_MASTER);

        assertThat(platform.cfgRead(at, CAPABILITIES_POINTER, 1)).isEqualTo(0x40);
        assertThat(platform.cfgRead(at, 0x40, 4)).isEqualTo(0x0042 << 16 | CAP_ID_PCIE); // v2, root port, last
        assertThat(platform.cfgRead(at, 0x40 + 12, 4)).isEqualTo(0x411);
        assertThat(platform.cfgRead(at, 0x40 + 18, 2)).isEqualTo(0x11);
        assertThat(platform.cfgRead(at, 0x40 + PcieCapability.LENGTH, 4)).isZero();
    }

    @Test
    void thePcieCapabilityKeepsItsReadOnlyPartsAndTakesControlWrites() {
        realize(HostBridge.create(cfg, NODE, at, platform));
        platform.cfgWrite(at, 0x40, 4, 0xffffffff);
        platform.cfgWrite(at, 0x40 + 12, 4, 0);
        platform.cfgWrite(at, 0x40 + 8, 2, 0x0010);
        platform.cfgWrite(at, 0x40 + 16, 2, 0xffff);
        assertThat(platform.cfgRead(at, 0x40, 4)).isEqualTo(0x0042 << 16 | CAP_ID_PCIE);
        assertThat(platform.cfgRead(at, 0x40 + 12, 4)).isEqualTo(0x411);
        assertThat(platform.cfgRead(at, 0x40 + 8, 2)).isEqualTo(0x0010);
        assertThat(platform.cfgRead(at, 0x40 + 16, 2)).isEqualTo(0x0fdf);
    }

    @Test
    void amdHostbridgeIsAHostbridgeWithAmdIds() {
        HostBridge hb = HostBridge.createAmd(cfg, NODE, at, platform);
        realize(hb);
        assertThat(hb.emulation()).isEqualTo("hostbridge");
        assertThat(platform.cfgRead(at, VENDOR, 4)).isEqualTo(0x7432 << 16 | 0x1022);
    }

    @Test
    void bhyvesLegacyAmdConfigGivesTheSameIds() {
        HostBridge.writeAmdLegacyConfig(cfg, NODE);
        assertThat(cfg.get(NODE + ".device")).contains("hostbridge");
        realize(HostBridge.create(cfg, NODE, at, platform));
        assertThat(platform.cfgRead(at, VENDOR, 4)).isEqualTo(0x7432 << 16 | 0x1022);
    }

    @Test
    void legacyVendorAndDevidKeysWinOverPcireg() {
        cfg.set(NODE + ".vendor", "0x8086");
        cfg.set(NODE + ".devid", "4663");          // decimal 0x1237
        cfg.set(NODE + ".pcireg.vendor", "1022");  // hex, but the legacy key wins
        cfg.set(NODE + ".pcireg.device", "29b0");
        HostBridge hb = HostBridge.create(cfg, NODE, at, platform);
        assertThat(hb.configRegister(VENDOR, 4)).isEqualTo(0x1237 << 16 | 0x8086);
    }

    @Test
    void pciregKeysAreHex() {
        cfg.set(NODE + ".pcireg.vendor", "8086");
        cfg.set(NODE + ".pcireg.device", "0x29B0");
        assertThat(HostBridge.create(cfg, NODE, at, platform).configRegister(VENDOR, 4)).isEqualTo(0x29b0 << 16 | 0x8086);
    }

    @Test
    void badIdsAreConfigErrorsNamingTheKey() {
        cfg.set(NODE + ".vendor", "intel");
        assertThatThrownBy(() -> HostBridge.create(cfg, NODE, at, platform))
                .isInstanceOf(ConfigException.class).hasMessageContaining(NODE + ".vendor");
        ConfigTree big = new ConfigTree();
        big.set(NODE + ".pcireg.device", "12345");
        assertThatThrownBy(() -> HostBridge.create(big, NODE, at, platform))
                .isInstanceOf(ConfigException.class).hasMessageContaining("16 bits");
        ConfigTree host = new ConfigTree();
        host.set(NODE + ".pcireg.vendor", "host");
        assertThatThrownBy(() -> HostBridge.create(host, NODE, at, platform))
                .isInstanceOf(ConfigException.class).hasMessageContaining("host");
    }
}
