package org.jbhyve.bhyve.devices.acpi;

import static org.jbhyve.bhyve.devices.acpi.aml.Aml.device;
import static org.jbhyve.bhyve.devices.acpi.aml.Aml.eisaId;
import static org.jbhyve.bhyve.devices.acpi.aml.Aml.integer;
import static org.jbhyve.bhyve.devices.acpi.aml.Aml.name;

import java.util.ArrayList;
import java.util.List;
import org.jbhyve.bhyve.devices.acpi.aml.AmlTerm;
import org.jbhyve.bhyve.devices.acpi.aml.ResourceTemplate;

/** The legacy devices behind the LPC bridge, as bhyve's LPC emulation describes them. */
final class IsaDsdt {
    private IsaDsdt() {}

    static List<AmlTerm> devices(AcpiMachine m) {
        List<AmlTerm> out = new ArrayList<>();
        out.add(systemResources(m));
        for (IsaDevice.Uart u : m.uarts()) {
            out.add(device("COM" + u.unit(), List.of(
                    name("_HID", eisaId("PNP0501")),
                    name("_UID", integer(u.unit())),
                    name("_CRS", new ResourceTemplate().fixedIo(u.port(), IsaDevice.Uart.PORT_COUNT)
                            .irqNoFlags(u.irq()).build()))));
        }
        for (IsaDevice d : m.isaDevices()) {
            switch (d) {
                case IsaDevice.Rtc rtc -> out.add(simple("RTC", "PNP0B00",
                        new ResourceTemplate().fixedIo(rtc.port(), 2).irqNoFlags(rtc.irq())));
                case IsaDevice.Ps2Controller k -> {
                    out.add(simple("KBD", "PNP0303", ps2Ports().irqNoFlags(IsaDevice.Ps2Controller.KBD_IRQ)));
                    out.add(simple("MOU", "PNP0F13", ps2Ports().irqNoFlags(IsaDevice.Ps2Controller.MOUSE_IRQ)));
                }
                case IsaDevice.Pic p -> out.add(simple("PIC", "PNP0000", new ResourceTemplate()
                        .fixedIo(IsaDevice.Pic.MASTER_PORT, 2).fixedIo(IsaDevice.Pic.SLAVE_PORT, 2)
                        .irqNoFlags(IsaDevice.Pic.CASCADE_IRQ)));
                case IsaDevice.Pit p -> out.add(simple("TIMR", "PNP0100", new ResourceTemplate()
                        .fixedIo(IsaDevice.Pit.PORT, IsaDevice.Pit.PORT_COUNT).irqNoFlags(IsaDevice.Pit.IRQ)));
                case IsaDevice.Uart u -> { } // above, in unit order
            }
        }
        return out;
    }

    /**
     * The motherboard resources device (PNP0C02, bhyve calls it SIO): ports that belong to the
     * platform rather than to a device with its own node, so the OS never gives them to a PCI BAR.
     */
    private static AmlTerm systemResources(AcpiMachine m) {
        ResourceTemplate r = new ResourceTemplate();
        for (IoRange io : m.motherboardIo()) r.fixedIo(io.port(), io.length());
        for (IoRange io : m.pm().ioRanges()) r.fixedIo(io.port(), io.length());
        if (m.has(IsaDevice.Ps2Controller.class)) {
            r.fixedIo(IsaDevice.Ps2Controller.DATA_PORT, 1).fixedIo(IsaDevice.Ps2Controller.STATUS_PORT, 1);
        }
        return simple("SIO", "PNP0C02", r);
    }

    private static ResourceTemplate ps2Ports() {
        return new ResourceTemplate().fixedIo(IsaDevice.Ps2Controller.DATA_PORT, 1)
                .fixedIo(IsaDevice.Ps2Controller.STATUS_PORT, 1);
    }

    private static AmlTerm simple(String name, String hid, ResourceTemplate crs) {
        return device(name, List.of(name("_HID", eisaId(hid)), name("_CRS", crs.build())));
    }
}
