package org.jbhyve.bhyve.devices.acpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AcpiMachineTest {
    @Test
    void builderStartsFromBhyvesPlatform() {
        AcpiMachine m = AcpiMachine.builder(2).build();
        assertThat(m.pciBuses()).extracting(PciRootBus::bus).containsExactly(0);
        assertThat(m.ecamBuses()).isEqualTo(256);
        assertThat(m.has(IsaDevice.Pic.class)).isTrue();
        assertThat(m.has(IsaDevice.Pit.class)).isTrue();
        assertThat(m.has(IsaDevice.Rtc.class)).isTrue();
        assertThat(m.has(IsaDevice.Ps2Controller.class)).isFalse();
        assertThat(m.hpet()).isEmpty();
        assertThat(m.lpcBridge()).isEmpty();
    }

    @Test
    void rejectsMachinesTheTablesCannotDescribe() {
        assertThatThrownBy(() -> AcpiMachine.builder(0).build()).hasMessageContaining("vCPU count 0");
        assertThatThrownBy(() -> AcpiMachine.builder(1).isa(IsaDevice.Uart.com(1)).isa(IsaDevice.Uart.com(1)).build())
                .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> AcpiMachine.builder(1)
                .bus(new PciRootBus(0, new AddressWindow(0x1000, 0x2000), AddressWindow.EMPTY, AddressWindow.EMPTY,
                        List.of())).build())
                .hasMessageContaining("starts below 0x2000");
        assertThatThrownBy(() -> AcpiMachine.builder(1).ecam(0xe0000000L, 1)
                .bus(new PciRootBus(1, AddressWindow.EMPTY, AddressWindow.EMPTY, AddressWindow.EMPTY, List.of())).build())
                .hasMessageContaining("outside the ECAM window");
        assertThatThrownBy(() -> AcpiMachine.builder(1).ecam(0xe0001000L, 256).build())
                .hasMessageContaining("1 MiB aligned");
        assertThatThrownBy(() -> new AcpiMachine(1, PmRegisters.bhyve(), List.of(), 0, 1, Optional.empty(),
                List.of(), List.of(), Optional.empty())).hasMessageContaining("bus 0 is required");
        assertThatThrownBy(() -> new PciRootBus(0, AddressWindow.EMPTY, AddressWindow.EMPTY, AddressWindow.EMPTY,
                List.of(new PciIntxRoute(3, 1, 16), new PciIntxRoute(3, 1, 17)))).hasMessageContaining("twice");
        assertThatThrownBy(() -> new PciIntxRoute(3, 5, 16)).hasMessageContaining("INTA-D");
        assertThatThrownBy(() -> new IsaDevice.Uart(5, 0x3f8, 4)).hasMessageContaining("1-4");
        assertThatThrownBy(() -> new AddressWindow(0x2000, 0x1000)).hasMessageContaining("bad address window");
    }
}
