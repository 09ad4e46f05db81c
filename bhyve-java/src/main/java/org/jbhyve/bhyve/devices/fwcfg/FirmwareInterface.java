package org.jbhyve.bhyve.devices.fwcfg;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;

/**
 * Which firmware configuration protocol answers on ports 0x510/0x511 ({@code lpc.fwcfg}, set by
 * {@code -l fwcfg,bhyve|qemu}). Both use the same ports, so a VM has exactly one. bhyve attaches
 * its own {@link FwCtl} only when a boot ROM is configured; QEMU's {@link FwCfg} is attached
 * whenever it is chosen.
 */
public enum FirmwareInterface {
    /** bhyve's fwctl ({@code lpc.fwcfg=bhyve}, the default). */
    BHYVE,
    /** QEMU's fw_cfg ({@code lpc.fwcfg=qemu}), which OVMF builds for QEMU expect. */
    QEMU;

    public static final String CONFIG_KEY = "lpc.fwcfg";

    /** Reads {@code lpc.fwcfg}: {@code bhyve} (default) or {@code qemu}. */
    public static FirmwareInterface fromConfig(ConfigTree cfg) {
        String v = cfg.get(CONFIG_KEY, "bhyve");
        return switch (v) {
            case "bhyve" -> BHYVE;
            case "qemu" -> QEMU;
            default -> throw new ConfigException(CONFIG_KEY + "=" + v
                    + " is not a firmware interface (use -l fwcfg,bhyve or -l fwcfg,qemu)");
        };
    }
}
