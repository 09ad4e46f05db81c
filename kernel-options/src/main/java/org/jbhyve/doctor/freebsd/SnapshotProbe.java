package org.jbhyve.doctor.freebsd;

import org.jbhyve.bindings.libc.Errno;
import org.jbhyve.bindings.libc.libc_h;
import org.jbhyve.bindings.freebsd.vmm.vm_snapshot_meta;
import org.jbhyve.bindings.freebsd.vmm.vmm_h;
import org.jbhyve.bindings.freebsd.vmm.vmmctl_vm_create;
import org.jbhyve.bindings.freebsd.vmm.vmmctl_vm_destroy;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * Does the running kernel's vmm have snapshot support ({@code options BHYVE_SNAPSHOT})?
 *
 * <p>The method: {@code VM_SNAPSHOT_REQ} is an ioctl on a VM's device, so the probe creates a throwaway VM
 * (no memory, no vCPUs) named {@code bhyve-doctor-PID}, through {@code /dev/vmmctl} ({@code VMMCTL_VM_CREATE},
 * FreeBSD 15) or, on FreeBSD 14, the {@code hw.vmm.create} sysctl; opens {@code /dev/vmm/NAME}; issues
 * {@code VM_SNAPSHOT_REQ} with {@code dev_req} = {@link #INVALID_REQUEST}, a value outside
 * {@code enum snapshot_req}, and {@code op = VM_SNAPSHOT_SAVE}; and destroys the VM again. The answer is in
 * the errno:
 * <ul>
 *   <li>{@code ENOTTY}: the kernel does not know the ioctl. vmm_dev.c answers ENOTTY for any command that is
 *       in neither its generic nor its machine-dependent ioctl table, and {@code VM_SNAPSHOT_REQ} is in the
 *       amd64 table (vmm_dev_machdep.c) only {@code #ifdef BHYVE_SNAPSHOT}: no snapshot support.</li>
 *   <li>{@code EINVAL}: the ioctl reached {@code vm_snapshot_req()}, whose switch on {@code dev_req} answers
 *       EINVAL for an unknown request (and logs "vm_snapshot_req: failed to find the requested type
 *       0x7fffffff" on the console): snapshot support is there. Nothing was read or written, because the
 *       request names no kernel structure.</li>
 *   <li>anything else: the probe cannot tell.</li>
 * </ul>
 * The VM is created with {@code VMMCTL_CREATE_DESTROY_ON_CLOSE} where the kernel has that flag (so it cannot
 * outlive the probe); a kernel without it refuses the flag with EINVAL (it must be a zero reserved word
 * there) and the probe retries without it. Either way the VM is destroyed explicitly at the end. Creating a
 * VM needs root ({@code /dev/vmmctl} is root:wheel 0600).
 */
public final class SnapshotProbe {
    private SnapshotProbe() {}

    /** Not a {@code STRUCT_*} value of {@code enum snapshot_req} (1..10, and 0 formerly) in any FreeBSD version. */
    public static final int INVALID_REQUEST = 0x7fffffff;
    /** {@code VMMCTL_CREATE_DESTROY_ON_CLOSE}, in the {@code flags} word that newer kernels have at offset 232. */
    public static final int CREATE_DESTROY_ON_CLOSE = 0x1;
    static final long FLAGS_OFFSET = vmmctl_vm_create.reserved$offset();
    static final int O_RDWR = 2; // the same on FreeBSD and Linux; libc_h's other O_ flags are Linux values

    /** What the probe found out. */
    public sealed interface Outcome {
        /** {@code VM_SNAPSHOT_REQ} was issued; {@code errno} 0 means it (unexpectedly) succeeded. */
        record Answered(int errno, String how) implements Outcome {
            public boolean snapshotSupported() {
                return errno == Errno.EINVAL;
            }

            public boolean snapshotMissing() {
                return errno == Errno.ENOTTY;
            }
        }

        /** The probe could not get as far as the ioctl. */
        record NotProbed(String reason, String fix) implements Outcome {}
    }

    /** The VMMCTL_VM_CREATE argument: {@code name}, and the destroy-on-close flag when asked for. */
    static MemorySegment createRequest(Arena a, String name, boolean destroyOnClose) {
        MemorySegment req = vmmctl_vm_create.allocate(a); // zeroed: reserved words must be 0
        putName(req, vmmctl_vm_create.name$offset(), name);
        if (destroyOnClose) req.set(ValueLayout.JAVA_INT, FLAGS_OFFSET, CREATE_DESTROY_ON_CLOSE);
        return req;
    }

    static MemorySegment destroyRequest(Arena a, String name) {
        MemorySegment req = vmmctl_vm_destroy.allocate(a);
        putName(req, vmmctl_vm_destroy.name$offset(), name);
        return req;
    }

    /** The VM_SNAPSHOT_REQ argument: an invalid request, SAVE, no buffer. */
    static MemorySegment invalidSnapshotRequest(Arena a) {
        MemorySegment meta = vm_snapshot_meta.allocate(a); // zeroed: dev_data, dev_name and buffer are NULL/0
        vm_snapshot_meta.dev_req(meta, INVALID_REQUEST);
        vm_snapshot_meta.op(meta, vmm_h.VM_SNAPSHOT_SAVE);
        return meta;
    }

    private static void putName(MemorySegment req, long offset, String name) {
        byte[] b = name.getBytes(StandardCharsets.US_ASCII);
        if (b.length > vmm_h.VM_MAX_NAMELEN) throw new IllegalArgumentException("VM name too long: " + name);
        MemorySegment.copy(b, 0, req, ValueLayout.JAVA_BYTE, offset, b.length);
    }

    /** FreeBSD 15 and later: create and destroy the VM through /dev/vmmctl. */
    static Outcome viaVmmctl(String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = libc_h.allocateErrnoState(a);
            int ctl = libc_h.open(err, a.allocateFrom("/dev/vmmctl"), O_RDWR, 0);
            if (ctl < 0) {
                return new Outcome.NotProbed("cannot open /dev/vmmctl read-write: " + describe(libc_h.errno(err)),
                        "run bhyve-doctor as root");
            }
            try {
                int rc = libc_h.ioctl(err, ctl, vmm_h.VMMCTL_VM_CREATE, createRequest(a, name, true));
                if (rc < 0 && libc_h.errno(err) == Errno.EINVAL) {
                    rc = libc_h.ioctl(err, ctl, vmm_h.VMMCTL_VM_CREATE, createRequest(a, name, false));
                }
                if (rc < 0) {
                    return new Outcome.NotProbed("VMMCTL_VM_CREATE of a throwaway VM '" + name + "' failed: "
                            + describe(libc_h.errno(err)), "check that vmm.ko is loaded and that no VM of that name exists"
                            + " (bhyvectl --vm=" + name + " --destroy)");
                }
                try {
                    return ask("/dev/vmm/" + name, "VM created through /dev/vmmctl");
                } finally {
                    libc_h.ioctl(err, ctl, vmm_h.VMMCTL_VM_DESTROY, destroyRequest(a, name));
                }
            } finally {
                libc_h.close(err, ctl);
            }
        }
    }

    /** FreeBSD 14: create and destroy the VM through the hw.vmm.create and hw.vmm.destroy sysctls. */
    static Outcome viaSysctl(String name) {
        int e = sysctlWrite("hw.vmm.create", name);
        if (e != 0) {
            return new Outcome.NotProbed("creating a throwaway VM '" + name + "' through hw.vmm.create failed: "
                    + describe(e), "check that vmm.ko is loaded and bhyve-doctor runs as root");
        }
        try {
            return ask("/dev/vmm/" + name, "VM created through hw.vmm.create");
        } finally {
            sysctlWrite("hw.vmm.destroy", name);
        }
    }

    private static Outcome ask(String device, String how) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = libc_h.allocateErrnoState(a);
            int fd = libc_h.open(err, a.allocateFrom(device), O_RDWR, 0);
            if (fd < 0) {
                return new Outcome.NotProbed("cannot open " + device + ": " + describe(libc_h.errno(err)),
                        "run bhyve-doctor as root");
            }
            try {
                int rc = libc_h.ioctl(err, fd, vmm_h.VM_SNAPSHOT_REQ, invalidSnapshotRequest(a));
                return new Outcome.Answered(rc < 0 ? libc_h.errno(err) : 0, how);
            } finally {
                libc_h.close(err, fd);
            }
        }
    }

    /** {@code sysctlbyname(name, NULL, NULL, value, strlen(value))}; returns 0 or the errno. */
    private static int sysctlWrite(String name, String value) {
        Linker linker = Linker.nativeLinker();
        MethodHandle h = linker.downcallHandle(
                linker.defaultLookup().find("sysctlbyname")
                        .orElseThrow(() -> new UnsupportedOperationException("no sysctlbyname in libc")),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                        ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
                Linker.Option.captureCallState("errno"));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = libc_h.allocateErrnoState(a);
            byte[] v = value.getBytes(StandardCharsets.US_ASCII);
            MemorySegment nv = a.allocate(v.length + 1L);
            MemorySegment.copy(v, 0, nv, ValueLayout.JAVA_BYTE, 0, v.length);
            int rc = (int) h.invokeExact(err, a.allocateFrom(name), MemorySegment.NULL, MemorySegment.NULL, nv,
                    (long) v.length);
            return rc == 0 ? 0 : libc_h.errno(err);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static String describe(int errno) {
        return Errno.name(errno) + " (" + Errno.describe(errno) + ")";
    }
}
