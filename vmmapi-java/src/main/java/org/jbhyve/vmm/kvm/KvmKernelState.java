package org.jbhyve.vmm.kvm;

import org.jbhyve.bindings.linux.kvm.kvm_clock_data;
import org.jbhyve.bindings.linux.kvm.kvm_irqchip;
import org.jbhyve.bindings.linux.kvm.kvm_pit_state2;
import org.jbhyve.vmm.state.KernelState;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.jbhyve.bindings.linux.kvm.kvm_h.*;

/**
 * The VM-wide kernel state of a KVM VM, as {@link KernelState} blobs
 * ({@link org.jbhyve.vmm.VirtualMachine#saveKernelState()}).
 *
 * <table>
 *   <caption>Blobs (all version {@value #VERSION})</caption>
 *   <tr><th>name</th><th>bytes</th><th>what</th><th>present</th></tr>
 *   <tr><td>{@value #PIC_MASTER}</td><td>512</td><td>{@code KVM_GET_IRQCHIP} chip 0: the
 *       {@code kvm_irqchip.chip} union holding {@code struct kvm_pic_state}</td><td>in-kernel irqchip</td></tr>
 *   <tr><td>{@value #PIC_SLAVE}</td><td>512</td><td>chip 1, likewise</td><td>in-kernel irqchip</td></tr>
 *   <tr><td>{@value #IOAPIC}</td><td>512</td><td>chip 2: {@code struct kvm_ioapic_state} in the
 *       union</td><td>in-kernel irqchip</td></tr>
 *   <tr><td>{@value #PIT}</td><td>112</td><td>{@code struct kvm_pit_state2}
 *       ({@code KVM_GET_PIT2})</td><td>in-kernel irqchip (the PIT comes with it)</td></tr>
 *   <tr><td>{@value #CLOCK}</td><td>48</td><td>{@code struct kvm_clock_data}
 *       ({@code KVM_GET_CLOCK})</td><td>always</td></tr>
 * </table>
 *
 * <p>The producer is {@code "kvm <kernel release>"} from {@code /proc/sys/kernel/osrelease}. KVM's
 * structs have been stable for years, but like Firecracker jbhyve promises restores only on the same
 * host kernel and CPU; the producer is there so a failure can be explained.
 *
 * <p><b>Restore order</b>: PIC master, PIC slave, IOAPIC, PIT, and the clock last, whatever the order
 * of the list. On KVM_SET_PIT2 the kernel restarts each channel's current count from "now" (the saved
 * {@code count_load_time} is the old host's and is replaced), so a running PIT period continues from
 * where it was.
 *
 * <p><b>The guest clock</b> (kvmclock): restore writes the saved clock value with
 * {@code KVM_SET_CLOCK} and flags 0. The kernel refuses flags it does not take on SET (before Linux 5.16
 * any flag at all), and {@code KVM_CLOCK_REALTIME}, the one it does take, would make it add the wall
 * time that passed since the save. Without it, what the guest sees is:
 * <ul>
 *   <li>its monotonic time (kvmclock, and the TSC that {@link KvmVcpu#restoreState} puts back)
 *       continues from the checkpoint: no jump, no time "lost" inside the guest, timers due later
 *       stay due later by the same amount of guest time;</li>
 *   <li>its wall clock is behind real time by as long as the VM was stopped (from the save to the
 *       restore), until the guest resynchronises it (NTP, an agent, PTP_KVM, or a new kvmclock wall
 *       clock read at its next boot). This is what Firecracker does by default (its
 *       {@code clock_realtime} option is the other choice).</li>
 * </ul>
 * Call {@code restoreKernelState} right before the vCPUs run: the clock starts counting again at that
 * call.
 */
public final class KvmKernelState {
    private KvmKernelState() {}

    public static final String PIC_MASTER = "kvm.irqchip.pic-master";
    public static final String PIC_SLAVE = "kvm.irqchip.pic-slave";
    public static final String IOAPIC = "kvm.irqchip.ioapic";
    public static final String PIT = "kvm.pit";
    public static final String CLOCK = "kvm.clock";
    /** Layout version of every blob above. */
    public static final int VERSION = 1;

    /** Size of {@code kvm_irqchip.chip}: the PIC and IOAPIC blobs. */
    static final int CHIP_BYTES = 512;

    /** Every name, in restore order. */
    static final List<String> NAMES = List.of(PIC_MASTER, PIC_SLAVE, IOAPIC, PIT, CLOCK);

    /** The names {@link #save} saves: the PICs, IOAPIC and PIT exist only with the in-kernel irqchip. */
    static List<String> names(boolean irqchip) {
        return irqchip ? NAMES : List.of(CLOCK);
    }

    private static final String PRODUCER = "kvm " + kernelRelease();

