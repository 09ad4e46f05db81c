package org.jbhyve.vmm.freebsd;

import org.jbhyve.bindings.freebsd.libc.fcntl_h;
import org.jbhyve.bindings.freebsd.sysctl.sysctl_h;
import org.jbhyve.bindings.freebsd.vmm.vmmapi_h;
import org.jbhyve.bindings.libc.libc_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

import static org.jbhyve.bindings.freebsd.vmm.vmm_h.VM_MMAP_ALL;

/**
 * {@link Vmmapi} over the real libvmmapi ({@link vmmapi_h}), libc ({@code open}, {@code ioctl},
 * {@code close}) and {@code sysctlbyname}.
 *
 * <p>Every libvmmapi call goes through the binding's wrapper without an errno argument, which captures
 * errno into a segment private to the calling thread; it is read right after the call (no allocation). The
 * library is loaded by the first call, never by constructing this object, so {@link FreeBsdHypervisor#open()}
 * can check the operating system and the devices first.
 */
final class LibVmmapi implements Vmmapi {
    /** {@code O_RDWR}: the same value on FreeBSD and Linux (libc_h's other {@code O_*} flags are Linux's). */
    private static final int O_RDWR = 2;
    /** FreeBSD's {@code O_CLOEXEC} (libc_h's is Linux's). */
    private static final int O_CLOEXEC = fcntl_h.O_CLOEXEC;

    private static int result(int rc) {
        if (rc >= 0) return 0;
        int e = vmmapi_h.errno();
        return e > 0 ? e : FreeBsdErrors.EIO;
    }

    @Override
    public boolean available() {
        return vmmapi_h.isAvailable();
    }

    @Override
    public Optional<String> unavailableReason() {
        return vmmapi_h.unavailableReason();
    }

    @Override
    public OptionalLong sysctlNumber(String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = sysctl_h.allocateErrnoState(a);
            MemorySegment value = a.allocate(8, 8);
            MemorySegment len = a.allocateFrom(ValueLayout.JAVA_LONG, 8);
            int rc = sysctl_h.sysctlbyname(err, a.allocateFrom(name), value, len, MemorySegment.NULL, 0);
            if (rc != 0) return OptionalLong.empty();
            long n = len.get(ValueLayout.JAVA_LONG, 0);
            if (n == 4) return OptionalLong.of(value.get(ValueLayout.JAVA_INT, 0));
            if (n == 8) return OptionalLong.of(value.get(ValueLayout.JAVA_LONG, 0));
            return OptionalLong.empty();
        } catch (UnsupportedOperationException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public Optional<String> sysctlString(String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = sysctl_h.allocateErrnoState(a);
            MemorySegment cname = a.allocateFrom(name);
            MemorySegment len = a.allocateFrom(ValueLayout.JAVA_LONG, 0);
            if (sysctl_h.sysctlbyname(err, cname, MemorySegment.NULL, len, MemorySegment.NULL, 0) != 0) {
                return Optional.empty();
            }
            long n = len.get(ValueLayout.JAVA_LONG, 0);
            if (n <= 0 || n > 65536) return Optional.empty();
            MemorySegment buf = a.allocate(n + 1);
            if (sysctl_h.sysctlbyname(err, cname, buf, len, MemorySegment.NULL, 0) != 0) return Optional.empty();
            return Optional.of(buf.getString(0, StandardCharsets.UTF_8));
        } catch (UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean exists(String path) {
        return Files.exists(Path.of(path));
    }

    @Override
    public boolean writable(String path) {
        return Files.isWritable(Path.of(path));
    }

    @Override
    public int munmap(long address, long length) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = libc_h.allocateErrnoState(a);
            int rc = libc_h.munmap(err, MemorySegment.ofAddress(address), length);
            return rc == 0 ? 0 : Math.max(libc_h.errno(err), 1);
        }
    }

    @Override
    public int lastErrno() {
        return vmmapi_h.errno();
    }

    // ---- VM --------------------------------------------------------------------------------------------

    @Override
    public int create(String name) {
        try (Arena a = Arena.ofConfined()) {
            return result(vmmapi_h.vm_create(a.allocateFrom(name)));
        }
    }

    @Override
    public MemorySegment open(String name) {
        try (Arena a = Arena.ofConfined()) {
            return vmmapi_h.vm_open(a.allocateFrom(name));
        }
    }

    @Override
    public void destroy(MemorySegment ctx) {
        vmmapi_h.vm_destroy(ctx);
    }

