package org.jbhyve.vmm;

import org.jbhyve.testguests.TestGuests;
import org.jbhyve.vmm.boot.ElfImage;
import org.jbhyve.vmm.boot.LongModeSetup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;

/**
 * Boots a test guest (see test-guests/README.md) and runs its vCPUs on platform threads, collecting
 * what it writes to port 0x3f8 until it writes its status to port 0xf4. A watchdog kicks every vCPU
 * when the deadline passes, so a broken guest fails the test instead of hanging it.
 *
 * <p>{@link #stop()} (from a handler or any thread) ends {@link #run} early without failing it: every
 * vCPU is kicked and its thread returns once {@code run()} has said Stopped, so pending I/O is
 * completed and the vCPUs are ready for {@link Vcpu#saveState()}.
 */
public final class GuestHarness implements AutoCloseable {
    public static final int SERIAL_PORT = 0x3f8;
    public static final int EXIT_PORT = 0xf4;

    /** Extra exit handling: return true when the exit was handled. */
    public interface Handler extends BiPredicate<Vcpu, VmExit> {}

    public final Hypervisor hv;
    public final VirtualMachine vm;
    private final ByteArrayOutputStream serial = new ByteArrayOutputStream();
    private final List<String> exitLog = new ArrayList<>();
    private volatile int status = -1;
    private volatile boolean finished;
    private volatile String failure;

    public GuestHarness(String guest, VmConfig config) throws IOException {
        this.hv = Hypervisor.open();
        this.vm = hv.createVm(config);
        ElfImage image = ElfImage.read(TestGuests.path(guest));
        LongModeSetup.boot(image, vm.memory(), vm.vcpu(0));
    }

    /** Runs an existing VM, e.g. one restored from a checkpoint; closing the harness closes both. */
    public GuestHarness(Hypervisor hv, VirtualMachine vm) {
        this.hv = hv;
        this.vm = vm;
    }

    public static VmConfig config(String name, int vcpus, boolean irqchip) {
        return VmConfig.of(name, vcpus, 16L << 20).withKernelIrqchip(irqchip);
    }

    /** Runs every vCPU until the guest reports its status, or fails after {@code timeout}. */
    public int run(Duration timeout, Handler handler) throws Exception {
        List<CompletableFuture<Void>> threads = new ArrayList<>();
        for (Vcpu v : vm.vcpus()) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            Thread.ofPlatform().name("vcpu-" + v.id()).daemon().start(() -> {
                try {
                    loop(v, handler);
                    done.complete(null);
                } catch (Throwable t) {
                    failure = "vcpu " + v.id() + ": " + t;
                    done.completeExceptionally(t);
                    finish();
                }
            });
            threads.add(done);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (CompletableFuture<Void> t : threads) {
            long left = deadline - System.nanoTime();
            try {
                t.get(Math.max(left, 1), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                failure = "guest did not finish within " + timeout + "; output so far: " + output();
                finish();
                t.get(10, TimeUnit.SECONDS);
            }
        }
        if (failure != null) throw new AssertionError(failure);
        return status;
    }

    private void finish() {
        finished = true;
        for (Vcpu v : vm.vcpus()) v.kick();
    }

    /** Stops every vCPU; {@link #run} then returns the status so far (-1 if the guest has not exited). */
    public void stop() {
        finish();
    }

    /** The status the guest wrote to port 0xf4, or -1. */
    public int status() { return status; }

    private void loop(Vcpu v, Handler handler) {
        while (true) {
            VmExit exit = v.run();
            // Leave only on a Stopped seen after finish(): that run() completed any pending I/O.
            if (exit instanceof VmExit.Stopped && finished) return;
            if (handler != null && handler.test(v, exit)) continue;
            switch (exit) {
                case VmExit.PortIo io when io.port() == SERIAL_PORT && io.isOut() -> {
                    synchronized (serial) {
                        for (int i = 0; i < io.count(); i++) serial.write(io.value(i));
                    }
                }
                case VmExit.PortIo io when io.port() == EXIT_PORT && io.isOut() -> {
                    status = io.value() & 0xff;
                    finish();
                }
                case VmExit.Stopped s -> { /* kicked or interrupted: the loop condition decides */ }
                default -> {
                    synchronized (exitLog) {
                        exitLog.add(exit.toString());
                    }
                    throw new IllegalStateException("unexpected exit on vcpu " + v.id() + ": " + exit
                            + "\nregisters:\n" + v.getRegisters() + "\noutput so far: " + output());
                }
            }
        }
    }

    public String output() {
        synchronized (serial) {
            return serial.toString(java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    @Override
    public void close() {
        vm.close();
        hv.close();
    }
}