    static String kernelRelease() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.version", "unknown");
        }
    }

    /** {@code "kvm <kernel release>"}. */
    public static String producer() { return PRODUCER; }

    /** Bytes of the blob called {@code name}. */
    static int size(String name) {
        return switch (name) {
            case PIC_MASTER, PIC_SLAVE, IOAPIC -> CHIP_BYTES;
            case PIT -> (int) kvm_pit_state2.sizeof();
            case CLOCK -> (int) kvm_clock_data.sizeof();
            default -> throw new IllegalArgumentException("unknown kernel state '" + name + "'");
        };
    }

    private static String struct(String name) {
        return switch (name) {
            case PIC_MASTER, PIC_SLAVE -> "the kvm_irqchip union (struct kvm_pic_state)";
            case IOAPIC -> "the kvm_irqchip union (struct kvm_ioapic_state)";
            case PIT -> "struct kvm_pit_state2";
            default -> "struct kvm_clock_data";
        };
    }

    private static int chipId(String name) {
        return switch (name) {
            case PIC_MASTER -> KVM_IRQCHIP_PIC_MASTER;
            case PIC_SLAVE -> KVM_IRQCHIP_PIC_SLAVE;
            default -> KVM_IRQCHIP_IOAPIC;
        };
    }

    static List<KernelState> save(KvmFd vm, boolean irqchip) {
        List<KernelState> out = new ArrayList<>();
        try (Arena a = Arena.ofConfined()) {
            if (irqchip) {
                for (String name : List.of(PIC_MASTER, PIC_SLAVE, IOAPIC)) {
                    MemorySegment chip = kvm_irqchip.allocate(a);
                    kvm_irqchip.chip_id(chip, chipId(name));
                    vm.ioctl("KVM_GET_IRQCHIP(" + name + ")", KVM_GET_IRQCHIP, chip);
                    out.add(blob(name, kvm_irqchip.chip(chip)));
                }
                MemorySegment pit = kvm_pit_state2.allocate(a);
                vm.ioctl("KVM_GET_PIT2", KVM_GET_PIT2, pit);
                out.add(blob(PIT, pit));
            }
            MemorySegment clock = kvm_clock_data.allocate(a);
            vm.ioctl("KVM_GET_CLOCK", KVM_GET_CLOCK, clock);
            out.add(blob(CLOCK, clock));
        }
        return List.copyOf(out);
    }

    private static KernelState blob(String name, MemorySegment s) {
        return new KernelState(name, VERSION, s.toArray(ValueLayout.JAVA_BYTE), PRODUCER);
    }

    /** Checks every blob, then applies them in {@link #NAMES} order. */
    static void restore(KvmFd vm, String vmName, boolean irqchip, List<KernelState> states) {
        Map<String, KernelState> byName = new HashMap<>();
        for (KernelState k : states) {
            if (!NAMES.contains(k.name())) {
                throw new IllegalArgumentException("cannot restore kernel state '" + k.name() + "' into KVM VM '"
                        + vmName + "': unknown name (KVM has " + String.join(", ", NAMES) + ")");
            }
            if (k.version() != VERSION) {
                throw new IllegalArgumentException("cannot restore kernel state '" + k.name() + "' version "
                        + k.version() + " (from " + k.producer() + "): this jbhyve reads version " + VERSION);
            }
            int want = size(k.name());
            if (k.size() != want) {
                throw new IllegalArgumentException("cannot restore kernel state '" + k.name() + "' (from "
                        + k.producer() + "): it is " + k.size() + " bytes, " + struct(k.name()) + " is " + want);
            }
            if (!irqchip && !k.name().equals(CLOCK)) {
                throw new IllegalArgumentException("cannot restore kernel state '" + k.name() + "': VM '" + vmName
                        + "' has no in-kernel irqchip (create it with kernelIrqchip = true, as the saved VM was)");
            }
            if (byName.putIfAbsent(k.name(), k) != null) {
                throw new IllegalArgumentException("kernel state '" + k.name() + "' is given twice");
            }
        }
        try (Arena a = Arena.ofConfined()) {
            for (String name : NAMES) {
                KernelState k = byName.get(name);
                if (k == null) continue;
                byte[] data = k.data();
                switch (name) {
                    case PIC_MASTER, PIC_SLAVE, IOAPIC -> {
                        MemorySegment chip = kvm_irqchip.allocate(a);
                        kvm_irqchip.chip_id(chip, chipId(name));
                        MemorySegment.copy(data, 0, chip, ValueLayout.JAVA_BYTE, kvm_irqchip.chip$offset(), CHIP_BYTES);
                        vm.ioctl("KVM_SET_IRQCHIP(" + name + ")", KVM_SET_IRQCHIP, chip);
                    }
                    case PIT -> vm.ioctl("KVM_SET_PIT2", KVM_SET_PIT2, a.allocateFrom(ValueLayout.JAVA_BYTE, data));
                    default -> {
                        MemorySegment saved = a.allocateFrom(ValueLayout.JAVA_BYTE, data);
                        MemorySegment clock = kvm_clock_data.allocate(a);
                        clock.fill((byte) 0);
                        // Only the value: flags 0 (no KVM_CLOCK_REALTIME catch-up, nothing older kernels refuse).
                        kvm_clock_data.clock(clock, kvm_clock_data.clock(saved));
                        vm.ioctl("KVM_SET_CLOCK", KVM_SET_CLOCK, clock);
                    }
                }
            }
        }
    }
}
