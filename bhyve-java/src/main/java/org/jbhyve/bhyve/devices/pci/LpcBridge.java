package org.jbhyve.bhyve.devices.pci;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.device.MemoryMap;
import org.jbhyve.bhyve.device.Platform;
import org.jbhyve.bhyve.devices.StateReader;
import org.jbhyve.snapshot.format.SnapshotFormatException;
import org.jbhyve.snapshot.format.StateRecord;

/**
 * bhyve's {@code lpc}: the PCI-to-ISA bridge (class 06/01, Intel 0x8086/0x7000 by default) that the
 * legacy devices sit behind. In config space it holds the PIRQ routing registers of an ICH10-style
 * interrupt router: PIRQA-D at 0x60-0x63, PIRQE-H at 0x68-0x6b (bit 7 disables the link, bits 3:0
 * name its ISA IRQ). Those registers are the {@link IntxRouter}'s; the guest (or its ACPI
 * {@code LNKx._SRS}) may rewrite them.
 *
 * <p>It does not create the COM ports or anything else behind it (their models do), but like bhyve's
 * it reserves their ISA IRQs (3 and 4) so PCI INTx routing keeps off them. bhyve's rules hold: it
 * must sit on bus 0, and there is at most one. IDs may be overridden with {@code pcireg.vendor},
 * {@code pcireg.device}, {@code pcireg.revid}, {@code pcireg.subvendor}, {@code pcireg.subdevice}.
 *
 * <p>Snapshots: the common PCI record ({@link PciDevice}) with one model field, {@code pirq}
 * (bytes, the eight PIRQA-PIRQH routing registers as the guest reads them). Restoring them moves an
 * asserted link's interrupt to the restored IRQ, as a guest write would.
 */
public final class LpcBridge extends PciDevice {
    public static final String EMULATION = "lpc";
    public static final int DEFAULT_VENDOR = 0x8086, DEFAULT_DEVICE = 0x7000;
    /** PIRQA-PIRQD and PIRQE-PIRQH register blocks. */
    public static final int PIRQ_A_TO_D = 0x60, PIRQ_E_TO_H = 0x68;

    public LpcBridge(ConfigTree config, String node, PciAddress address, Platform platform) {
        super(EMULATION, address, platform);
        if (address.bus() != 0) {
            throw new ConfigException("lpc at " + address.node() + ": the LPC bridge can only be on bus 0 "
                    + "(the ACPI tables decode legacy I/O behind bus 0); use -s 0:<slot>:<func>,lpc");
        }
        setIds(PciConfigValues.pcireg(config, node, PciConfigValues.VENDOR, 16, DEFAULT_VENDOR),
                PciConfigValues.pcireg(config, node, PciConfigValues.DEVICE, 16, DEFAULT_DEVICE));
        setClass(PciRegisters.CLASS_BRIDGE, PciRegisters.SUBCLASS_BRIDGE_ISA, 0,
                PciConfigValues.pcireg(config, node, PciConfigValues.REVID, 8, 0));
        setSubsystem(PciConfigValues.pcireg(config, node, PciConfigValues.SUBVENDOR, 16, 0),
                PciConfigValues.pcireg(config, node, PciConfigValues.SUBDEVICE, 16, 0));
    }

    /** Convenience constructor for the factory's signature. */
    public static LpcBridge create(ConfigTree config, String node, PciAddress address, Platform platform) {
        return new LpcBridge(config, node, address, platform);
    }

    @Override
    protected void attached(PciBus bus) {
        for (PciDevice d : bus.devices()) {
            if (d instanceof LpcBridge && d != this) {
                throw new ConfigException("lpc at " + address().node() + ": only one LPC bridge is allowed, "
                        + d.name() + " is already configured");
            }
        }
        IntxRouter router = bus.intx();
        for (int irq : new int[] {MemoryMap.COM1_IRQ, MemoryMap.COM2_IRQ, MemoryMap.COM3_IRQ, MemoryMap.COM4_IRQ}) {
            router.reserveIsaIrq(irq);
        }
    }

    @Override
    protected StateRecord saveModelState() {
        PciBus bus = bus();
        byte[] pirq = new byte[IntxRouter.PIRQ_COUNT];
        for (int p = 0; p < pirq.length; p++) pirq[p] = (byte) (bus == null ? IntxRouter.PIRQ_DISABLED : bus.intx().readPirq(p + 1));
        return StateRecord.builder().putBytes("pirq", pirq).build();
    }

    @Override
    protected ModelRestore prepareModelRestore(StateReader model, int version) throws SnapshotFormatException {
        byte[] pirq = model.bytesExactly("pirq", IntxRouter.PIRQ_COUNT, "the PIRQA-PIRQH register block");
        for (int p = 0; p < pirq.length; p++) {
            int v = pirq[p] & 0xff;
            if ((v & ~(IntxRouter.PIRQ_DISABLED | 0x0f)) != 0) {
                throw model.invalid("pirq", String.format("PIRQ%c is 0x%02x: bits 6..4 are reserved and read as zero",
                        (char) ('A' + p), v));
            }
        }
        PciBus bus = bus();
        if (bus == null) return ModelRestore.NONE;
        return () -> {
            for (int p = 0; p < pirq.length; p++) bus.intx().writePirq(p + 1, pirq[p] & 0xff);
        };
    }

    /** PIRQ link (1-8) of config byte {@code offset}, or 0. */
    private static int pirqAt(int offset) {
        if (offset >= PIRQ_A_TO_D && offset < PIRQ_A_TO_D + 4) return offset - PIRQ_A_TO_D + 1;
        if (offset >= PIRQ_E_TO_H && offset < PIRQ_E_TO_H + 4) return offset - PIRQ_E_TO_H + 5;
        return 0;
    }

    @Override
    protected int configRead(int offset, int size) {
        PciBus bus = bus();
        if (bus == null || pirqAt(offset) == 0) return super.configRead(offset, size);
        int value = 0;
        for (int i = size - 1; i >= 0; i--) value = value << 8 | bus.intx().readPirq(pirqAt(offset + i));
        return value;
    }

    @Override
    protected void configWrite(int offset, int size, int value) {
        PciBus bus = bus();
        // Accesses are aligned, so one that starts on a PIRQ byte stays inside its 4-register block.
        if (bus == null || pirqAt(offset) == 0) {
            super.configWrite(offset, size, value);
            return;
        }
        for (int i = 0; i < size; i++) bus.intx().writePirq(pirqAt(offset + i), (value >>> (8 * i)) & 0xff);
    }
}
