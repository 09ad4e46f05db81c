package org.jbhyve.bindings.freebsd.sysctl;

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
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code sysctlbyname(3)}: the descriptor follows the C prototype of FreeBSD's sys/sysctl.h
 * ({@code int sysctlbyname(const char *, void *, size_t *, const void *, size_t)}, LP64), the symbol is
 * looked up lazily and only on FreeBSD, and on FreeBSD it reads {@code kern.osreldate}.
 */
class SysctlBindingTest {

    private static boolean onFreeBsd() {
        return System.getProperty("os.name", "").equals("FreeBSD");
    }

    @Test
    void descriptorFollowsTheCPrototype() {
        assertThat(sysctl_h.sysctlbyname$descriptor()).isEqualTo(FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        assertThat(sysctl_h.sysctlbyname$handle().type()).isEqualTo(MethodType.methodType(int.class,
                MemorySegment.class, MemorySegment.class, MemorySegment.class, MemorySegment.class,
                MemorySegment.class, long.class));
        assertThat(sysctl_h.errnoState().memberLayouts()).anySatisfy(l -> assertThat(l.name()).hasValue("errno"));
    }

    /** A fresh class loader, so the check does not depend on what other tests have called. */
    @Test
    void initializingTheClassLooksNothingUp() throws Exception {
        URL classes = sysctl_h.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
            Class<?> api = Class.forName(sysctl_h.class.getName(), true, loader);
            Method attempted = api.getDeclaredMethod("lookupAttempted");
            attempted.setAccessible(true);
            assertThat(api.getMethod("sysctlbyname$descriptor").invoke(null)).isNotNull();
            assertThat(attempted.invoke(null)).isEqualTo(false);
            api.getMethod("sysctlbyname$handle").invoke(null);
            assertThat(attempted.invoke(null)).isEqualTo(true);
        }
    }

    @Test
    void offFreeBsdACallFailsClearly() {
        assumeFalse(onFreeBsd(), "checks the non-FreeBSD behaviour");
        try (Arena a = Arena.ofConfined()) {
            assertThatThrownBy(() -> sysctl_h.sysctlbyname(sysctl_h.allocateErrnoState(a), a.allocateFrom("kern.osreldate"),
                    MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, 0))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageStartingWith("cannot call sysctlbyname: sysctlbyname is FreeBSD's; this JVM runs on ");
        }
    }

    @Test
    void onFreeBsdItReadsKernOsreldateAndKernOsrelease() throws InvocationTargetException {
        assumeTrue(onFreeBsd(), "needs FreeBSD");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = sysctl_h.allocateErrnoState(a);
            MemorySegment value = a.allocate(ValueLayout.JAVA_INT);
            MemorySegment len = a.allocateFrom(ValueLayout.JAVA_LONG, 4);
            int rc = sysctl_h.sysctlbyname(err, a.allocateFrom("kern.osreldate"), value, len, MemorySegment.NULL, 0);
            assertThat(rc).as("errno %d", sysctl_h.errno(err)).isZero();
            assertThat(value.get(ValueLayout.JAVA_INT, 0)).isGreaterThan(1_300_000);
            MemorySegment text = a.allocate(256);
            len.set(ValueLayout.JAVA_LONG, 0, 256);
            rc = sysctl_h.sysctlbyname(err, a.allocateFrom("kern.osrelease"), text, len, MemorySegment.NULL, 0);
            assertThat(rc).isZero();
            assertThat(text.getString(0, StandardCharsets.US_ASCII)).matches("\\d+\\.\\d+-.*");
            rc = sysctl_h.sysctlbyname(err, a.allocateFrom("no.such.sysctl.jbhyve"), text, len, MemorySegment.NULL, 0);
            assertThat(rc).isEqualTo(-1);
            assertThat(sysctl_h.errno(err)).isEqualTo(2); // ENOENT
        }
    }
}