    @Override
    public int setupMemory(MemorySegment ctx, long bytes) {
        return result(vmmapi_h.vm_setup_memory(ctx, bytes, VM_MMAP_ALL));
    }

    @Override
    public MemorySegment mapGpa(MemorySegment ctx, long gpa, long len) {
        return vmmapi_h.vm_map_gpa(ctx, gpa, len);
    }

    @Override
    public long lowmemSize(MemorySegment ctx) {
        return vmmapi_h.vm_get_lowmem_size(ctx);
    }

    @Override
    public long highmemSize(MemorySegment ctx) {
        return vmmapi_h.vm_get_highmem_size(ctx);
    }

    @Override
    public MemorySegment createDevmem(MemorySegment ctx, int segid, String name, long len) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = vmmapi_h.vm_create_devmem(ctx, segid, a.allocateFrom(name), len);
            return p.address() == -1L ? MemorySegment.NULL : p; // MAP_FAILED
        }
    }

    @Override
    public int mmapMemseg(MemorySegment ctx, long gpa, int segid, long segoff, long len, int prot) {
        return result(vmmapi_h.vm_mmap_memseg(ctx, gpa, segid, segoff, len, prot));
    }

    @Override
    public int setTopology(MemorySegment ctx, int sockets, int cores, int threads, int maxcpus) {
        return result(vmmapi_h.vm_set_topology(ctx, (short) sockets, (short) cores, (short) threads, (short) maxcpus));
    }

    @Override
    public int getTopology(MemorySegment ctx, MemorySegment out) {
        return result(vmmapi_h.vm_get_topology(ctx, out.asSlice(0, 2), out.asSlice(2, 2), out.asSlice(4, 2),
                out.asSlice(6, 2)));
    }

    @Override
    public int suspend(MemorySegment ctx, int how) {
        return result(vmmapi_h.vm_suspend(ctx, how));
    }

    // ---- interrupts -----------------------------------------------------------------------------------

    @Override
    public int ioapicAssertIrq(MemorySegment ctx, int irq) {
        return result(vmmapi_h.vm_ioapic_assert_irq(ctx, irq));
    }

    @Override
    public int ioapicDeassertIrq(MemorySegment ctx, int irq) {
        return result(vmmapi_h.vm_ioapic_deassert_irq(ctx, irq));
    }

    @Override
    public int ioapicPulseIrq(MemorySegment ctx, int irq) {
        return result(vmmapi_h.vm_ioapic_pulse_irq(ctx, irq));
    }

    @Override
    public int ioapicPincount(MemorySegment ctx, MemorySegment out) {
        return result(vmmapi_h.vm_ioapic_pincount(ctx, out));
    }

    @Override
    public int isaAssertIrq(MemorySegment ctx, int atpicIrq, int ioapicIrq) {
        return result(vmmapi_h.vm_isa_assert_irq(ctx, atpicIrq, ioapicIrq));
    }

    @Override
    public int isaDeassertIrq(MemorySegment ctx, int atpicIrq, int ioapicIrq) {
        return result(vmmapi_h.vm_isa_deassert_irq(ctx, atpicIrq, ioapicIrq));
    }

    @Override
    public int isaPulseIrq(MemorySegment ctx, int atpicIrq, int ioapicIrq) {
        return result(vmmapi_h.vm_isa_pulse_irq(ctx, atpicIrq, ioapicIrq));
    }

    @Override
    public int lapicMsi(MemorySegment ctx, long addr, long msg) {
        return result(vmmapi_h.vm_lapic_msi(ctx, addr, msg));
    }

    // ---- RTC -------------------------------------------------------------------------------------------

    @Override
    public int rtcRead(MemorySegment ctx, int offset, MemorySegment out) {
        return result(vmmapi_h.vm_rtc_read(ctx, offset, out));
    }

    @Override
    public int rtcWrite(MemorySegment ctx, int offset, int value) {
        return result(vmmapi_h.vm_rtc_write(ctx, offset, (byte) value));
    }

    @Override
    public int rtcSettime(MemorySegment ctx, long secs) {
        return result(vmmapi_h.vm_rtc_settime(ctx, secs));
    }

    @Override
    public int rtcGettime(MemorySegment ctx, MemorySegment out) {
        return result(vmmapi_h.vm_rtc_gettime(ctx, out));
    }

    // ---- vCPUs -----------------------------------------------------------------------------------------

    @Override
    public MemorySegment vcpuOpen(MemorySegment ctx, int id) {
        return vmmapi_h.vm_vcpu_open(ctx, id);
    }

    @Override
    public void vcpuClose(MemorySegment vcpu) {
        vmmapi_h.vm_vcpu_close(vcpu);
    }

    @Override
    public int run(MemorySegment vcpu, MemorySegment vmrun) {
        return result(vmmapi_h.vm_run(vcpu, vmrun));
    }

    @Override
    public int getRegister(MemorySegment vcpu, int reg, MemorySegment out) {
        return result(vmmapi_h.vm_get_register(vcpu, reg, out));
    }

    @Override
    public int setRegister(MemorySegment vcpu, int reg, long value) {
        return result(vmmapi_h.vm_set_register(vcpu, reg, value));
    }

    @Override
    public int getRegisterSet(MemorySegment vcpu, int count, MemorySegment regnums, MemorySegment regvals) {
        return result(vmmapi_h.vm_get_register_set(vcpu, count, regnums, regvals));
    }

    @Override
    public int setRegisterSet(MemorySegment vcpu, int count, MemorySegment regnums, MemorySegment regvals) {
        return result(vmmapi_h.vm_set_register_set(vcpu, count, regnums, regvals));
    }

    @Override
    public int getDesc(MemorySegment vcpu, int reg, MemorySegment base, MemorySegment limit, MemorySegment access) {
        return result(vmmapi_h.vm_get_desc(vcpu, reg, base, limit, access));
    }

    @Override
    public int setDesc(MemorySegment vcpu, int reg, long base, int limit, int access) {
        return result(vmmapi_h.vm_set_desc(vcpu, reg, base, limit, access));
    }

    @Override
    public int injectException(MemorySegment vcpu, int vector, boolean errcodeValid, int errcode, boolean restart) {
        return result(vmmapi_h.vm_inject_exception(vcpu, vector, errcodeValid ? 1 : 0, errcode, restart ? 1 : 0));
    }

    @Override
    public int getIntinfo(MemorySegment vcpu, MemorySegment info1, MemorySegment info2) {
        return result(vmmapi_h.vm_get_intinfo(vcpu, info1, info2));
    }

    @Override
    public int setIntinfo(MemorySegment vcpu, long info1) {
        return result(vmmapi_h.vm_set_intinfo(vcpu, info1));
    }

    @Override
    public int injectNmi(MemorySegment vcpu) {
        return result(vmmapi_h.vm_inject_nmi(vcpu));
    }

    @Override
    public int restartInstruction(MemorySegment vcpu) {
        return result(vmmapi_h.vm_restart_instruction(vcpu));
    }

    @Override
    public int activateCpu(MemorySegment vcpu) {
        return result(vmmapi_h.vm_activate_cpu(vcpu));
    }

    @Override
    public int suspendCpu(MemorySegment vcpu) {
        return result(vmmapi_h.vm_suspend_cpu(vcpu));
    }

    @Override
    public int resumeCpu(MemorySegment vcpu) {
        return result(vmmapi_h.vm_resume_cpu(vcpu));
    }

    @Override
    public int getCapability(MemorySegment vcpu, int cap, MemorySegment out) {
        return result(vmmapi_h.vm_get_capability(vcpu, cap, out));
    }

    @Override
    public int setCapability(MemorySegment vcpu, int cap, int value) {
        return result(vmmapi_h.vm_set_capability(vcpu, cap, value));
    }

    @Override
    public int vcpuReset(MemorySegment vcpu) {
        return result(vmmapi_h.vcpu_reset(vcpu));
    }

    // ---- device ----------------------------------------------------------------------------------------

    @Override
    public int openDevice(String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = libc_h.allocateErrnoState(a);
            int fd = libc_h.open(err, a.allocateFrom("/dev/vmm/" + name), O_RDWR | O_CLOEXEC, 0);
            return fd >= 0 ? fd : -Math.max(libc_h.errno(err), 1);
        }
    }

    @Override
    public int ioctl(int fd, long request, MemorySegment arg) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = libc_h.allocateErrnoState(a);
            while (true) {
                int rc = libc_h.ioctl(err, fd, request, arg);
                if (rc >= 0) return 0;
                int e = libc_h.errno(err);
                if (e != FreeBsdErrors.EINTR) return e > 0 ? e : FreeBsdErrors.EIO;
            }
        }
    }

    @Override
    public void closeDevice(int fd) {
        try (Arena a = Arena.ofConfined()) {
            libc_h.close(libc_h.allocateErrnoState(a), fd);
        }
    }
}
