package org.jbhyve.bhyve.devices.pci;

import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.device.Platform;

/**
 * bhyve's {@code hostbridge}: a function with no BARs and no interrupt that tells the guest a PCI
 * host bridge is here (class 06/00), with a PCI Express capability of type root port, gen1 x1.
 *
 * <p>IDs default to NetApp's 0x1275/0x1275. bhyve's config keys override them, the legacy ones
 * first: {@code vendor} and {@code devid} (any base), then {@code pcireg.vendor} and
 * {@code pcireg.device} (hex). {@code amd_hostbridge} is bhyve's alias for a hostbridge with
 * 0x1022/0x7432: its {@code -s} parser writes {@code device=hostbridge} plus those pcireg values
 * ({@link #writeAmdLegacyConfig}); {@link PciDeviceFactory} builds one for the name directly.
 *
 * <p>Snapshots: the common PCI record ({@link PciDevice}, chunk {@code dev.hostbridge@pci.B.S.F})
 * with an empty {@code model}: all its state is config space (the PCI Express capability's control
 * registers included). Unlike bhyve, which has no snapshot hook for it and refuses to checkpoint, a
 * VM with a host bridge can be saved.
 */
public final class HostBridge extends PciDevice {
    public static final String EMULATION = "hostbridge";
    public static final String AMD_EMULATION = "amd_hostbridge";
    public static final int NETAPP_VENDOR = 0x1275, NETAPP_DEVICE = 0x1275;
    public static final int AMD_VENDOR = 0x1022, AMD_DEVICE = 0x7432;

    /** A hostbridge with bhyve's default IDs unless {@code node} overrides them. */
    public static HostBridge create(ConfigTree config, String node, PciAddress address, Platform platform) {
        return new HostBridge(config, node, address, platform, NETAPP_VENDOR, NETAPP_DEVICE);
    }

    /** {@code amd_hostbridge}: AMD IDs unless {@code node} overrides them. */
    public static HostBridge createAmd(ConfigTree config, String node, PciAddress address, Platform platform) {
        return new HostBridge(config, node, address, platform, AMD_VENDOR, AMD_DEVICE);
    }

    /** What bhyve's {@code -s <slot>,amd_hostbridge} writes under {@code node}. */
    public static void writeAmdLegacyConfig(ConfigTree config, String node) {
        config.set(node + ".device", EMULATION);
        config.set(node + ".pcireg." + PciConfigValues.VENDOR, "0x1022");
        config.set(node + ".pcireg." + PciConfigValues.DEVICE, "0x7432");
    }

    private HostBridge(ConfigTree config, String node, PciAddress address, Platform platform, int defaultVendor, int defaultDevice) {
        // amd_hostbridge is an alias: the instance is a hostbridge, and so is its name.
        super(EMULATION, address, platform);
        int vendor = PciConfigValues.legacy(config, node, "vendor", 16)
                .orElseGet(() -> PciConfigValues.pcireg(config, node, PciConfigValues.VENDOR, 16, defaultVendor));
        int device = PciConfigValues.legacy(config, node, "devid", 16)
                .orElseGet(() -> PciConfigValues.pcireg(config, node, PciConfigValues.DEVICE, 16, defaultDevice));
        setIds(vendor, device);
        setClass(PciRegisters.CLASS_BRIDGE, PciRegisters.SUBCLASS_BRIDGE_HOST, 0, 0);
        config().set8(PciRegisters.HEADER_TYPE, PciRegisters.HEADER_TYPE_NORMAL);
        addPcieCapability(PcieCapability.TYPE_ROOT_PORT);
    }
}
