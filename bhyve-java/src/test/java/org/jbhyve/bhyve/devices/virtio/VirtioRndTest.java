package org.jbhyve.bhyve.devices.virtio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jbhyve.bhyve.devices.virtio.Virtio.*;

import org.junit.jupiter.api.Test;

/** virtio-rnd fills the writable buffers of each request, at most 64 KiB of them. */
class VirtioRndTest {
    @Test
    void requestsGetRandomBytesBoundedPerRequest() throws Exception {
        try (VirtioHarness h = VirtioTransportTest.rnd()) {
            GuestRing ring = h.legacySetup(0, 0x100, 0);
            ring.desc(0, 0x200000, 64, DESC_F_WRITE, 0);
            ring.desc(1, 0x300000, 4 << 20, DESC_F_WRITE, 0); // 4 MiB asked for
            ring.desc(2, 0x200100, 16, 0, 0); // nothing writable: nothing written
            ring.offer(0);
            ring.offer(1);
            ring.offer(2);
            h.lout(LEGACY_QUEUE_NOTIFY, 2, 0);
            assertThat(ring.usedIdx()).isEqualTo(3);
            assertThat(ring.usedLength(0)).isEqualTo(64);
            assertThat(ring.usedLength(1)).isEqualTo(VirtioRnd.MAX_BYTES_PER_REQUEST);
            assertThat(ring.usedLength(2)).isZero();
            byte[] a = new byte[64];
            h.memory().read(0x200000, a, 0, 64);
            assertThat(a).isNotEqualTo(new byte[64]);
            assertThat(h.memory().readLong(0x300000 + VirtioRnd.MAX_BYTES_PER_REQUEST)).as("past the cap: untouched").isZero();
        }
    }
}
