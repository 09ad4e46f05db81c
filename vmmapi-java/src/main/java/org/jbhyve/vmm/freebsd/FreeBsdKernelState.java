package org.jbhyve.vmm.freebsd;

import org.jbhyve.bindings.freebsd.vmm.vm_snapshot_buffer;
import org.jbhyve.bindings.freebsd.vmm.vm_snapshot_meta;
import org.jbhyve.vmm.VmmException;
import org.jbhyve.vmm.state.KernelState;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.jbhyve.bindings.freebsd.vmm.vmm_h.*;

/**
 * The state bhyve's vmm keeps in the kernel, as {@link KernelState} blobs, through {@code VM_SNAPSHOT_REQ}
 * and {@code VM_RESTORE_TIME} (shared/reference/freebsd-bhyve.md, section 1d). Both ioctls exist only in a
 * vmm built with {@code options BHYVE_SNAPSHOT}; a stock kernel answers ENOTTY, which becomes the sentence
 * {@link #NO_SNAPSHOT}.
 *
 * <table>
 *   <caption>Blobs, in bhyve's {@code snapshot_kern_structs[]} order (all version {@value #VERSION})</caption>
 *   <tr><th>name</th><th>{@code snapshot_req}</th><th>what the kernel puts in it</th></tr>
 *   <tr><td>{@code freebsd.vhpet}</td><td>STRUCT_VHPET</td><td>the HPET</td></tr>
 *   <tr><td>{@code freebsd.vm}</td><td>STRUCT_VM</td><td>per vCPU: x2APIC state, pending event and exception,
 *       guest XCR0, the last exit, next RIP, absolute TSC; then the vCPUs waiting for a start-up IPI</td></tr>
 *   <tr><td>{@code freebsd.vioapic}</td><td>STRUCT_VIOAPIC</td><td>the I/O APIC</td></tr>
 *   <tr><td>{@code freebsd.vlapic}</td><td>STRUCT_VLAPIC</td><td>every vCPU's local APIC page and timer</td></tr>
 *   <tr><td>{@code freebsd.vmcx}</td><td>STRUCT_VMCX</td><td>per vCPU, the VMCS (Intel) or VMCB (AMD) guest
 *       state: control and segment registers, EFER, SYSENTER MSRs, interruptibility, activity state, guest
 *       MSRs, the general registers, CR2, DR0-3, DR6</td></tr>
 *   <tr><td>{@code freebsd.vatpit}</td><td>STRUCT_VATPIT</td><td>the 8254 PIT</td></tr>
 *   <tr><td>{@code freebsd.vatpic}</td><td>STRUCT_VATPIC</td><td>the two 8259 PICs</td></tr>
 *   <tr><td>{@code freebsd.vpmtmr}</td><td>STRUCT_VPMTMR</td><td>the ACPI PM timer</td></tr>
 *   <tr><td>{@code freebsd.vrtc}</td><td>STRUCT_VRTC</td><td>the MC146818 RTC and its CMOS RAM</td></tr>
 * </table>
 *
 * <p>Both go straight to the VM's device as ioctls: libvmmapi's {@code vm_snapshot_req} and
 * {@code vm_restore_time} wrap the same ioctls but exist only in a libvmmapi built {@code WITH_BHYVE_SNAPSHOT},
 * which a stock FreeBSD lacks even when the kernel has the option.
 *
 * <p><b>The {@code vm_snapshot_meta} protocol.</b> One request per struct: {@code dev_req} the
 * {@code STRUCT_*} value, {@code op} SAVE or RESTORE, {@code buffer = {buf_start, buf_size, buf, buf_rem}}
 * with {@code buf = buf_start} and {@code buf_rem = buf_size} (a zeroed buffer for SAVE, the blob for
 * RESTORE). The kernel copies each field out to (or in from) {@code buf}, advancing {@code buf} and shrinking
 * {@code buf_rem}, and, the ioctl being {@code _IOWR}, copies the struct back, so the blob's size is
 * {@code buf_size - buf_rem}. A buffer too small makes the kernel answer E2BIG; SAVE then retries with twice
 * the buffer, up to bhyve's own limit of {@value #MAX_BUFFER} bytes. A RESTORE that consumes fewer bytes than
 * the blob holds means the blob is not this kernel's layout, and is refused.
 *
 * <p><b>Versions.</b> The blobs are raw C structs with no version of their own; their layout is whatever the
 * running vmm was compiled with. The producer string records {@code "freebsd <kern.osrelease>
 * <kern.osreldate>"}, and a restore refuses blobs whose {@code kern.osreldate} differs from the running
 * kernel's, before it changes anything. {@link #VERSION} is jbhyve's framing of the blob (one blob, no
 * header), not the kernel's layout.
 *
 * <p><b>Order.</b> Save and restore go in the order above, whatever the order of the list; restore ends
 * with {@code VM_RESTORE_TIME}, which restarts the HPET and gives every vCPU its TSC offset back from the
 * absolute TSC saved in {@code freebsd.vm}: call it last, right before the vCPUs run. The kernel freezes
 * every vCPU for each request ({@code VMMDEV_IOCTL_LOCK_ALL_VCPUS}), so the vCPUs must be stopped.
 */
