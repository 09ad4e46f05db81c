package org.jbhyve.bhyve.devices.virtio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jbhyve.bhyve.devices.virtio.Virtio.*;

import java.security.SecureRandom;
import java.util.List;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.devices.pci.PciBar;
import org.jbhyve.bhyve.devices.pci.PciRegisters;
import org.jbhyve.snapshot.format.SnapshotFormatException;
import org.jbhyve.snapshot.format.StateRecord;
import org.junit.jupiter.api.Test;

/**
 * The virtio-pci transport, driven as a guest driver drives it, through a virtio-rnd device (one
 * queue, no device config): PCI identity and capabilities, the legacy register block, the modern
 * common configuration, feature negotiation, MSI-X/MSI/INTx with the ISR, reset, the PCI
 * configuration access window, hostile register writes, ring violations and snapshots.
 */
class VirtioTransportTest {
    private static final int DRIVER_BITS = STATUS_ACKNOWLEDGE | STATUS_DRIVER;

    static VirtioHarness rnd(String... keyValues) {
        return new VirtioHarness(VirtioHarness.config(VirtioRnd.EMULATION, keyValues),
                (c, n, a, p) -> new VirtioRnd(c, a, p, new SecureRandom()));
    }

    // ---------------------------------------------------------------- identity

    @Test
    void pciIdentityIsBhyvesTransitionalDevice() throws Exception {
        try (VirtioHarness h = rnd()) {
            assertThat(h.cfgRead(PciRegisters.VENDOR, 2)).isEqualTo(0x1af4);
            assertThat(h.cfgRead(PciRegisters.DEVICE, 2)).isEqualTo(0x1005);
            assertThat(h.cfgRead(PciRegisters.SUBSYSTEM_VENDOR, 2)).isEqualTo(0x1af4);
            assertThat(h.cfgRead(PciRegisters.SUBSYSTEM_ID, 2)).isEqualTo(TYPE_ENTROPY);
            assertThat(h.cfgRead(PciRegisters.REVISION, 1)).isZero();
            assertThat(h.cfgRead(PciRegisters.CLASS, 1)).isEqualTo(0x10);
            assertThat(h.cfgRead(PciRegisters.INTERRUPT_PIN, 1)).isEqualTo(1);
            assertThat(h.dev.bar(0).kind()).isEqualTo(PciBar.Kind.IO);
            assertThat(h.dev.bar(1).kind()).isEqualTo(PciBar.Kind.MEM32);
            assertThat(h.dev.bar(2).kind()).isEqualTo(PciBar.Kind.MEM64);
            assertThat(h.dev.bar(2).size()).isEqualTo(0x4000);
            assertThat(h.capabilities(PciRegisters.CAP_ID_MSIX)).hasSize(1);
            assertThat(h.cfgRead(h.capabilities(PciRegisters.CAP_ID_MSIX).getFirst() + 2, 2) & 0x7ff)
                    .as("one vector per queue plus config").isEqualTo(1);
            assertThat(h.capabilities(PciRegisters.CAP_ID_MSI)).hasSize(1);
            int[][] expected = {
                {PCI_CAP_COMMON_CFG, 0x0000}, {PCI_CAP_NOTIFY_CFG, 0x3000}, {PCI_CAP_ISR_CFG, 0x1000},
                {PCI_CAP_DEVICE_CFG, 0x2000},
            };
            for (int[] e : expected) {
                int cap = h.virtioCap(e[0]);
                assertThat(cap).as("cfg_type %d", e[0]).isPositive();
                assertThat(h.cfgRead(cap + 4, 1)).as("bar").isEqualTo(2);
                assertThat(h.cfgRead(cap + 8, 4)).as("offset").isEqualTo(e[1]);
                assertThat(h.cfgRead(cap + 12, 4)).as("length").isEqualTo(0x1000);
            }
            assertThat(h.cfgRead(h.virtioCap(PCI_CAP_NOTIFY_CFG) + 16, 4)).as("notify_off_multiplier").isEqualTo(4);
            assertThat(h.virtioCap(PCI_CAP_PCI_CFG)).isPositive();
        }
    }

