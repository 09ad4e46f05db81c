package org.jbhyve.bhyve.runtime;

import org.jbhyve.bhyve.device.InterruptLine;
import org.jbhyve.bhyve.device.MemoryMap;
import org.jbhyve.bhyve.devices.pm.AcpiPm;
import org.jbhyve.bhyve.devices.pm.PowerControl;
import org.jbhyve.bhyve.devices.uart.CapturingBackend;
import org.jbhyve.bhyve.devices.uart.Uart16550;
import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.io.OutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Devices that share a kernel interrupt line (COM1 and COM3 on IRQ 4, COM2 and COM4 on IRQ 3, the
 * SCI and a PCI link on IRQ 9, several INTx on one IOAPIC pin): the kernel must see the wire-OR of
 * what they drive. KVM_IRQ_LINE has one userspace source per line, so the platform has to do the OR.
 */
class VmPlatformSharedLineTest {
    private final RecordingVm vm = new RecordingVm();
    private final VmPlatform platform = new VmPlatform(vm, new PrintStream(OutputStream.nullOutputStream()));

    @Test
    void aSourceLoweringASharedLineDoesNotEraseAnotherSourcesRequest() {
        InterruptLine a = platform.irq(4), b = platform.irq(4);
        a.assertLine();
        b.assertLine();
        b.deassertLine();
        assertThat(vm.level(4)).as("a still asserts IRQ 4").isTrue();
        a.deassertLine();
        assertThat(vm.level(4)).isFalse();
        assertThat(vm.calls(4)).as("the kernel is told only when the OR changes").containsExactly(true, false);
    }

    /** The reviewer's probe: COM3's driver acknowledging THR empty must not drop COM1's pending receive. */
    @Test
    void com3AcknowledgingThrEmptyKeepsIrq4UpForCom1sUnreadData() {
        CapturingBackend host1 = new CapturingBackend(), host3 = new CapturingBackend();
        try (Uart16550 com1 = new Uart16550(platform, "com1", MemoryMap.COM1_PORT, MemoryMap.COM1_IRQ, host1);
             Uart16550 com3 = new Uart16550(platform, "com3", MemoryMap.COM3_PORT, MemoryMap.COM3_IRQ, host3)) {
            outb(MemoryMap.COM1_PORT + 4, 0x08);   // MCR.OUT2: the interrupt reaches the controller
            outb(MemoryMap.COM1_PORT + 1, 0x01);   // IER: received data
            host1.inject("x");
            assertThat(vm.level(4)).isTrue();

            outb(MemoryMap.COM3_PORT + 4, 0x08);
            outb(MemoryMap.COM3_PORT + 1, 0x02);   // IER: THR empty, due at once
            assertThat(platform.io().in(MemoryMap.COM3_PORT + 2, 1) & 0x0f).isEqualTo(0x02); // IIR read acks it
            assertThat(vm.level(4)).as("COM1 still has unread data").isTrue();

            assertThat(platform.io().in(MemoryMap.COM1_PORT, 1)).isEqualTo('x');
            assertThat(vm.level(4)).isFalse();
        }
    }

    /** IRQ 9 is the SCI's and may also be a PCI link's: the SCI clearing must not drop the PCI request. */
    @Test
    void theSciClearingDoesNotDropAPciInterruptRoutedToIrq9() {
        AcpiPm pm = new AcpiPm(platform, new PowerControl() {
            @Override public void poweroff() { }
            @Override public void reset() { }
        });
        InterruptLine pciLink = platform.irq(MemoryMap.SCI_IRQ); // what the INTx router holds for a link on IRQ 9
        outb(MemoryMap.SMI_CMD_PORT, MemoryMap.ACPI_ENABLE_VALUE);
        platform.io().out(MemoryMap.PM1A_EVT_PORT + 2, 2, 0x0100); // PM1_EN.PWRBTN_EN
        assertThat(pm.pressPowerButton()).isTrue();
        pciLink.assertLine();
        platform.io().out(MemoryMap.PM1A_EVT_PORT, 2, 0x0100);     // OSPM clears PWRBTN_STS
        assertThat(vm.level(MemoryMap.SCI_IRQ)).as("the PCI function still asserts its link").isTrue();
        pciLink.deassertLine();
        assertThat(vm.level(MemoryMap.SCI_IRQ)).isFalse();
    }

    /**
     * After a restore the irqchip state is loaded over what the devices' restoreState drove; a device
     * that asserts its source again (AcpiPm.restored()) must reach the kernel although its source is
     * already up.
     */
    @Test
    void theSciReDrivenAfterARestoreReachesTheKernel() {
        AcpiPm pm = new AcpiPm(platform, new PowerControl() {
            @Override public void poweroff() { }
            @Override public void reset() { }
        });
        outb(MemoryMap.SMI_CMD_PORT, MemoryMap.ACPI_ENABLE_VALUE);
        platform.io().out(MemoryMap.PM1A_EVT_PORT + 2, 2, 0x0100);
        pm.pressPowerButton();
        vm.loadLevel(MemoryMap.SCI_IRQ, false); // the snapshot's controllers had the SCI low (held back by the pause)
        pm.restored();
        assertThat(vm.level(MemoryMap.SCI_IRQ)).isTrue();
    }

    private void outb(int port, int value) {
        platform.io().out(port, 1, value);
    }
}