public final class FreeBsdKernelState {
    private FreeBsdKernelState() {}

    /** jbhyve's framing version of every blob. */
    public static final int VERSION = 1;
    /** bhyve's {@code SNAPSHOT_BUFFER_SIZE}: the largest buffer a SAVE is given (40 MiB). */
    public static final int MAX_BUFFER = 40 << 20;
    /** The first SAVE buffer (grown on E2BIG). */
    static final int FIRST_BUFFER = 1 << 20;

    /** The message for ENOTTY from VM_SNAPSHOT_REQ or VM_RESTORE_TIME. */
    public static final String NO_SNAPSHOT = "this FreeBSD kernel was built without options BHYVE_SNAPSHOT: see "
            + "kernel-options/README.md";

    /** The structs in bhyve's {@code snapshot_kern_structs[]} order, with their {@code snapshot_req}. */
    public enum Struct {
        VHPET(STRUCT_VHPET), VM(STRUCT_VM), VIOAPIC(STRUCT_VIOAPIC), VLAPIC(STRUCT_VLAPIC), VMCX(STRUCT_VMCX),
        VATPIT(STRUCT_VATPIT), VATPIC(STRUCT_VATPIC), VPMTMR(STRUCT_VPMTMR), VRTC(STRUCT_VRTC);

        private final int request;

        Struct(int request) {
            this.request = request;
        }

        /** The {@code enum snapshot_req} value. */
        public int request() { return request; }

        /** bhyve's name for it, e.g. {@code "vlapic"}. */
        public String bhyveName() { return name().toLowerCase(java.util.Locale.ROOT); }

        /** The {@link KernelState} name, e.g. {@code "freebsd.vlapic"}. */
        public String stateName() { return "freebsd." + bhyveName(); }

        static Struct byStateName(String name) {
            for (Struct s : values()) if (s.stateName().equals(name)) return s;
            return null;
        }
    }

    /** Every blob name, in restore order. */
    public static List<String> names() {
        return java.util.Arrays.stream(Struct.values()).map(Struct::stateName).toList();
    }

    /** {@code "freebsd <kern.osrelease> <kern.osreldate>"}. */
    public static String producer(String osrelease, long osreldate) {
        return "freebsd " + osrelease + " " + osreldate;
    }

