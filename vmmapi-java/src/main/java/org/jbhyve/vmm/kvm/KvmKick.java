package org.jbhyve.vmm.kvm;

import org.jbhyve.bindings.libc.libc_h;
import org.jbhyve.bindings.linux.kvm.kvm_run;
import org.jbhyve.bindings.linux.kvm.kvm_signal_mask;
import org.jbhyve.vmm.VmmException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static org.jbhyve.bindings.linux.kvm.kvm_h.KVM_SET_SIGNAL_MASK;

/**
 * Stopping a vCPU that is inside {@code KVM_RUN}, from another thread, without a Java signal handler.
 *
 * <p>KVM leaves {@code KVM_RUN} with EINTR when a signal is pending that the vCPU's <em>run</em> mask
 * lets through. So: the vCPU thread blocks {@link #SIGNAL} (SIGUSR1) in its own mask, and
 * {@code KVM_SET_SIGNAL_MASK} tells KVM to use the same mask minus SIGUSR1 while in the guest.
 * A kick sets {@code kvm_run.immediate_exit} (which makes a KVM_RUN that has not started yet return
 * EINTR at once, after completing any pending I/O) and sends SIGUSR1 to the vCPU thread (which
 * ends a KVM_RUN already in progress). Outside KVM_RUN the signal stays pending and blocked, so no
 * handler ever runs; the vCPU thread consumes it with {@code sigtimedwait} after the EINTR.
 *
 * <p>The process disposition of SIGUSR1 is set to ignore, so a stray process-wide SIGUSR1 cannot
 * kill the VMM. Ignoring does not drop our kicks: the kernel keeps a signal that the target thread
 * blocks (or blocked on entry to KVM_RUN) pending even when its disposition is ignore.
 *
 * <p>The thread id is published only while the thread is inside {@link KvmVcpu#run()}, under a lock
 * that the kicker also holds while signalling, so a signal never goes to a thread that has moved on
 * or exited.
 */
final class KvmKick {
    static final int SIGNAL = libc_h.SIGUSR1;
    private static final long KERNEL_SIGSET_BYTES = 8;

    static {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = libc_h.allocateErrnoState(a);
            MemorySegment prev = libc_h.signal(errno, SIGNAL, libc_h.SIG_IGN);
            if (prev.address() == -1L) throw VmmException.failed("signal(SIGUSR1, SIG_IGN)", "process", libc_h.errno(errno));
        }
    }

    private final KvmFd vcpu;
    private final MemorySegment run;
    private final MemorySegment kickSet;     // sigset_t {SIGUSR1}
    private final MemorySegment oldSet;      // scratch sigset_t
    private final MemorySegment zeroTimeout; // struct timespec {0, 0}
    private final MemorySegment errno;
    private final Object lock = new Object();
    private Thread boundThread;              // the thread whose mask is prepared (vCPU thread only)
    private long boundPthread;               // its pthread_t (vCPU thread only)
    private long runningThread;              // pthread_t while inside KVM_RUN, else 0; guarded by lock
    private boolean closed;                  // guarded by lock

    KvmKick(KvmFd vcpu, MemorySegment run, Arena arena) {
        this.vcpu = vcpu;
        this.run = run;
        this.kickSet = arena.allocate(libc_h.SIGSET_T_SIZE, 8);
        this.oldSet = arena.allocate(libc_h.SIGSET_T_SIZE, 8);
        this.zeroTimeout = arena.allocate(16, 8);
        this.errno = libc_h.allocateErrnoState(arena);
        setBit(kickSet, SIGNAL);
    }

    private static void setBit(MemorySegment sigset, int sig) {
        long word = sigset.get(ValueLayout.JAVA_LONG, 0);
        sigset.set(ValueLayout.JAVA_LONG, 0, word | (1L << (sig - 1)));
    }

    /** Called by the vCPU thread before KVM_RUN. */
    void enter() {
        Thread me = Thread.currentThread();
        if (me != boundThread) bind(me);
        synchronized (lock) {
            runningThread = boundPthread;
        }
    }

    /** Called by the vCPU thread after KVM_RUN. */
    void leave() {
        synchronized (lock) {
            runningThread = 0;
        }
    }

    /** Blocks the kick signal on this thread and gives KVM the run mask without it. */
    private void bind(Thread me) {
        int err = libc_h.pthread_sigmask(libc_h.SIG_BLOCK, kickSet, oldSet);
        if (err != 0) throw VmmException.failed("pthread_sigmask", "vcpu thread " + me.getName(), err);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment mask = a.allocate(kvm_signal_mask.sizeof() + KERNEL_SIGSET_BYTES, 8);
            kvm_signal_mask.len(mask, (int) KERNEL_SIGSET_BYTES);
            long blocked = oldSet.get(ValueLayout.JAVA_LONG, 0) & ~(1L << (SIGNAL - 1));
            mask.set(ValueLayout.JAVA_LONG_UNALIGNED, kvm_signal_mask.sizeof(), blocked);
            vcpu.ioctl("KVM_SET_SIGNAL_MASK", KVM_SET_SIGNAL_MASK, mask);
        }
        boundThread = me;
        boundPthread = libc_h.pthread_self();
    }

    /** True while the vCPU thread is inside KVM_RUN. */
    boolean isRunning() {
        synchronized (lock) {
            return runningThread != 0;
        }
    }

    /** Any thread: make the vCPU leave KVM_RUN now, or not enter it next time. */
    void kick() {
        synchronized (lock) {
            if (closed) return;
            kvm_run.immediate_exit(run, (byte) 1);
            VarHandle.fullFence();
            if (runningThread != 0) libc_h.pthread_kill(runningThread, SIGNAL);
        }
    }

    /** The vCPU thread, after KVM_RUN returned EINTR: consume the kick. */
    void acknowledge() {
        kvm_run.immediate_exit(run, (byte) 0);
        while (libc_h.sigtimedwait(errno, kickSet, MemorySegment.NULL, zeroTimeout) == SIGNAL) {
            // drain: a standard signal is pending at most once, but stay robust
        }
    }

    void close() {
        synchronized (lock) {
            closed = true;
            runningThread = 0;
        }
    }
}