    @Test
    void modernOnlyAndLegacyOnlyFunctions() throws Exception {
        try (VirtioHarness h = rnd("virtio.legacy", "false")) {
            assertThat(h.cfgRead(PciRegisters.DEVICE, 2)).isEqualTo(0x1044);
            assertThat(h.cfgRead(PciRegisters.SUBSYSTEM_ID, 2)).isEqualTo(0x1044);
            assertThat(h.cfgRead(PciRegisters.REVISION, 1)).isEqualTo(1);
            assertThat(h.dev.bar(0)).isNull();
        }
        try (VirtioHarness h = rnd("virtio.modern", "false")) {
            assertThat(h.dev.bar(2)).isNull();
            assertThat(h.virtioCap(PCI_CAP_COMMON_CFG)).isEqualTo(-1);
            assertThat(h.lin(LEGACY_HOST_FEATURES, 4) & (int) bit(F_RING_EVENT_IDX)).isNotZero();
        }
        assertThatThrownBy(() -> rnd("virtio.modern", "false", "virtio.legacy", "false"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("no interface");
    }

    @Test
    void virtioMsixFalseGivesOnlyMsiAndIntxAsBhyvesMinusW() throws Exception {
        try (VirtioHarness h = rnd("virtio_msix", "false")) {
            assertThat(h.capabilities(PciRegisters.CAP_ID_MSIX)).isEmpty();
            assertThat(h.dev.bar(1)).isNull();
            assertThat(h.capabilities(PciRegisters.CAP_ID_MSI)).hasSize(1);
        }
    }

    // ---------------------------------------------------------------- legacy interface

    @Test
    void legacyRegistersNegotiateAndSetUpAQueue() throws Exception {
        try (VirtioHarness h = rnd()) {
            int host = h.lin(LEGACY_HOST_FEATURES, 4);
            assertThat(host).isEqualTo((int) (bit(F_RING_INDIRECT_DESC) | bit(F_RING_EVENT_IDX)));
            h.lout(LEGACY_STATUS, 1, DRIVER_BITS);
            h.lout(LEGACY_GUEST_FEATURES, 4, 0xffffffff);
            assertThat(h.lin(LEGACY_GUEST_FEATURES, 4)).as("only offered features stick").isEqualTo(host);
            h.lout(LEGACY_QUEUE_SEL, 2, 0);
            assertThat(h.lin(LEGACY_QUEUE_NUM, 2)).isEqualTo(VirtioRnd.QUEUE_SIZE);
            h.lout(LEGACY_QUEUE_SEL, 2, 1);
            assertThat(h.lin(LEGACY_QUEUE_NUM, 2)).as("no queue 1").isZero();
            h.lout(LEGACY_QUEUE_SEL, 2, 0);
            h.lout(LEGACY_QUEUE_PFN, 4, 0x100);
            assertThat(h.lin(LEGACY_QUEUE_PFN, 4)).isEqualTo(0x100);
            h.lout(LEGACY_STATUS, 1, DRIVER_BITS | STATUS_DRIVER_OK);
            assertThat(h.lin(LEGACY_STATUS, 1)).isEqualTo(DRIVER_BITS | STATUS_DRIVER_OK);
            assertThat(h.dev.negotiated(F_RING_EVENT_IDX)).isTrue();
            assertThat(h.dev.negotiated(F_VERSION_1)).isFalse();
        }
    }

    @Test
    void legacyInterruptGoesThroughIsrAndIntxAndTheReadClearsIt() throws Exception {
        try (VirtioHarness h = rnd()) {
            GuestRing ring = h.legacySetup(0, 0x100, 0);
            ring.desc(0, 0x50000, 64, DESC_F_WRITE, 0);
            ring.offer(0);
            h.lout(LEGACY_QUEUE_NOTIFY, 2, 0);
            assertThat(ring.usedIdx()).isEqualTo(1);
            assertThat(ring.usedLength(0)).isEqualTo(64);
            assertThat(h.intx().high()).isTrue();
            assertThat(h.cfgRead(PciRegisters.STATUS, 2) & PciRegisters.STATUS_INTERRUPT).isNotZero();
            assertThat(h.lin(LEGACY_ISR, 1)).isEqualTo(ISR_QUEUE);
            assertThat(h.intx().high()).isFalse();
            assertThat(h.lin(LEGACY_ISR, 1)).isZero();
        }
    }

    @Test
    void withMsixEnabledTheLegacyConfigMovesAndVectorsAreUsed() throws Exception {
        try (VirtioHarness h = rnd()) {
            h.enableMsix();
            h.lout(LEGACY_CONFIG_VECTOR, 2, 0);
            assertThat(h.lin(LEGACY_CONFIG_VECTOR, 2)).isZero();
            h.lout(LEGACY_QUEUE_SEL, 2, 0);
            h.lout(LEGACY_QUEUE_VECTOR, 2, 7); // there are only 2 vectors
            assertThat(h.lin(LEGACY_QUEUE_VECTOR, 2)).as("an unmappable vector reads back NO_VECTOR").isEqualTo(NO_VECTOR);
            h.lout(LEGACY_QUEUE_VECTOR, 2, 1);
            assertThat(h.lin(LEGACY_QUEUE_VECTOR, 2)).isEqualTo(1);
            GuestRing ring = GuestRing.legacy(h.memory(), 0x100, 64);
            h.lout(LEGACY_QUEUE_PFN, 4, 0x100);
            h.lout(LEGACY_STATUS, 1, DRIVER_BITS | STATUS_DRIVER_OK);
            ring.desc(0, 0x50000, 16, DESC_F_WRITE, 0);
            ring.offer(0);
            h.lout(LEGACY_QUEUE_NOTIFY, 2, 0);
            assertThat(h.msiData()).containsExactly(VirtioHarness.MSI_DATA_BASE + 1);
            assertThat(h.intx().high()).isFalse();
            assertThat(h.lin(LEGACY_ISR, 1)).as("no ISR with MSI-X").isZero();
        }
    }

    @Test
    void resetForgetsQueuesFeaturesAndVectors() throws Exception {
        try (VirtioHarness h = rnd()) {
            h.enableMsix();
            h.legacySetup(0, 0x100, (int) bit(F_RING_EVENT_IDX));
            h.lout(LEGACY_QUEUE_VECTOR, 2, 1);
            h.lout(LEGACY_STATUS, 1, 0);
            assertThat(h.lin(LEGACY_STATUS, 1)).isZero();
            assertThat(h.lin(LEGACY_GUEST_FEATURES, 4)).isZero();
            assertThat(h.lin(LEGACY_QUEUE_PFN, 4)).isZero();
            assertThat(h.lin(LEGACY_QUEUE_VECTOR, 2)).isEqualTo(NO_VECTOR);
            assertThat(h.lin(LEGACY_CONFIG_VECTOR, 2)).isEqualTo(NO_VECTOR);
        }
    }

    @Test
    void hostileLegacyRegisterAccessesAreLoggedOnceAndIgnored() throws Exception {
        try (VirtioHarness h = rnd()) {
            h.lout(LEGACY_HOST_FEATURES, 4, 0); // read-only
            h.lout(LEGACY_HOST_FEATURES, 4, 0);
            h.lout(LEGACY_STATUS, 2, 0xffff); // wrong width
            h.lout(LEGACY_QUEUE_SEL, 2, 0x7777);
            h.lout(LEGACY_QUEUE_PFN, 4, 0x1234); // no such queue
            h.lout(LEGACY_QUEUE_NOTIFY, 2, 0x7777);
            h.lout(LEGACY_QUEUE_SEL, 2, 0);
            h.lout(LEGACY_QUEUE_PFN, 4, 0xffffffff); // ring far outside RAM
            assertThat(h.lin(LEGACY_QUEUE_PFN, 4)).isZero();
            assertThat(h.lin(0x1e, 2)).as("past the registers, inside the BAR").isEqualTo(0);
            List<String> logs = h.logs();
            assertThat(logs).anyMatch(l -> l.contains("not enabled") && l.contains("not in guest RAM"));
            assertThat(logs).anyMatch(l -> l.contains("queue 30583, which does not exist"));
            assertThat(logs.stream().filter(l -> l.contains("legacy write of 4 bytes at offset 0x0"))).hasSize(1);
        }
    }

    // ---------------------------------------------------------------- modern interface

    @Test
    void modernFeatureNegotiation() throws Exception {
        try (VirtioHarness h = rnd()) {
            h.common(COMMON_STATUS, 1, DRIVER_BITS);
            h.common(COMMON_DFSELECT, 4, 0);
            assertThat(h.common(COMMON_DF, 4)).isEqualTo(bit(F_RING_INDIRECT_DESC) | bit(F_RING_EVENT_IDX));
            h.common(COMMON_DFSELECT, 4, 1);
            assertThat(h.common(COMMON_DF, 4)).isEqualTo(1); // VERSION_1 is bit 32
            h.common(COMMON_DFSELECT, 4, 2);
            assertThat(h.common(COMMON_DF, 4)).isZero();
            assertThat(h.common(COMMON_NUMQ, 2)).isEqualTo(1);

            // Without VERSION_1 the device refuses FEATURES_OK.
            h.common(COMMON_GFSELECT, 4, 0);
            h.common(COMMON_GF, 4, bit(F_RING_EVENT_IDX));
            h.common(COMMON_STATUS, 1, DRIVER_BITS | STATUS_FEATURES_OK);
            assertThat(h.common(COMMON_STATUS, 1) & STATUS_FEATURES_OK).isZero();
            // Unoffered bits: refused too.
            h.common(COMMON_GFSELECT, 4, 1);
            h.common(COMMON_GF, 4, 1 | 2);
            h.common(COMMON_STATUS, 1, DRIVER_BITS | STATUS_FEATURES_OK);
            assertThat(h.common(COMMON_STATUS, 1) & STATUS_FEATURES_OK).isZero();
            h.common(COMMON_GF, 4, 1);
            h.common(COMMON_STATUS, 1, DRIVER_BITS | STATUS_FEATURES_OK);
            assertThat(h.common(COMMON_STATUS, 1) & STATUS_FEATURES_OK).isNotZero();
            assertThat(h.dev.negotiatedFeatures()).isEqualTo(bit(F_VERSION_1) | bit(F_RING_EVENT_IDX));
            // Frozen now.
            h.common(COMMON_GFSELECT, 4, 0);
            h.common(COMMON_GF, 4, 0);
            assertThat(h.dev.negotiatedFeatures()).isEqualTo(bit(F_VERSION_1) | bit(F_RING_EVENT_IDX));
        }
    }

    @Test
    void modernQueueSetupNotifyAndMsixPerQueueVector() throws Exception {
        try (VirtioHarness h = rnd()) {
            h.enableMsix();
            GuestRing ring = h.modernSetup(0, bit(F_VERSION_1), 0x60000, 16);
            assertThat(h.common(COMMON_Q_ENABLE, 2)).isEqualTo(1);
            assertThat(h.common(COMMON_Q_SIZE, 2)).isEqualTo(16);
            assertThat(h.common(COMMON_Q_DESC, 4)).isEqualTo(0x60000);
            assertThat(h.common(COMMON_Q_NOFF, 2)).isZero();
            assertThat(h.common(COMMON_Q_MSIX, 2)).isEqualTo(1);
            ring.desc(3, 0x50000, 32, DESC_F_WRITE, 0);
            ring.offer(3);
            h.notifyModern(0);
            assertThat(ring.usedIdx()).isEqualTo(1);
            assertThat(ring.usedId(0)).isEqualTo(3);
            assertThat(ring.usedLength(0)).isEqualTo(32);
            assertThat(h.msiData()).containsExactly(VirtioHarness.MSI_DATA_BASE + 1);
            // A live queue's configuration cannot change.
            h.common(COMMON_Q_DESC, 8, 0x70000);
            assertThat(h.common(COMMON_Q_DESC, 8)).isEqualTo(0x60000);
        }
    }

    @Test
    void modernIsrRegionAndIntxWhenMsixIsOff() throws Exception {
        try (VirtioHarness h = rnd()) {
            GuestRing ring = h.modernSetup(0, bit(F_VERSION_1), 0x60000, 16);
            ring.desc(0, 0x50000, 8, DESC_F_WRITE, 0);
            ring.offer(0);
            h.notifyModern(0);
            assertThat(h.intx().high()).isTrue();
            assertThat(h.mread(VirtioPciDevice.MODERN_ISR, 1)).isEqualTo(ISR_QUEUE);
            assertThat(h.intx().high()).isFalse();
        }
    }

    @Test
    void theModernQueueIsCheckedWhenEnabled() throws Exception {
        try (VirtioHarness h = rnd()) {
            h.common(COMMON_STATUS, 1, DRIVER_BITS);
            h.common(COMMON_GFSELECT, 4, 1);
            h.common(COMMON_GF, 4, 1);
            h.common(COMMON_STATUS, 1, DRIVER_BITS | STATUS_FEATURES_OK);
            h.common(COMMON_Q_SELECT, 2, 0);
            h.common(COMMON_Q_SIZE, 2, 48); // not a power of two
            h.common(COMMON_Q_DESC, 8, 0x60000);
            h.common(COMMON_Q_AVAIL, 8, 0x61000);
            h.common(COMMON_Q_USED, 8, 0x62000);
            h.common(COMMON_Q_ENABLE, 2, 1);
            assertThat(h.common(COMMON_Q_ENABLE, 2)).isZero();
            assertThat(h.common(COMMON_STATUS, 1) & STATUS_NEEDS_RESET).isNotZero();
            assertThat(h.logs()).anyMatch(l -> l.contains("cannot be enabled") && l.contains("not a power of two"));
        }
    }

    @Test
    void theConfigAccessCapabilityReachesTheBars() throws Exception {
        try (VirtioHarness h = rnd()) {
            int cap = h.virtioCap(PCI_CAP_PCI_CFG);
            h.cfgWrite(cap + 4, 1, VirtioPciDevice.MODERN_BAR);
            h.cfgWrite(cap + 8, 4, VirtioPciDevice.MODERN_COMMON + COMMON_NUMQ);
            h.cfgWrite(cap + 12, 4, 2);
            assertThat(h.cfgRead(cap + 16, 2)).isEqualTo(1);
            h.cfgWrite(cap + 8, 4, VirtioPciDevice.MODERN_COMMON + COMMON_STATUS);
            h.cfgWrite(cap + 12, 4, 1);
            h.cfgWrite(cap + 16, 1, DRIVER_BITS);
            assertThat(h.common(COMMON_STATUS, 1)).isEqualTo(DRIVER_BITS);
            h.cfgWrite(cap + 12, 4, 3); // a bad length: ignored
            assertThat(h.cfgRead(cap + 16, 4)).isZero();
        }
    }

    // ---------------------------------------------------------------- violations

    @Test
    void aModernViolationSetsNeedsResetRaisesAConfigInterruptAndStopsTheDevice() throws Exception {
        try (VirtioHarness h = rnd()) {
            h.enableMsix();
            GuestRing ring = h.modernSetup(0, bit(F_VERSION_1), 0x60000, 16);
            ring.desc(0, 0x50000, 16, DESC_F_NEXT | DESC_F_WRITE, 0); // a self-loop
            ring.offer(0);
            h.notifyModern(0);
            h.notifyModern(0);
            assertThat(h.common(COMMON_STATUS, 1) & STATUS_NEEDS_RESET).isNotZero();
            assertThat(h.msiData()).containsExactly(VirtioHarness.MSI_DATA_BASE); // config vector 0
            assertThat(ring.usedIdx()).isZero();
            assertThat(h.logs().stream().filter(l -> l.contains("loop"))).hasSize(1);
            // The driver resets; the device works again.
            GuestRing again = h.modernSetup(0, bit(F_VERSION_1), 0x60000, 16);
            again.desc(0, 0x50000, 16, DESC_F_WRITE, 0);
            again.offer(0);
            h.notifyModern(0);
            assertThat(again.usedIdx()).isEqualTo(1);
            assertThat(h.common(COMMON_STATUS, 1) & STATUS_NEEDS_RESET).isZero();
        }
    }

    @Test
    void aLegacyViolationStopsTheQueueAndIsLoggedOnce() throws Exception {
        try (VirtioHarness h = rnd()) {
            GuestRing ring = h.legacySetup(0, 0x100, 0);
            ring.setAvailIdx(200);
            for (int i = 0; i < 5; i++) h.lout(LEGACY_QUEUE_NOTIFY, 2, 0);
            assertThat(h.lin(LEGACY_STATUS, 1) & STATUS_NEEDS_RESET).as("legacy has no NEEDS_RESET").isZero();
            assertThat(h.logs().stream().filter(l -> l.contains("jumped"))).hasSize(1);
            // Fixing the ring does not revive the queue: only a reset does.
            ring.setAvailIdx(1);
            ring.desc(0, 0x50000, 8, DESC_F_WRITE, 0);
            ring.setAvailEntry(0, 0);
            h.lout(LEGACY_QUEUE_NOTIFY, 2, 0);
            assertThat(ring.usedIdx()).isZero();
        }
    }

    @Test
    void randomRegisterWritesNeverThrow() throws Exception {
        java.util.Random r = new java.util.Random(42);
        try (VirtioHarness h = rnd()) {
            for (int i = 0; i < 20000; i++) {
                int size = 1 << r.nextInt(3);
                switch (r.nextInt(4)) {
                    case 0 -> h.lout(r.nextInt(32) & -size, size, r.nextInt());
                    case 1 -> h.mwrite(r.nextInt(0x4000) & -size, size, r.nextLong());
                    case 2 -> h.mread(r.nextInt(0x4000) & -size, size);
                    default -> h.cfgWrite(0x40 + (r.nextInt(0xc0) & -size), size, r.nextInt());
                }
            }
            // Still a working device after a reset.
            GuestRing ring = h.legacySetup(0, 0x100, 0);
            ring.desc(0, 0x50000, 8, DESC_F_WRITE, 0);
            ring.offer(0);
            h.lout(LEGACY_QUEUE_NOTIFY, 2, 0);
            assertThat(ring.usedIdx()).isEqualTo(1);
        }
    }

    // ---------------------------------------------------------------- snapshots

    @Test
    void snapshotRoundTripKeepsQueuesFeaturesAndStatus() throws Exception {
        StateRecord saved;
        try (VirtioHarness h = rnd()) {
            h.enableMsix();
            GuestRing ring = h.modernSetup(0, bit(F_VERSION_1) | bit(F_RING_EVENT_IDX), 0x60000, 16);
            ring.desc(0, 0x50000, 8, DESC_F_WRITE, 0);
            for (int i = 0; i < 3; i++) {
                ring.offer(0);
                h.notifyModern(0);
            }
            h.dev.pause();
            saved = h.dev.saveState();
            h.dev.resume();
        }
        try (VirtioHarness h = rnd()) {
            h.enableMsix();
            h.dev.pause();
            h.dev.restoreState(StateRecord.decode(saved.encode()), h.dev.stateVersion());
            assertThat(h.common(COMMON_STATUS, 1)).isEqualTo(DRIVER_BITS | STATUS_FEATURES_OK | STATUS_DRIVER_OK);
            assertThat(h.dev.negotiatedFeatures()).isEqualTo(bit(F_VERSION_1) | bit(F_RING_EVENT_IDX));
            assertThat(h.common(COMMON_Q_ENABLE, 2)).isEqualTo(1);
            assertThat(h.common(COMMON_Q_DESC, 8)).isEqualTo(0x60000);
            VirtQueue q = h.dev.queue(0);
            assertThat(q.nextAvail()).isEqualTo(3);
            assertThat(q.nextUsed()).isEqualTo(3);
            assertThat(q.msixVector()).isEqualTo(1);
            h.dev.resume();
        }
    }

    @Test
    void aSnapshotOfADifferentlyConfiguredDeviceIsRefused() throws Exception {
        StateRecord saved;
        try (VirtioHarness h = rnd()) {
            saved = h.dev.saveState();
        }
        try (VirtioHarness h = rnd("virtio.modern", "false")) {
            assertThatThrownBy(() -> h.dev.restoreState(saved, h.dev.stateVersion()))
                    .isInstanceOf(SnapshotFormatException.class);
        }
        StateRecord model = saved.record("model");
        StateRecord badQueue = model.toBuilder().putRecords("queues", List.of(model.records("queues").getFirst().toBuilder()
                .putBool("ready", true).putU64("desc", 0xfff0_0000L).build())).build();
        try (VirtioHarness h = rnd()) {
            assertThatThrownBy(() -> h.dev.restoreState(saved.toBuilder().putRecord("model", badQueue).build(),
                    h.dev.stateVersion())).isInstanceOf(SnapshotFormatException.class).hasMessageContaining("not in guest RAM");
        }
    }

    /**
     * A ring set up through the legacy page-frame register restores; a saved register value that does not
     * describe the saved ring (no guest can make one: the register places the whole ring) is refused.
     */
    @Test
    void aLegacyRingRestoresAndALegacyPfnThatDoesNotDescribeItIsRefused() throws Exception {
        StateRecord saved;
        try (VirtioHarness h = rnd()) {
            h.legacySetup(0, 0x100, 0);
            h.dev.pause();
            saved = h.dev.saveState();
            h.dev.resume();
        }
        try (VirtioHarness h = rnd()) {
            h.dev.pause();
            h.dev.restoreState(StateRecord.decode(saved.encode()), h.dev.stateVersion());
            assertThat(h.lin(LEGACY_QUEUE_PFN, 4)).isEqualTo(0x100);
            h.dev.resume();
        }
        StateRecord model = saved.record("model");
        StateRecord queue = model.records("queues").getFirst();
        for (long pfn : new long[] {0x101, 0x1_0000_0100L}) {
            StateRecord bad = saved.toBuilder().putRecord("model", model.toBuilder().putRecords("queues",
                    List.of(queue.toBuilder().putU64("legacy_pfn", pfn).build())).build()).build();
            try (VirtioHarness h = rnd()) {
                assertThatThrownBy(() -> h.dev.restoreState(bad, h.dev.stateVersion()))
                        .isInstanceOf(SnapshotFormatException.class).hasMessageContaining("legacy_pfn")
                        .hasMessageContaining("does not describe the saved ring");
            }
        }
    }

    /**
     * A driver that offered a buffer and notified while the device was paused for a checkpoint will not
     * notify again: the restored device looks at its queues before the VM runs ({@code restored()}) and
     * serves it. The snapshot also holds the driver's notifications on, though the device had them off.
     */
    @Test
    void aRestoredDeviceServesWhatTheDriverOfferedWhileItWasPaused() throws Exception {
        StateRecord saved;
        long used;
        byte[] ram = new byte[(int) VirtioHarness.RAM];
        try (VirtioHarness h = rnd()) {
            GuestRing ring = h.legacySetup(0, 0x100, 0);
            h.dev.queue(0).setNotification(false); // as a model does while it drains a queue
            h.dev.pause();
            assertThat(ring.usedFlags()).as("notifications on in the snapshot").isZero();
            ring.desc(0, 0x50000, 8, DESC_F_WRITE, 0);
            ring.offer(0);
            h.lout(LEGACY_QUEUE_NOTIFY, 2, 0); // not acted on: paused
            assertThat(ring.usedIdx()).isZero();
            saved = h.dev.saveState();
            h.memory().read(0, ram, 0, ram.length);
            used = ring.used;
        }
        try (VirtioHarness h = rnd()) {
            h.memory().write(0, ram); // the guest's RAM as the snapshot holds it (a GuestRing would clear it)
            h.dev.restoreState(StateRecord.decode(saved.encode()), h.dev.stateVersion());
            assertThat(h.memory().readShort(used + 2)).isZero();
            h.dev.restored();
            assertThat(h.memory().readShort(used + 2)).as("served before the VM runs").isEqualTo((short) 1);
            assertThat(h.memory().readInt(used + 8)).as("the length of used element 0").isEqualTo(8);
        }
    }

    /** Saves {@code h}'s device paused, as a checkpoint does, and restores the record into a fresh device. */
    private static void restoresIntoAFreshDevice(VirtioHarness h) throws Exception {
        h.dev.pause();
        StateRecord saved = h.dev.saveState();
        h.dev.resume();
        try (VirtioHarness fresh = rnd()) {
            fresh.dev.pause();
            fresh.dev.restoreState(StateRecord.decode(saved.encode()), fresh.dev.stateVersion());
            assertThat(fresh.dev.saveState()).isEqualTo(saved);
            fresh.dev.resume();
        }
    }

    /**
     * The driver may write any 16-bit queue_size before it enables the queue (the value is checked at
     * enable). A checkpoint taken in between saves that register; the restore must take it back, or the
     * VM's snapshot cannot be restored at all.
     */
    @Test
    void aQueueSizeTheDriverWroteButNeverEnabledRestores() throws Exception {
        for (int size : new int[] {0, 48, 0x8000, 0xffff}) {
            try (VirtioHarness h = rnd()) {
                h.common(COMMON_STATUS, 1, DRIVER_BITS);
                h.common(COMMON_Q_SELECT, 2, 0);
                h.common(COMMON_Q_SIZE, 2, size);
                assertThat(h.common(COMMON_Q_SIZE, 2)).isEqualTo(size);
                restoresIntoAFreshDevice(h);
            }
        }
    }

    /**
     * FEATURES_OK is checked against the offered features when the modern status register sets it; a
     * transitional device must check it as well when the legacy status register sets it, after the
     * driver wrote unoffered bits through the modern feature window. Otherwise the device holds a state
     * that a restore rightly refuses (FEATURES_OK with features it does not offer): a lost VM.
     */
    @Test
    void featuresOkThroughTheLegacyStatusRegisterIsCheckedToo() throws Exception {
        try (VirtioHarness h = rnd()) {
            h.common(COMMON_STATUS, 1, DRIVER_BITS);
            h.common(COMMON_GFSELECT, 4, 1);
            h.common(COMMON_GF, 4, 1 << 8); // bit 40: not offered
            h.lout(LEGACY_STATUS, 1, DRIVER_BITS | STATUS_FEATURES_OK);
            assertThat(h.lin(LEGACY_STATUS, 1) & STATUS_FEATURES_OK).as("FEATURES_OK refused").isZero();
            assertThat(h.logs()).anyMatch(l -> l.contains("FEATURES_OK refused"));
            restoresIntoAFreshDevice(h);
        }
        try (VirtioHarness h = rnd()) {
            // A legacy driver's own feature bits are limited to the offered ones: FEATURES_OK stays allowed.
            h.lout(LEGACY_STATUS, 1, DRIVER_BITS);
            h.lout(LEGACY_GUEST_FEATURES, 4, -1);
            h.lout(LEGACY_STATUS, 1, DRIVER_BITS | STATUS_FEATURES_OK);
            assertThat(h.lin(LEGACY_STATUS, 1) & STATUS_FEATURES_OK).isNotZero();
            restoresIntoAFreshDevice(h);
        }
    }

    @Test
    void pausedDevicesTakeNothingAndCatchUpOnResume() throws Exception {
        try (VirtioHarness h = rnd()) {
            GuestRing ring = h.legacySetup(0, 0x100, 0);
            h.dev.pause();
            ring.desc(0, 0x50000, 8, DESC_F_WRITE, 0);
            ring.offer(0);
            h.lout(LEGACY_QUEUE_NOTIFY, 2, 0);
            assertThat(ring.usedIdx()).isZero();
            assertThat(h.intx().high()).isFalse();
            h.dev.resume();
            assertThat(ring.usedIdx()).isEqualTo(1);
            assertThat(h.intx().high()).isTrue();
        }
    }
}