    /** The {@code kern.osreldate} in a producer string written by {@link #producer}, or -1. */
    static long osreldateOf(String producer) {
        String[] w = producer.trim().split("\\s+");
        if (w.length < 3 || !w[0].equals("freebsd")) return -1;
        try {
            return Long.parseLong(w[w.length - 1]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Saves every struct of the VM behind device {@code fd}.
     *
     * @param what "vm 'name'", for messages
     */
    static List<KernelState> save(Vmmapi api, int fd, String what, String producer) {
        List<KernelState> out = new ArrayList<>();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment meta = vm_snapshot_meta.allocate(a);
            long size = FIRST_BUFFER;
            MemorySegment buf = a.allocate(size, 8);
            for (Struct s : Struct.values()) {
                MemorySegment name = a.allocateFrom(s.bhyveName());
                while (true) {
                    buf.fill((byte) 0);
                    prepare(meta, s, VM_SNAPSHOT_SAVE, name, buf, size);
                    int e = api.ioctl(fd, VM_SNAPSHOT_REQ, meta);
                    if (e == FreeBsdErrors.E2BIG && size < MAX_BUFFER) {
                        size = Math.min(size * 2, MAX_BUFFER);
                        buf = a.allocate(size, 8);
                        continue;
                    }
                    if (e != 0) throw failure("VM_SNAPSHOT_REQ(SAVE " + s.bhyveName() + ")", what, e);
                    long used = used(meta, size);
                    if (used < 0) {
                        throw new VmmException("VM_SNAPSHOT_REQ(SAVE " + s.bhyveName() + ") on " + what
                                + " left buf_rem = " + remaining(meta) + " for a buffer of " + size + " bytes");
                    }
                    out.add(new KernelState(s.stateName(), VERSION, buf.asSlice(0, used).toArray(ValueLayout.JAVA_BYTE),
                            producer));
                    break;
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * Checks every blob, then restores them in {@link Struct} order and calls {@code VM_RESTORE_TIME}.
     *
     * @param osreldate this kernel's {@code kern.osreldate}
     */
    static void restore(Vmmapi api, int fd, String what, String producer, long osreldate, List<KernelState> states) {
        Map<Struct, KernelState> byStruct = new HashMap<>();
        for (KernelState k : states) {
            Struct s = Struct.byStateName(k.name());
            if (s == null) {
                throw new IllegalArgumentException("cannot restore kernel state '" + k.name() + "' into " + what
                        + ": unknown name (bhyve's vmm has " + String.join(", ", names()) + ")");
            }
            if (k.version() != VERSION) {
                throw new IllegalArgumentException("cannot restore kernel state '" + k.name() + "' version "
                        + k.version() + " (from " + k.producer() + "): this jbhyve reads version " + VERSION);
            }
            long from = osreldateOf(k.producer());
            if (from != osreldate) {
                throw new IllegalArgumentException("cannot restore kernel state '" + k.name() + "' into " + what
                        + ": it comes from " + (from < 0 ? "'" + k.producer() + "'" : k.producer().substring(8)
                        .replaceFirst(" (\\d+)$", " (kern.osreldate $1)")) + ", and this kernel is " + producer.substring(8)
                        .replaceFirst(" (\\d+)$", " (kern.osreldate $1)") + "; vmm's snapshot structs are raw C structs"
                        + " without versions, so they restore only on a kernel with the same kern.osreldate");
            }
            if (k.size() == 0) {
                throw new IllegalArgumentException("cannot restore kernel state '" + k.name() + "' (from "
                        + k.producer() + "): it is empty");
            }
            if (k.size() > MAX_BUFFER) {
                throw new IllegalArgumentException("cannot restore kernel state '" + k.name() + "': " + k.size()
                        + " bytes is more than bhyve's limit of " + MAX_BUFFER);
            }
            if (byStruct.putIfAbsent(s, k) != null) {
                throw new IllegalArgumentException("kernel state '" + k.name() + "' is given twice");
            }
        }
        if (byStruct.isEmpty()) return;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment meta = vm_snapshot_meta.allocate(a);
            for (Struct s : Struct.values()) {
                KernelState k = byStruct.get(s);
                if (k == null) continue;
                byte[] blob = k.data();
                MemorySegment buf = a.allocate(blob.length, 8);
                MemorySegment.copy(blob, 0, buf, ValueLayout.JAVA_BYTE, 0, blob.length);
                prepare(meta, s, VM_SNAPSHOT_RESTORE, a.allocateFrom(s.bhyveName()), buf, blob.length);
                int e = api.ioctl(fd, VM_SNAPSHOT_REQ, meta);
                if (e != 0) throw failure("VM_SNAPSHOT_REQ(RESTORE " + s.bhyveName() + ")", what, e);
                long used = used(meta, blob.length);
                if (used != blob.length) {
                    throw new VmmException("VM_SNAPSHOT_REQ(RESTORE " + s.bhyveName() + ") on " + what + " took "
                            + used + " of the blob's " + blob.length + " bytes: it was not written by this kernel's vmm"
                            + " (from " + k.producer() + "); the VM is partly restored and should be discarded");
                }
            }
            MemorySegment unused = a.allocate(ValueLayout.JAVA_INT);
            int e = api.ioctl(fd, VM_RESTORE_TIME, unused);
            if (e != 0) throw failure("VM_RESTORE_TIME", what, e);
        }
    }

    /** Fills {@code meta} for one request: {@code buf = buf_start}, {@code buf_rem = buf_size}. */
    static void prepare(MemorySegment meta, Struct s, int op, MemorySegment name, MemorySegment buf, long size) {
        meta.fill((byte) 0);
        vm_snapshot_meta.dev_data(meta, MemorySegment.NULL);
        vm_snapshot_meta.dev_name(meta, name);
        vm_snapshot_meta.dev_req(meta, s.request());
        vm_snapshot_meta.op(meta, op);
        MemorySegment b = vm_snapshot_meta.buffer(meta);
        vm_snapshot_buffer.buf_start(b, buf);
        vm_snapshot_buffer.buf_size(b, size);
        vm_snapshot_buffer.buf(b, buf);
        vm_snapshot_buffer.buf_rem(b, size);
    }

    private static long remaining(MemorySegment meta) {
        return vm_snapshot_buffer.buf_rem(vm_snapshot_meta.buffer(meta));
    }

    /** {@code buf_size - buf_rem} after a request, or -1 when {@code buf_rem} makes no sense. */
    static long used(MemorySegment meta, long size) {
        long rem = remaining(meta);
        return rem < 0 || rem > size ? -1 : size - rem;
    }

    private static VmmException failure(String call, String what, int errno) {
        if (errno == FreeBsdErrors.ENOTTY) {
            return new VmmException(call + " on " + what + " failed: " + NO_SNAPSHOT, call, errno);
        }
        return FreeBsdErrors.failed(call, what, errno);
    }
}
