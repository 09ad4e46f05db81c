package org.jbhyve.bhyve.devices.pci;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.device.Platform;

/**
 * PCI device models by bhyve emulation name ({@code -s slot,<name>} / {@code pci.B.S.F.device}).
 * {@link #standard()} knows the platform devices; other packages {@link #register} theirs (virtio-*)
 * without touching this one.
 */
public final class PciDeviceFactory {
    /** Builds one model from its config node. */
    @FunctionalInterface
    public interface Constructor {
        PciDevice create(ConfigTree config, String node, PciAddress address, Platform platform);
    }

    private final Map<String, Constructor> constructors = new LinkedHashMap<>();

    /** A registry with every PCI emulation jbhyve implements. */
    public static PciDeviceFactory standard() {
        PciDeviceFactory f = new PciDeviceFactory();
        f.register(HostBridge.EMULATION, HostBridge::create);
        f.register(HostBridge.AMD_EMULATION, HostBridge::createAmd);
        f.register(LpcBridge.EMULATION, LpcBridge::create);
        f.register(org.jbhyve.bhyve.devices.virtio.VirtioBlk.EMULATION, org.jbhyve.bhyve.devices.virtio.VirtioBlk::create);
        f.register(org.jbhyve.bhyve.devices.virtio.VirtioRnd.EMULATION, org.jbhyve.bhyve.devices.virtio.VirtioRnd::create);
        f.register(org.jbhyve.bhyve.devices.virtio.VirtioConsole.EMULATION, org.jbhyve.bhyve.devices.virtio.VirtioConsole::create);
        f.register(org.jbhyve.bhyve.devices.virtio.VirtioNet.EMULATION, org.jbhyve.bhyve.devices.virtio.VirtioNet::create);
        return f;
    }

    /** Adds a model; a name can be registered once. */
    public synchronized PciDeviceFactory register(String emulation, Constructor constructor) {
        Objects.requireNonNull(constructor);
        if (constructors.putIfAbsent(Objects.requireNonNull(emulation), constructor) != null) {
            throw new IllegalStateException("PCI emulation '" + emulation + "' is registered twice");
        }
        return this;
    }

    public synchronized boolean knows(String emulation) {
        return constructors.containsKey(emulation);
    }

    /** Registered names, sorted (what {@code -s help} lists). */
    public synchronized Set<String> emulations() {
        return new TreeSet<>(constructors.keySet());
    }

    /**
     * Builds the model {@code emulation} for config node {@code node} (e.g. {@code pci.0.3.0}) at
     * {@code address}.
     *
     * @throws ConfigException for an unknown name or a bad configuration
     */
    public PciDevice create(String emulation, ConfigTree config, String node, PciAddress address, Platform platform) {
        Constructor c;
        synchronized (this) {
            c = constructors.get(emulation);
        }
        if (c == null) {
            throw new ConfigException("pci slot " + address.bus() + ":" + address.slot() + ":" + address.function()
                    + ": unknown device \"" + emulation + "\" (known: " + String.join(", ", emulations()) + ")");
        }
        return c.create(config, node, address, platform);
    }
}
