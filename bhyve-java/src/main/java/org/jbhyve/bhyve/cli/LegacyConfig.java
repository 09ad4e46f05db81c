package org.jbhyve.bhyve.cli;

/**
 * How one PCI emulation turns the {@code conf} part of {@code -s slot,emulation,conf} into config
 * variables under its {@code pci.B.S.F} node: bhyve's per-device {@code pe_legacy_config}.
 */
@FunctionalInterface
interface LegacyConfig {
    /**
     * @param device the device's node, already holding {@code device=}
     * @param conf   everything after the second comma, or null when there was none
     * @throws org.jbhyve.bhyve.config.ConfigException saying what in {@code conf} is wrong and the fix
     */
    void apply(ConfigNode device, String conf);
}
