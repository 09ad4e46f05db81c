package org.jbhyve.bhyve.devices.pci;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bus passes pause, resume and restored on to every function, and undoes a pause that fails halfway. */
class PciBusLifecycleTest {

    @Test
    void aFunctionThatCannotPauseLeavesNoOtherFunctionPaused() {
        PciTestPlatform platform = new PciTestPlatform();
        PciBus bus = new PciBus(platform, PciBus.Options.directBoot(platform.memory()));
        TestPciDevice first = new TestPciDevice(PciAddress.of(0, 3, 0), platform);
        TestPciDevice stuck = new TestPciDevice(PciAddress.of(0, 4, 0), platform);
        TestPciDevice last = new TestPciDevice(PciAddress.of(0, 5, 0), platform);
        stuck.pauseFails = true;
        bus.add(first);
        bus.add(stuck);
        bus.add(last);
        bus.realize();

        assertThatThrownBy(bus::pause).isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot pause");
        assertThat(first.lifecycle).as("paused, then resumed again").containsExactly("pause", "resume");
        assertThat(stuck.lifecycle).isEmpty();
        assertThat(last.lifecycle).as("never reached").isEmpty();

        stuck.pauseFails = false;
        bus.pause();
        bus.resume();
        bus.restored();
        assertThat(last.lifecycle).containsExactly("pause", "resume", "restored");
    }
}
