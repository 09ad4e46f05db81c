package org.jbhyve.bindings.freebsd.vmm;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * libvmmapi must be looked up lazily: initializing {@link vmm_h} or {@link vmmapi_h} (constants,
 * descriptors, errno helpers) loads nothing, and on an OS other than FreeBSD a call fails with a
 * clear {@link UnsupportedOperationException} instead of a link error.
 */
class VmmapiLoadingTest {

    @BeforeEach
    void notOnFreeBsd() {
        assumeFalse(System.getProperty("os.name", "").equals("FreeBSD"), "these tests check the non-FreeBSD behaviour");
        assumeFalse(System.getProperty(vmmapi_h.LIBRARY_PROPERTY) != null, "a libvmmapi override is set");
    }

    /**
     * Loads the bindings afresh in their own class loader, so the check does not depend on what other
     * tests in this JVM have already called.
     */
    @Test
    void initializingTheHeaderClassesLoadsNothingUntilAFunctionIsCalled() throws Exception {
        URL classes = vmmapi_h.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
            Class<?> api = Class.forName(vmmapi_h.class.getName(), true, loader);
            assertThat(api.getClassLoader()).isSameAs(loader);
            Method attempted = api.getDeclaredMethod("lookupAttempted");
            attempted.setAccessible(true);

            // Constants (including the computed ioctls, which initialize struct classes), descriptors, errno.
            assertThat(api.getField("VM_RUN").getLong(null)).isEqualTo(0x80207601L);
            assertThat(api.getField("VMMAPI_OPEN_CREATE").getInt(null)).isEqualTo(1);
            assertThat(api.getMethod("vm_run$descriptor").invoke(null)).isNotNull();
            Object state = api.getMethod("allocateErrnoState", java.lang.foreign.SegmentAllocator.class)
                    .invoke(null, Arena.ofAuto());
            assertThat(api.getMethod("errno", MemorySegment.class).invoke(null, state)).isEqualTo(0);
            assertThat(attempted.invoke(null)).as("lookup attempted during class initialization").isEqualTo(false);
            Path maps = Path.of("/proc/self/maps");
            if (Files.isReadable(maps)) {
                assertThat(Files.readString(maps)).doesNotContain("libvmmapi");
            }

            // The first call performs the (non-)lookup and fails clearly.
            Method vmCreate = api.getMethod("vm_create", MemorySegment.class);
            assertThatThrownBy(() -> vmCreate.invoke(null, MemorySegment.NULL))
                    .isInstanceOf(InvocationTargetException.class)
                    .cause()
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("vm_create")
                    .hasMessageContaining("libvmmapi is FreeBSD-only");
            assertThat(attempted.invoke(null)).isEqualTo(true);
        }
    }

    @Test
    void callingAFunctionOffFreeBsdThrowsAClearUnsupportedOperationException() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom("vm0");
            assertThatThrownBy(() -> vmmapi_h.vm_openf(name, vmm_h.VMMAPI_OPEN_CREATE))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageStartingWith("cannot call vm_openf: libvmmapi is FreeBSD-only")
                    .hasMessageContaining(System.getProperty("os.name"));
            MemorySegment errno = vmmapi_h.allocateErrnoState(arena);
            assertThatThrownBy(() -> vmmapi_h.vm_run(errno, MemorySegment.NULL, MemorySegment.NULL))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("vm_run");
            assertThatThrownBy(() -> vmmapi_h.vm_close(MemorySegment.NULL))
                    .isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(vmmapi_h::vm_snapshot_req$address)
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("FreeBSD-only");
        }
        assertThat(vmmapi_h.isAvailable()).isFalse();
        assertThat(vmmapi_h.libraryName()).isEmpty();
        assertThat(vmmapi_h.unavailableReason()).hasValueSatisfying(r -> assertThat(r).contains("FreeBSD-only"));
    }

    @Test
    void handlesHaveTheCapturedStateFirstEvenWhenTheyOnlyThrow() {
        assertThat(vmmapi_h.vm_run$handle().type()).isEqualTo(
                MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class, MemorySegment.class));
        assertThat(vmmapi_h.vm_destroy$handle().type()).isEqualTo(
                MethodType.methodType(void.class, MemorySegment.class, MemorySegment.class));
        assertThat(vmmapi_h.vm_get_highmem_base$handle().type().returnType()).isEqualTo(long.class);
    }

    @Test
    void descriptorsFollowTheCPrototypes() {
        // int vm_set_topology(struct vmctx *, uint16_t, uint16_t, uint16_t, uint16_t)
        assertThat(vmmapi_h.vm_set_topology$descriptor()).isEqualTo(FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.JAVA_SHORT, ValueLayout.JAVA_SHORT, ValueLayout.JAVA_SHORT, ValueLayout.JAVA_SHORT));
        // struct vmctx *vm_openf(const char *, int)
        assertThat(vmmapi_h.vm_openf$descriptor()).isEqualTo(
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        // void *vm_map_gpa(struct vmctx *, vm_paddr_t, size_t)
        assertThat(vmmapi_h.vm_map_gpa$descriptor()).isEqualTo(
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
        // int vm_rtc_write(struct vmctx *, int, uint8_t)
        assertThat(vmmapi_h.vm_rtc_write$descriptor()).isEqualTo(
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_BYTE));
        // void vm_close(struct vmctx *)
        assertThat(vmmapi_h.vm_close$descriptor()).isEqualTo(FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        // int vm_setup_freebsd_registers(struct vcpu *, uint64_t rip, cr3, gdtbase, rsp)
        assertThat(vmmapi_h.vm_setup_freebsd_registers$descriptor().argumentLayouts()).hasSize(5);
    }

    @Test
    void errnoStateHasAnErrnoField() {
        assertThat(vmmapi_h.errnoState().memberLayouts())
                .anySatisfy(l -> assertThat(l.name()).hasValue("errno"));
        assertThat(vmmapi_h.errno()).isZero();
    }
}
