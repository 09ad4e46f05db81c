package org.jbhyve.vmm.freebsd;

import org.jbhyve.vmm.VmConfig;
import org.jbhyve.vmm.VmExit;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** A FreeBSD backend over {@link FakeVmmapi}: hypervisor, one VM, and access to the model behind it. */
final class Fixture implements AutoCloseable {
    final FakeVmmapi api;
    final FreeBsdHypervisor hv;
    final FreeBsdVm vm;
    final FakeVmmapi.Vm model;

    Fixture(int vcpus) {
        this(new FakeVmmapi(), vcpus, InstructionEmulation.x86());
    }

    Fixture(FakeVmmapi api, int vcpus, InstructionEmulation emulation) {
        this(api, VmConfig.of("test", vcpus, 16L << 20), emulation);
    }

    Fixture(FakeVmmapi api, VmConfig config, InstructionEmulation emulation) {
        this.api = api;
        this.hv = FreeBsdHypervisor.open(api, emulation);
        this.vm = (FreeBsdVm) hv.createVm(config);
        this.model = api.vm(config.name());
    }

    FreeBsdVcpu vcpu(int id) {
        return (FreeBsdVcpu) vm.vcpu(id);
    }

    FakeVmmapi.Cpu cpu(int id) {
        return model.cpu(id);
    }

    /** Runs {@code vcpu} on a platform thread (run() binds to its first caller thread as on KVM). */
    static CompletableFuture<VmExit> runAsync(FreeBsdVcpu vcpu) {
        CompletableFuture<VmExit> f = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("vcpu-" + vcpu.id()).start(() -> {
            try {
                f.complete(vcpu.run());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    static <T> T within(CompletableFuture<T> f, long seconds) throws Exception {
        return f.get(seconds, TimeUnit.SECONDS);
    }

    static void eventually(Supplier<Boolean> condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.get()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(2);
        }
    }

    @Override
    public void close() {
        vm.close();
        hv.close();
        api.close();
    }
}
