package org.jbhyve.vmm.kvm;

import org.jbhyve.testguests.RequiresKvm;
import org.jbhyve.testguests.TestGuests;
import org.jbhyve.vmm.GuestHarness;
import org.jbhyve.vmm.GuestMemory;
import org.jbhyve.vmm.VmConfig;
import org.jbhyve.vmm.VmExit;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * KVM's dirty-page log (KVM_MEM_LOG_DIRTY_PAGES, KVM_GET_DIRTY_LOG) on real /dev/kvm, with the
 * {@code dirty} guest rewriting the 1024 pages from 16 MiB over and over.
 */
@RequiresKvm
class KvmDirtyLogTest {
    private static final Duration T = Duration.ofSeconds(60);
    private static final int FIRST = (int) (TestGuests.DIRTY_BASE / VmConfig.PAGE_SIZE);

    /**
     * The guest asks CMOS (ports 0x70/0x71) how much RAM lies above 4 GiB; this harness has no RTC, so
     * every byte reads 0: none, and the guest rewrites only its low pages.
     */
    private static boolean noCmos(org.jbhyve.vmm.Vcpu v, VmExit exit) {
        if (!(exit instanceof VmExit.PortIo io) || (io.port() != 0x70 && io.port() != 0x71)) return false;
        if (!io.isOut()) io.setValue(0);
        return true;
    }

    @Test
    void theLogHoldsThePagesTheGuestWritesAndTakingItClearsIt() throws Exception {
        try (GuestHarness g = new GuestHarness("dirty", VmConfig.of("dirtylog", 1, 32L << 20))) {
            GuestMemory.Region ram = g.vm.memory().regions().getFirst();
            assertThatThrownBy(() -> g.vm.takeDirtyLog(ram)).isInstanceOf(IllegalStateException.class);
            assertThat(g.vm.startDirtyLog()).isTrue();
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return g.run(T, KvmDirtyLogTest::noCmos);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            long deadline = System.nanoTime() + T.toNanos();
            while (!g.output().contains("dirty pass 64") && System.nanoTime() < deadline) Thread.sleep(10);
            assertThat(g.output()).contains("dirty pass 64").doesNotContain("bad");

            // The VMM writes a page through its own mapping: KVM does not see that (GuestMemory logs it).
            g.vm.memory().writeLong(24L << 20, 1);
            BitSet dirty = BitSet.valueOf(g.vm.takeDirtyLog(ram));
            assertThat(dirty.get(FIRST, FIRST + TestGuests.DIRTY_PAGES).cardinality())
                    .as("a whole pass of the guest since the log started").isEqualTo(TestGuests.DIRTY_PAGES);
            assertThat(dirty.get((int) ((24L << 20) / VmConfig.PAGE_SIZE))).isFalse();
            assertThat(dirty.length()).isLessThanOrEqualTo(FIRST + TestGuests.DIRTY_PAGES);

            g.stop();
            run.get(T.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            g.vm.takeDirtyLog(ram); // what it wrote up to the stop
            assertThat(g.vm.takeDirtyLog(ram)).as("a stopped guest writes nothing; the last take cleared the log")
                    .containsOnly(0L);

            g.vm.stopDirtyLog();
            assertThatThrownBy(() -> g.vm.takeDirtyLog(ram)).isInstanceOf(IllegalStateException.class);
        }
    }
}
