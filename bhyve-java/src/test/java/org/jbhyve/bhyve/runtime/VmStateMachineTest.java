package org.jbhyve.bhyve.runtime;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pause rendezvous with vCPU threads (real threads standing in for VcpuLoop's two ways out of a kick). */
class VmStateMachineTest {
    private static final Duration T = Duration.ofSeconds(30);

    /**
     * A checkpoint pauses the VM just as one vCPU is handling the guest's reset (a write to 0xcf9): that
     * vCPU ends the VM instead of parking. The pause must not return as if every vCPU had stopped: the
     * checkpoint would go on to pause the devices and then fail with "VM cannot go from DESTROYED to
     * CHECKPOINTING", which is what its client was told.
     */
    @Test
    void aPauseDuringWhichAVcpuEndsTheVmFailsSayingHowItEnded() throws Exception {
        VmStateMachine state = new VmStateMachine(2);
        assertThat(state.started()).isTrue();
        CountDownLatch kicked = new CountDownLatch(1);
        AtomicBoolean mayRunAgain = new AtomicBoolean(true);
        Thread parking = Thread.ofPlatform().start(() -> {
            try {
                kicked.await();
                mayRunAgain.set(state.awaitRunnable(0));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread resetting = Thread.ofPlatform().start(() -> {
            try {
                kicked.await();
                state.end(ExitStatus.REBOOT, "guest reset");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        assertThatThrownBy(() -> state.pause(kicked::countDown, T))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the VM has ended (guest reset) while its vCPUs were being stopped");

        resetting.join(T.toMillis());
        parking.join(T.toMillis());
        assertThat(parking.isAlive()).isFalse();
        assertThat(mayRunAgain).as("the parked vCPU thread ends").isFalse();
        assertThat(state.state()).isEqualTo(VmState.DESTROYED);
        assertThat(state.exitStatus()).isEqualTo(ExitStatus.REBOOT);
        assertThatThrownBy(() -> state.pause(() -> { }, T)).hasMessage("the VM has ended (guest reset)");
    }

    /** The ordinary case: every vCPU parks, the pause returns, and resume lets them go. */
    @Test
    void aPauseReturnsOnceEveryVcpuHasParked() throws Exception {
        VmStateMachine state = new VmStateMachine(2);
        state.started();
        CountDownLatch kicked = new CountDownLatch(1);
        Thread[] vcpus = new Thread[2];
        AtomicBoolean[] again = {new AtomicBoolean(), new AtomicBoolean()};
        for (int i = 0; i < 2; i++) {
            int id = i;
            vcpus[i] = Thread.ofPlatform().start(() -> {
                try {
                    kicked.await();
                    again[id].set(state.awaitRunnable(id));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        state.pause(kicked::countDown, T);
        assertThat(state.state()).isEqualTo(VmState.PAUSED);
        state.resume();
        for (Thread t : vcpus) t.join(T.toMillis());
        assertThat(again[0]).isTrue();
        assertThat(again[1]).isTrue();
    }
}
