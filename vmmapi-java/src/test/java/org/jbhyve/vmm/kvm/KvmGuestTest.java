package org.jbhyve.vmm.kvm;

import org.jbhyve.testguests.RequiresKvm;
import org.jbhyve.vmm.GuestHarness;
import org.jbhyve.vmm.VmExit;
import org.jbhyve.vmm.state.Registers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The test guests, booted through vmmapi-java on real /dev/kvm. */
@RequiresKvm
class KvmGuestTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void serialGuestWritesToPort0x3f8AndHalts() throws Exception {
        AtomicInteger halts = new AtomicInteger();
        try (GuestHarness g = new GuestHarness("serial", GuestHarness.config("serial", 1, false))) {
            int status = g.run(TIMEOUT, (v, exit) -> {
                if (exit instanceof VmExit.Halt) {
                    // Without an in-kernel irqchip, HLT reaches userspace; the first one is before "resumed".
                    assertThat(halts.incrementAndGet()).isEqualTo(1);
                    assertThat(g.output()).isEqualTo("Hello from the jbhyve serial guest\n");
                    return true;
                }
                return false;
            });
            assertThat(status).isZero();
            assertThat(halts.get()).isEqualTo(1);
            assertThat(g.output()).isEqualTo("Hello from the jbhyve serial guest\nresumed\n");
        }
    }

    @Test
    void mmioGuestSeesEveryAccessWithItsWidthAndValue() throws Exception {
        List<String> accesses = Collections.synchronizedList(new ArrayList<>());
        try (GuestHarness g = new GuestHarness("mmio", GuestHarness.config("mmio", 1, true))) {
            int status = g.run(TIMEOUT, (v, exit) -> {
                if (exit instanceof VmExit.Mmio m && (m.address() & ~0xfffL) == 0xd0000000L) {
                    long off = m.address() - 0xd0000000L;
                    if (m.isWrite()) {
                        accesses.add("w " + Long.toHexString(m.address()) + " " + m.size() + " " + Long.toHexString(m.value()));
                    } else {
                        accesses.add("r " + Long.toHexString(m.address()) + " " + m.size());
                        m.setValue(0xc0de0000L | off);
                    }
                    return true;
                }
                return false;
            });
            assertThat(status).isZero();
            assertThat(accesses).containsExactly(
                    "w d0000000 4 12345678",
                    "r d0000004 4",
                    "w d0000010 1 ab",
                    "r d0000012 2",
                    "w d0000018 8 1122334455667788",
                    "r d0000020 8");
            assertThat(g.output()).isEqualTo("read d0000004 c0de0004\nread d0000012 12\nread d0000020 c0de0020\n");
        }
    }

    @Test
    void irqGuestCountsInterruptsDeliveredThroughTheIoapic() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        try (GuestHarness g = new GuestHarness("irq", GuestHarness.config("irq", 1, true))) {
            int status = g.run(TIMEOUT, (v, exit) -> {
                if (exit instanceof VmExit.PortIo io && io.port() == 0x501 && io.isOut()) {
                    assertThat(io.value()).isEqualTo(requests.getAndIncrement());
                    // Raise the edge from another thread, as a device model's I/O thread would.
                    Thread t = Thread.ofPlatform().start(() -> g.vm.pulseIrq(10));
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return true;
                }
                return false;
            });
            assertThat(g.output()).endsWith("irqs=8\n");
            assertThat(status).isZero();
            assertThat(requests.get()).isEqualTo(8);
        }
    }

    @Test
    void smpGuestStartsTheApWithInitSipiAndBothReport() throws Exception {
        try (GuestHarness g = new GuestHarness("smp", GuestHarness.config("smp", 2, true))) {
            int status = g.run(TIMEOUT, null);
            assertThat(g.output().lines().toList())
                    .as(g.output())
                    .contains("hello from cpu 0", "hello from cpu 1", "cpus=2");
            assertThat(status).isZero();
        }
    }

    @Test
    void registersSetByTheHostReachTheGuestAndBack() throws Exception {
        try (GuestHarness g = new GuestHarness("regs", GuestHarness.config("regs", 1, false))) {
            var cpu = g.vm.vcpu(0);
            cpu.setRegisters(cpu.getRegisters().withRbx(0x123456789abcdef0L).withR12(0xfeedfaceL));
            List<Registers> atExit = new ArrayList<>();
            int status = g.run(TIMEOUT, (v, exit) -> {
                if (exit instanceof VmExit.PortIo io && io.port() == GuestHarness.EXIT_PORT) {
                    atExit.add(v.getRegisters());
                }
                return false;
            });
            assertThat(status).isZero();
            assertThat(g.output()).isEqualTo("rbx=123456789abcdef0 r12=feedface\n");
            Registers r = atExit.getFirst();
            assertThat(r.r8()).isEqualTo(0x8888888888888888L);
            assertThat(r.r9()).isEqualTo(0x9999L);
            assertThat(r.r15()).isEqualTo(0xf00dL);
            assertThat(r.rbx()).isEqualTo(0x2222L);
            assertThat(r.rax() & 0xff).isZero();
        }
    }
}
