// Hand-written FFM binding in the shape jextract generates (see bindings/jextract/freebsd/README.md).
// FreeBSD sys/sysctl.h: sysctlbyname(3), resolved lazily from libc, and only on FreeBSD.

package org.jbhyve.bindings.freebsd.sysctl;

import java.lang.foreign.*;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.Optional;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@code sysctlbyname(3)} from FreeBSD's libc, in jextract's shape: {@code sysctlbyname$descriptor()},
 * {@code sysctlbyname$handle()}, {@code sysctlbyname(errnoState, ...)}.
 *
 * <p>The FreeBSD backend reads {@code kern.osreldate} ({@code int}), {@code kern.osrelease} (a string),
 * {@code machdep.tsc_freq} ({@code uint64_t}) and {@code hw.vmm.*} through it.
 *
 * <h2>Loading</h2>
 * Nothing is looked up when this class is initialized. The symbol is found in the process's default
 * library lookup (libc) the first time the handle is needed, and only when {@code os.name} is
 * {@code FreeBSD}: Linux's glibc has no {@code sysctlbyname}, and a same-named symbol elsewhere would
 * not have FreeBSD's semantics. Elsewhere the handle throws {@link UnsupportedOperationException}.
 *
 * <h2>errno</h2>
 * The handle is linked with {@code Linker.Option.captureCallState("errno")}; its first parameter is a
 * capture segment of layout {@link #errnoState()}.
 */
public class sysctl_h {

    sysctl_h() {
        // Should not be called directly
    }

    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS;
    /** {@code size_t} on amd64. */
    public static final ValueLayout.OfLong C_SIZE_T = ValueLayout.JAVA_LONG;
    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;

    private static final StructLayout ERRNO_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_HANDLE = ERRNO_STATE.varHandle(groupElement("errno"));

    /** The layout of the errno capture segment the handle takes first. */
    public static StructLayout errnoState() {
        return ERRNO_STATE;
    }

    /** Allocates an errno capture segment. */
    public static MemorySegment allocateErrnoState(SegmentAllocator allocator) {
        return allocator.allocate(ERRNO_STATE);
    }

    /** The errno a call left in {@code errnoState}. */
    public static int errno(MemorySegment errnoState) {
        return (int) ERRNO_HANDLE.get(errnoState, 0L);
    }

    private static volatile boolean lookupAttempted;

    /** Whether anything has tried to find {@code sysctlbyname} yet (for tests: class loading must not). */
    static boolean lookupAttempted() {
        return lookupAttempted;
    }

    // ---- sysctlbyname

    private static final FunctionDescriptor sysctlbyname$DESC = FunctionDescriptor.of(C_INT,
            C_POINTER, C_POINTER, C_POINTER, C_POINTER, C_SIZE_T);

    private static final class sysctlbyname$ {
        static final MethodHandle HANDLE;

        static {
            lookupAttempted = true;
            String os = System.getProperty("os.name", "unknown");
            Optional<MemorySegment> address = os.equals("FreeBSD")
                    ? Linker.nativeLinker().defaultLookup().find("sysctlbyname")
                    : Optional.empty();
            if (address.isPresent()) {
                HANDLE = Linker.nativeLinker().downcallHandle(address.get(), sysctlbyname$DESC,
                        Linker.Option.captureCallState("errno"));
            } else {
                String why = os.equals("FreeBSD") ? "the C library has no sysctlbyname"
                        : "sysctlbyname is FreeBSD's; this JVM runs on " + os;
                MethodType type = sysctlbyname$DESC.toMethodType().insertParameterTypes(0, MemorySegment.class);
                MethodHandle thrower = MethodHandles.insertArguments(FAIL, 0, "cannot call sysctlbyname: " + why);
                HANDLE = MethodHandles.dropArguments(thrower, 0, type.parameterList()).asType(type);
            }
        }
    }

    private static final MethodHandle FAIL;

    static {
        try {
            FAIL = MethodHandles.lookup().findStatic(sysctl_h.class, "fail",
                    MethodType.methodType(Object.class, String.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static Object fail(String message) {
        throw new UnsupportedOperationException(message);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int sysctlbyname(const char *name, void *oldp, size_t *oldlenp, const void *newp, size_t newlen)
     * }
     */
    public static FunctionDescriptor sysctlbyname$descriptor() {
        return sysctlbyname$DESC;
    }

    /**
     * Downcall method handle for {@code sysctlbyname}, taking the errno capture segment first. Resolving
     * it looks the symbol up (on FreeBSD only); elsewhere the handle throws
     * {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle sysctlbyname$handle() {
        return sysctlbyname$.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * int sysctlbyname(const char *name, void *oldp, size_t *oldlenp, const void *newp, size_t newlen)
     * }
     * <p>Reads (with {@code oldp}/{@code oldlenp}) and/or writes ({@code newp}/{@code newlen}) the sysctl
     * {@code name}. Returns 0, or -1 with errno: ENOENT for an unknown name, ENOMEM when {@code *oldlenp} is too
     * small, EPERM for a write without privilege. With {@code oldp} NULL, {@code *oldlenp} receives the size.
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException off FreeBSD
     */
    public static int sysctlbyname(MemorySegment errnoState, MemorySegment name, MemorySegment oldp,
                                   MemorySegment oldlenp, MemorySegment newp, long newlen) {
        MethodHandle mh$ = sysctlbyname$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, name, oldp, oldlenp, newp, newlen);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
}
