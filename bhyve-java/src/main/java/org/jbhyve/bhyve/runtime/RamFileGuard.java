package org.jbhyve.bhyve.runtime;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps restored VMs' RAM safe from changes to the snapshot files it is mapped from. Guest RAM after a
 * restore is a private mapping of the file, read lazily: a truncation of the file takes away every page
 * past its new end (those the guest wrote too), and a rewrite in place shows through the pages the guest
 * has not written. So each such VM holds a read lease on its file ({@code F_SETLEASE}); the kernel then
 * sends this process SIGIO before anyone opens the file for writing or truncates it, and holds them back
 * until the lease is given up. The handler copies the VM's RAM out of the file (paused, milliseconds per
 * 100 MiB in use) and gives it up: the writer goes ahead and the guest never sees it.
 */
final class RamFileGuard {
    private static final Set<VmRuntime> GUARDED = ConcurrentHashMap.newKeySet();
    private static volatile boolean handlerInstalled;

    private RamFileGuard() {}

    /** Takes the lease for {@code vm}'s RAM file, or says on its log why its RAM stays exposed. */
    static void guard(VmRuntime vm) {
        if (!vm.vm().ramMappedFromFile()) return;
        // Handler first, then the VM in the set, then the lease: a SIGIO must never find no handler (its
        // default action ends the process) nor miss this VM.
        installHandler();
        GUARDED.add(vm);
        String refused;
        try {
            refused = vm.vm().leaseRamFile();
        } catch (RuntimeException e) { // the file changed between its mapping and the lease
            GUARDED.remove(vm);
            vm.vm().releaseRamFileLease();
            vm.end(ExitStatus.ERROR, e.getMessage());
            return;
        }
        if (refused != null) {
            GUARDED.remove(vm);
            vm.warn("jbhyve: no lease on the snapshot file this VM's RAM is mapped from: " + refused + "; do not rewrite"
                    + " or truncate that file while the VM runs");
        }
    }

    static void forget(VmRuntime vm) {
        GUARDED.remove(vm);
    }

    private static synchronized void installHandler() {
        if (handlerInstalled) return;
        // Each signal runs its handler on a new thread: a detach may pause a VM for a while.
        sun.misc.Signal.handle(new sun.misc.Signal("IO"), s -> leaseBreaking());
        handlerInstalled = true;
    }

    /** SIGIO: a lease is being broken. Every VM whose lease it is copies its RAM out; others are left alone. */
    private static void leaseBreaking() {
        for (VmRuntime vm : GUARDED) {
            try {
                if (vm.vm().ramFileLeaseBroken() && GUARDED.remove(vm)) vm.detachRamFromSnapshotFile();
            } catch (RuntimeException e) { // one VM's trouble must not cost another its turn
                vm.warn("jbhyve: while copying RAM out of the snapshot file: " + e);
            }
        }
    }
}
