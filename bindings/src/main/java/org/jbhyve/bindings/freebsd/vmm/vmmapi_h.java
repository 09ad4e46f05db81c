// Hand-written FFM binding in the shape jextract generates (see bindings/jextract/freebsd/README.md).
// libvmmapi (lib/libvmmapi/vmmapi.h, FreeBSD 14/15 amd64). Function bodies follow one pattern; the
// library is resolved lazily, on the first call, and never on other operating systems.

package org.jbhyve.bindings.freebsd.vmm;

import java.lang.foreign.*;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * Downcalls into FreeBSD's libvmmapi, one group of methods per C function, in jextract's shape:
 * {@code f$descriptor()}, {@code f$handle()}, {@code f$address()} and {@code f(...)}.
 *
 * <h2>Loading</h2>
 * Nothing is loaded when this class (or {@link vmm_h}, which it extends for the constants) is
 * initialized. The library is looked up the first time a function's handle is needed, by a holder
 * class per function. On an operating system other than FreeBSD no lookup happens at all, and every
 * function throws {@link UnsupportedOperationException} saying that libvmmapi is FreeBSD-only. On
 * FreeBSD the sonames in {@link #LIBRARY_NAMES} are tried in order; the system property
 * {@value #LIBRARY_PROPERTY} names a different library (a soname or a path) and is honoured on any
 * operating system. A function the loaded library lacks (for example {@code vm_openf} in an older
 * release) throws {@link UnsupportedOperationException} naming it, when called.
 *
 * <h2>errno</h2>
 * Every handle is linked with {@code Linker.Option.captureCallState("errno")}, so its first
 * parameter is a capture segment of layout {@link #errnoState()}. Each function has two wrappers:
 * {@code f(errnoState, args...)} writes errno into the caller's segment (read it with
 * {@link #errno(MemorySegment)}); {@code f(args...)} uses a segment private to the calling thread,
 * read with {@link #errno()} right after the call, before the thread makes another call through
 * this class.
 */
public class vmmapi_h extends vmm_h {

    vmmapi_h() {
        // Should not be called directly
    }

    /** System property that names the libvmmapi to load, a soname or a path. */
    public static final String LIBRARY_PROPERTY = "jbhyve.libvmmapi";

    /**
     * Sonames tried in order on FreeBSD: {@code libvmmapi.so.7} (SHLIB_MAJOR 7, current main and
     * FreeBSD 15), {@code libvmmapi.so.6} (FreeBSD 14), then the unversioned development link. Not in
     * the reference; taken from lib/libvmmapi/Makefile in FreeBSD trees.
     */
    public static final List<String> LIBRARY_NAMES = List.of("libvmmapi.so.7", "libvmmapi.so.6", "libvmmapi.so");

    // ---- errno capture ----------------------------------------------------------------------------

    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout ERRNO_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_HANDLE = ERRNO_STATE.varHandle(groupElement("errno"));
    private static final ThreadLocal<MemorySegment> LAST_ERRNO_STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(ERRNO_STATE));

    /** The layout of the errno capture segment every handle takes first. */
    public static StructLayout errnoState() {
        return ERRNO_STATE;
    }

    /** Allocates an errno capture segment for the {@code f(errnoState, ...)} wrappers. */
    public static MemorySegment allocateErrnoState(SegmentAllocator allocator) {
        return allocator.allocate(ERRNO_STATE);
    }

    /** The errno a call left in {@code errnoState}. */
    public static int errno(MemorySegment errnoState) {
        return (int) ERRNO_HANDLE.get(errnoState, 0L);
    }

    /** The errno left by this thread's last call through a wrapper without an errno argument. */
    public static int errno() {
        return errno(lastErrnoState());
    }

    static MemorySegment lastErrnoState() {
        return LAST_ERRNO_STATE.get();
    }

    // ---- library ----------------------------------------------------------------------------------

    private static volatile boolean lookupAttempted;

    /** Whether anything has tried to find libvmmapi yet (for tests: class loading must not). */
    static boolean lookupAttempted() {
        return lookupAttempted;
    }

    /**
     * Whether libvmmapi was loaded. Calling this performs the lookup (on FreeBSD) if it has not
     * happened yet; elsewhere it only checks the operating system.
     */
    public static boolean isAvailable() {
        return Lib.LOOKUP != null;
    }

    /** Why libvmmapi is unavailable, or empty when it was loaded. Performs the lookup like {@link #isAvailable()}. */
    public static Optional<String> unavailableReason() {
        return Optional.ofNullable(Lib.FAILURE);
    }

    /** The name of the library that was loaded, or empty. Performs the lookup like {@link #isAvailable()}. */
    public static Optional<String> libraryName() {
        return Optional.ofNullable(Lib.NAME);
    }

    private static final class Lib {
        static final SymbolLookup LOOKUP;
        static final String NAME;
        static final String FAILURE;

        static {
            lookupAttempted = true;
            SymbolLookup lookup = null;
            String name = null;
            String failure = null;
            String override = System.getProperty(LIBRARY_PROPERTY);
            String os = System.getProperty("os.name", "unknown");
            if (override == null && !os.equals("FreeBSD")) {
                failure = "libvmmapi is FreeBSD-only: it is the userland library of FreeBSD's vmm(4) hypervisor, and this JVM runs on "
                        + os + " (on Linux, use the KVM backend)";
            } else {
                List<String> candidates = override != null ? List.of(override) : LIBRARY_NAMES;
                List<String> errors = new ArrayList<>();
                for (String candidate : candidates) {
                    try {
                        lookup = SymbolLookup.libraryLookup(candidate, Arena.global());
                        name = candidate;
                        break;
                    } catch (IllegalArgumentException e) {
                        errors.add(candidate + ": " + e.getMessage());
                    }
                }
                if (lookup == null) {
                    failure = "cannot load libvmmapi (" + String.join("; ", errors) + "); it is part of the FreeBSD base system,"
                            + " or set -D" + LIBRARY_PROPERTY + "=/path/to/libvmmapi.so.N";
                }
            }
            LOOKUP = lookup;
            NAME = name;
            FAILURE = failure;
        }

        static Optional<MemorySegment> symbol(String function) {
            return LOOKUP == null ? Optional.empty() : LOOKUP.find(function);
        }

        static String missing(String function) {
            if (FAILURE != null) {
                return "cannot call " + function + ": " + FAILURE;
            }
            String hint = function.equals("vm_snapshot_req") || function.equals("vm_restore_time")
                    ? " (libvmmapi built without WITH_BHYVE_SNAPSHOT?)"
                    : " (the FreeBSD release is older or newer than these bindings, written for 14 and 15)";
            return "cannot call " + function + ": " + NAME + " has no such function" + hint;
        }

        static MemorySegment find(String function) {
            return symbol(function).orElseThrow(() -> new UnsupportedOperationException(missing(function)));
        }

        /** The errno-capturing downcall handle, or one of the same type that throws when invoked. */
        static MethodHandle downcall(String function, FunctionDescriptor descriptor) {
            Optional<MemorySegment> address = symbol(function);
            if (address.isPresent()) {
                return Linker.nativeLinker().downcallHandle(address.get(), descriptor, CAPTURE_ERRNO);
            }
            MethodType type = descriptor.toMethodType().insertParameterTypes(0, MemorySegment.class);
            MethodHandle thrower = MethodHandles.insertArguments(FAIL, 0, missing(function));
            return MethodHandles.dropArguments(thrower, 0, type.parameterList()).asType(type);
        }

        private static final MethodHandle FAIL;

        static {
            try {
                FAIL = MethodHandles.lookup().findStatic(Lib.class, "fail",
                        MethodType.methodType(Object.class, String.class));
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private static Object fail(String message) {
            throw new UnsupportedOperationException(message);
        }
    }

    // ---- vm_openf

    private static final FunctionDescriptor vm_openf$DESC = FunctionDescriptor.of(C_POINTER, C_POINTER, C_INT);

    private static final class vm_openf$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_openf", vm_openf$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * struct vmctx *vm_openf(const char *name, int flags)
     * }
     */
    public static FunctionDescriptor vm_openf$descriptor() {
        return vm_openf$DESC;
    }

    /**
     * Downcall method handle for {@code vm_openf}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_openf$handle() {
        return vm_openf$.HANDLE;
    }

    /**
     * Address of {@code vm_openf} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_openf$address() {
        return Lib.find("vm_openf");
    }

    /**
     * {@snippet lang=c :
     * struct vmctx *vm_openf(const char *name, int flags)
     * }
     * <p>Opens VM {@code name}; {@code flags} takes {@code VMMAPI_OPEN_CREATE}. NULL with errno on failure
     * (ENOENT if it does not exist and CREATE was not given).
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static MemorySegment vm_openf(MemorySegment name, int flags) {
        return vm_openf(lastErrnoState(), name, flags);
    }

    /**
     * {@snippet lang=c :
     * struct vmctx *vm_openf(const char *name, int flags)
     * }
     * <p>Opens VM {@code name}; {@code flags} takes {@code VMMAPI_OPEN_CREATE}. NULL with errno on failure
     * (ENOENT if it does not exist and CREATE was not given).
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static MemorySegment vm_openf(MemorySegment errnoState, MemorySegment name, int flags) {
        MethodHandle mh$ = vm_openf$.HANDLE;
        try {
            return (MemorySegment) mh$.invokeExact(errnoState, name, flags);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_open

    private static final FunctionDescriptor vm_open$DESC = FunctionDescriptor.of(C_POINTER, C_POINTER);

    private static final class vm_open$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_open", vm_open$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * struct vmctx *vm_open(const char *name)
     * }
     */
    public static FunctionDescriptor vm_open$descriptor() {
        return vm_open$DESC;
    }

    /**
     * Downcall method handle for {@code vm_open}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_open$handle() {
        return vm_open$.HANDLE;
    }

    /**
     * Address of {@code vm_open} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_open$address() {
        return Lib.find("vm_open");
    }

    /**
     * {@snippet lang=c :
     * struct vmctx *vm_open(const char *name)
     * }
     * <p>Opens an existing VM; same as {@code vm_openf(name, 0)}.
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static MemorySegment vm_open(MemorySegment name) {
        return vm_open(lastErrnoState(), name);
    }

    /**
     * {@snippet lang=c :
     * struct vmctx *vm_open(const char *name)
     * }
     * <p>Opens an existing VM; same as {@code vm_openf(name, 0)}.
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static MemorySegment vm_open(MemorySegment errnoState, MemorySegment name) {
        MethodHandle mh$ = vm_open$.HANDLE;
        try {
            return (MemorySegment) mh$.invokeExact(errnoState, name);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_create

    private static final FunctionDescriptor vm_create$DESC = FunctionDescriptor.of(C_INT, C_POINTER);

    private static final class vm_create$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_create", vm_create$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_create(const char *name)
     * }
     */
    public static FunctionDescriptor vm_create$descriptor() {
        return vm_create$DESC;
    }

    /**
     * Downcall method handle for {@code vm_create}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_create$handle() {
        return vm_create$.HANDLE;
    }

    /**
     * Address of {@code vm_create} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_create$address() {
        return Lib.find("vm_create");
    }

    /**
     * {@snippet lang=c :
     * int vm_create(const char *name)
     * }
     * <p>Creates VM {@code name}.
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_create(MemorySegment name) {
        return vm_create(lastErrnoState(), name);
    }

    /**
     * {@snippet lang=c :
     * int vm_create(const char *name)
     * }
     * <p>Creates VM {@code name}.
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_create(MemorySegment errnoState, MemorySegment name) {
        MethodHandle mh$ = vm_create$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, name);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_destroy

    private static final FunctionDescriptor vm_destroy$DESC = FunctionDescriptor.ofVoid(C_POINTER);

    private static final class vm_destroy$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_destroy", vm_destroy$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void vm_destroy(struct vmctx *ctx)
     * }
     */
    public static FunctionDescriptor vm_destroy$descriptor() {
        return vm_destroy$DESC;
    }

    /**
     * Downcall method handle for {@code vm_destroy}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_destroy$handle() {
        return vm_destroy$.HANDLE;
    }

    /**
     * Address of {@code vm_destroy} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_destroy$address() {
        return Lib.find("vm_destroy");
    }

    /**
     * {@snippet lang=c :
     * void vm_destroy(struct vmctx *ctx)
     * }
     * <p>Destroys the VM and frees {@code ctx}.
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static void vm_destroy(MemorySegment ctx) {
        vm_destroy(lastErrnoState(), ctx);
    }

    /**
     * {@snippet lang=c :
     * void vm_destroy(struct vmctx *ctx)
     * }
     * <p>Destroys the VM and frees {@code ctx}.
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static void vm_destroy(MemorySegment errnoState, MemorySegment ctx) {
        MethodHandle mh$ = vm_destroy$.HANDLE;
        try {
            mh$.invokeExact(errnoState, ctx);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_close

    private static final FunctionDescriptor vm_close$DESC = FunctionDescriptor.ofVoid(C_POINTER);

    private static final class vm_close$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_close", vm_close$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void vm_close(struct vmctx *ctx)
     * }
     */
    public static FunctionDescriptor vm_close$descriptor() {
        return vm_close$DESC;
    }

    /**
     * Downcall method handle for {@code vm_close}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_close$handle() {
        return vm_close$.HANDLE;
    }

    /**
     * Address of {@code vm_close} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_close$address() {
        return Lib.find("vm_close");
    }

    /**
     * {@snippet lang=c :
     * void vm_close(struct vmctx *ctx)
     * }
     * <p>Closes {@code ctx} without destroying the VM.
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static void vm_close(MemorySegment ctx) {
        vm_close(lastErrnoState(), ctx);
    }

    /**
     * {@snippet lang=c :
     * void vm_close(struct vmctx *ctx)
     * }
     * <p>Closes {@code ctx} without destroying the VM.
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static void vm_close(MemorySegment errnoState, MemorySegment ctx) {
        MethodHandle mh$ = vm_close$.HANDLE;
        try {
            mh$.invokeExact(errnoState, ctx);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_reinit

    private static final FunctionDescriptor vm_reinit$DESC = FunctionDescriptor.of(C_INT, C_POINTER);

    private static final class vm_reinit$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_reinit", vm_reinit$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_reinit(struct vmctx *ctx)
     * }
     */
    public static FunctionDescriptor vm_reinit$descriptor() {
        return vm_reinit$DESC;
    }

    /**
     * Downcall method handle for {@code vm_reinit}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_reinit$handle() {
        return vm_reinit$.HANDLE;
    }

    /**
     * Address of {@code vm_reinit} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_reinit$address() {
        return Lib.find("vm_reinit");
    }

    /**
     * {@snippet lang=c :
     * int vm_reinit(struct vmctx *ctx)
     * }
     * <p>Resets the VM ({@code VM_REINIT}).
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_reinit(MemorySegment ctx) {
        return vm_reinit(lastErrnoState(), ctx);
    }

    /**
     * {@snippet lang=c :
     * int vm_reinit(struct vmctx *ctx)
     * }
     * <p>Resets the VM ({@code VM_REINIT}).
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_reinit(MemorySegment errnoState, MemorySegment ctx) {
        MethodHandle mh$ = vm_reinit$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, ctx);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_limit_rights

    private static final FunctionDescriptor vm_limit_rights$DESC = FunctionDescriptor.of(C_INT, C_POINTER);

    private static final class vm_limit_rights$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_limit_rights", vm_limit_rights$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_limit_rights(struct vmctx *ctx)
     * }
     */
    public static FunctionDescriptor vm_limit_rights$descriptor() {
        return vm_limit_rights$DESC;
    }

    /**
     * Downcall method handle for {@code vm_limit_rights}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_limit_rights$handle() {
        return vm_limit_rights$.HANDLE;
    }

    /**
     * Address of {@code vm_limit_rights} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_limit_rights$address() {
        return Lib.find("vm_limit_rights");
    }

    /**
     * {@snippet lang=c :
     * int vm_limit_rights(struct vmctx *ctx)
     * }
     * <p>Restricts the VM descriptor's Capsicum rights.
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_limit_rights(MemorySegment ctx) {
        return vm_limit_rights(lastErrnoState(), ctx);
    }

    /**
     * {@snippet lang=c :
     * int vm_limit_rights(struct vmctx *ctx)
     * }
     * <p>Restricts the VM descriptor's Capsicum rights.
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_limit_rights(MemorySegment errnoState, MemorySegment ctx) {
        MethodHandle mh$ = vm_limit_rights$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, ctx);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_setup_memory

    private static final FunctionDescriptor vm_setup_memory$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_INT);

    private static final class vm_setup_memory$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_setup_memory", vm_setup_memory$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_setup_memory(struct vmctx *ctx, size_t len, enum vm_mmap_style s)
     * }
     */
    public static FunctionDescriptor vm_setup_memory$descriptor() {
        return vm_setup_memory$DESC;
    }

    /**
     * Downcall method handle for {@code vm_setup_memory}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_setup_memory$handle() {
        return vm_setup_memory$.HANDLE;
    }

    /**
     * Address of {@code vm_setup_memory} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_setup_memory$address() {
        return Lib.find("vm_setup_memory");
    }

    /**
     * {@snippet lang=c :
     * int vm_setup_memory(struct vmctx *ctx, size_t len, enum vm_mmap_style s)
     * }
     * <p>Creates and maps {@code len} bytes of guest RAM; {@code s} must be {@code VM_MMAP_ALL}.
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_setup_memory(MemorySegment ctx, long len, int s) {
        return vm_setup_memory(lastErrnoState(), ctx, len, s);
    }

    /**
     * {@snippet lang=c :
     * int vm_setup_memory(struct vmctx *ctx, size_t len, enum vm_mmap_style s)
     * }
     * <p>Creates and maps {@code len} bytes of guest RAM; {@code s} must be {@code VM_MMAP_ALL}.
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_setup_memory(MemorySegment errnoState, MemorySegment ctx, long len, int s) {
        MethodHandle mh$ = vm_setup_memory$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, ctx, len, s);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_map_gpa

    private static final FunctionDescriptor vm_map_gpa$DESC = FunctionDescriptor.of(C_POINTER, C_POINTER, C_LONG, C_LONG);

    private static final class vm_map_gpa$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_map_gpa", vm_map_gpa$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void *vm_map_gpa(struct vmctx *ctx, vm_paddr_t gaddr, size_t len)
     * }
     */
    public static FunctionDescriptor vm_map_gpa$descriptor() {
        return vm_map_gpa$DESC;
    }

    /**
     * Downcall method handle for {@code vm_map_gpa}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_map_gpa$handle() {
        return vm_map_gpa$.HANDLE;
    }

    /**
     * Address of {@code vm_map_gpa} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_map_gpa$address() {
        return Lib.find("vm_map_gpa");
    }

    /**
     * {@snippet lang=c :
     * void *vm_map_gpa(struct vmctx *ctx, vm_paddr_t gaddr, size_t len)
     * }
     * <p>Host address of guest PA {@code gaddr} if {@code [gaddr, gaddr+len)} is mapped, else NULL. The result is
     * zero-length: {@code reinterpret(len)} it.
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static MemorySegment vm_map_gpa(MemorySegment ctx, long gaddr, long len) {
        return vm_map_gpa(lastErrnoState(), ctx, gaddr, len);
    }

    /**
     * {@snippet lang=c :
     * void *vm_map_gpa(struct vmctx *ctx, vm_paddr_t gaddr, size_t len)
     * }
     * <p>Host address of guest PA {@code gaddr} if {@code [gaddr, gaddr+len)} is mapped, else NULL. The result is
     * zero-length: {@code reinterpret(len)} it.
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static MemorySegment vm_map_gpa(MemorySegment errnoState, MemorySegment ctx, long gaddr, long len) {
        MethodHandle mh$ = vm_map_gpa$.HANDLE;
        try {
            return (MemorySegment) mh$.invokeExact(errnoState, ctx, gaddr, len);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_get_guestmem_from_ctx

    private static final FunctionDescriptor vm_get_guestmem_from_ctx$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_POINTER, C_POINTER);

    private static final class vm_get_guestmem_from_ctx$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_get_guestmem_from_ctx", vm_get_guestmem_from_ctx$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_get_guestmem_from_ctx(struct vmctx *ctx, char **guest_baseaddr, size_t *lowmem_size, size_t *highmem_size)
     * }
     */
    public static FunctionDescriptor vm_get_guestmem_from_ctx$descriptor() {
        return vm_get_guestmem_from_ctx$DESC;
    }

    /**
     * Downcall method handle for {@code vm_get_guestmem_from_ctx}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_get_guestmem_from_ctx$handle() {
        return vm_get_guestmem_from_ctx$.HANDLE;
    }

    /**
     * Address of {@code vm_get_guestmem_from_ctx} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_get_guestmem_from_ctx$address() {
        return Lib.find("vm_get_guestmem_from_ctx");
    }

    /**
     * {@snippet lang=c :
     * int vm_get_guestmem_from_ctx(struct vmctx *ctx, char **guest_baseaddr, size_t *lowmem_size, size_t *highmem_size)
     * }
     * <p>Base of the host mapping and the low/high memory sizes (used for snapshots).
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_get_guestmem_from_ctx(MemorySegment ctx, MemorySegment guest_baseaddr, MemorySegment lowmem_size, MemorySegment highmem_size) {
        return vm_get_guestmem_from_ctx(lastErrnoState(), ctx, guest_baseaddr, lowmem_size, highmem_size);
    }

    /**
     * {@snippet lang=c :
     * int vm_get_guestmem_from_ctx(struct vmctx *ctx, char **guest_baseaddr, size_t *lowmem_size, size_t *highmem_size)
     * }
     * <p>Base of the host mapping and the low/high memory sizes (used for snapshots).
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_get_guestmem_from_ctx(MemorySegment errnoState, MemorySegment ctx, MemorySegment guest_baseaddr, MemorySegment lowmem_size, MemorySegment highmem_size) {
        MethodHandle mh$ = vm_get_guestmem_from_ctx$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, ctx, guest_baseaddr, lowmem_size, highmem_size);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_get_highmem_base

    private static final FunctionDescriptor vm_get_highmem_base$DESC = FunctionDescriptor.of(C_LONG, C_POINTER);

    private static final class vm_get_highmem_base$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_get_highmem_base", vm_get_highmem_base$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * vm_paddr_t vm_get_highmem_base(struct vmctx *ctx)
     * }
     */
    public static FunctionDescriptor vm_get_highmem_base$descriptor() {
        return vm_get_highmem_base$DESC;
    }

    /**
     * Downcall method handle for {@code vm_get_highmem_base}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_get_highmem_base$handle() {
        return vm_get_highmem_base$.HANDLE;
    }

    /**
     * Address of {@code vm_get_highmem_base} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_get_highmem_base$address() {
        return Lib.find("vm_get_highmem_base");
    }

    /**
     * {@snippet lang=c :
     * vm_paddr_t vm_get_highmem_base(struct vmctx *ctx)
     * }
     * <p>Guest PA where high memory starts (4 GiB).
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static long vm_get_highmem_base(MemorySegment ctx) {
        return vm_get_highmem_base(lastErrnoState(), ctx);
    }

    /**
     * {@snippet lang=c :
     * vm_paddr_t vm_get_highmem_base(struct vmctx *ctx)
     * }
     * <p>Guest PA where high memory starts (4 GiB).
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static long vm_get_highmem_base(MemorySegment errnoState, MemorySegment ctx) {
        MethodHandle mh$ = vm_get_highmem_base$.HANDLE;
        try {
            return (long) mh$.invokeExact(errnoState, ctx);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_get_lowmem_size

    private static final FunctionDescriptor vm_get_lowmem_size$DESC = FunctionDescriptor.of(C_LONG, C_POINTER);

    private static final class vm_get_lowmem_size$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_get_lowmem_size", vm_get_lowmem_size$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * size_t vm_get_lowmem_size(struct vmctx *ctx)
     * }
     */
    public static FunctionDescriptor vm_get_lowmem_size$descriptor() {
        return vm_get_lowmem_size$DESC;
    }

    /**
     * Downcall method handle for {@code vm_get_lowmem_size}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_get_lowmem_size$handle() {
        return vm_get_lowmem_size$.HANDLE;
    }

    /**
     * Address of {@code vm_get_lowmem_size} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_get_lowmem_size$address() {
        return Lib.find("vm_get_lowmem_size");
    }

    /**
     * {@snippet lang=c :
     * size_t vm_get_lowmem_size(struct vmctx *ctx)
     * }
     * <p>Bytes of guest RAM below the PCI hole.
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static long vm_get_lowmem_size(MemorySegment ctx) {
        return vm_get_lowmem_size(lastErrnoState(), ctx);
    }

    /**
     * {@snippet lang=c :
     * size_t vm_get_lowmem_size(struct vmctx *ctx)
     * }
     * <p>Bytes of guest RAM below the PCI hole.
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static long vm_get_lowmem_size(MemorySegment errnoState, MemorySegment ctx) {
        MethodHandle mh$ = vm_get_lowmem_size$.HANDLE;
        try {
            return (long) mh$.invokeExact(errnoState, ctx);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_get_highmem_size

    private static final FunctionDescriptor vm_get_highmem_size$DESC = FunctionDescriptor.of(C_LONG, C_POINTER);

    private static final class vm_get_highmem_size$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_get_highmem_size", vm_get_highmem_size$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * size_t vm_get_highmem_size(struct vmctx *ctx)
     * }
     */
    public static FunctionDescriptor vm_get_highmem_size$descriptor() {
        return vm_get_highmem_size$DESC;
    }

    /**
     * Downcall method handle for {@code vm_get_highmem_size}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_get_highmem_size$handle() {
        return vm_get_highmem_size$.HANDLE;
    }

    /**
     * Address of {@code vm_get_highmem_size} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_get_highmem_size$address() {
        return Lib.find("vm_get_highmem_size");
    }

    /**
     * {@snippet lang=c :
     * size_t vm_get_highmem_size(struct vmctx *ctx)
     * }
     * <p>Bytes of guest RAM from {@code vm_get_highmem_base}.
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static long vm_get_highmem_size(MemorySegment ctx) {
        return vm_get_highmem_size(lastErrnoState(), ctx);
    }

    /**
     * {@snippet lang=c :
     * size_t vm_get_highmem_size(struct vmctx *ctx)
     * }
     * <p>Bytes of guest RAM from {@code vm_get_highmem_base}.
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static long vm_get_highmem_size(MemorySegment errnoState, MemorySegment ctx) {
        MethodHandle mh$ = vm_get_highmem_size$.HANDLE;
        try {
            return (long) mh$.invokeExact(errnoState, ctx);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_set_memflags

    private static final FunctionDescriptor vm_set_memflags$DESC = FunctionDescriptor.ofVoid(C_POINTER, C_INT);

    private static final class vm_set_memflags$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_set_memflags", vm_set_memflags$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void vm_set_memflags(struct vmctx *ctx, int flags)
     * }
     */
    public static FunctionDescriptor vm_set_memflags$descriptor() {
        return vm_set_memflags$DESC;
    }

    /**
     * Downcall method handle for {@code vm_set_memflags}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_set_memflags$handle() {
        return vm_set_memflags$.HANDLE;
    }

    /**
     * Address of {@code vm_set_memflags} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_set_memflags$address() {
        return Lib.find("vm_set_memflags");
    }

    /**
     * {@snippet lang=c :
     * void vm_set_memflags(struct vmctx *ctx, int flags)
     * }
     * <p>{@code VM_MEM_F_*}; call before {@code vm_setup_memory}.
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static void vm_set_memflags(MemorySegment ctx, int flags) {
        vm_set_memflags(lastErrnoState(), ctx, flags);
    }

    /**
     * {@snippet lang=c :
     * void vm_set_memflags(struct vmctx *ctx, int flags)
     * }
     * <p>{@code VM_MEM_F_*}; call before {@code vm_setup_memory}.
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static void vm_set_memflags(MemorySegment errnoState, MemorySegment ctx, int flags) {
        MethodHandle mh$ = vm_set_memflags$.HANDLE;
        try {
            mh$.invokeExact(errnoState, ctx, flags);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_get_memflags

    private static final FunctionDescriptor vm_get_memflags$DESC = FunctionDescriptor.of(C_INT, C_POINTER);

    private static final class vm_get_memflags$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_get_memflags", vm_get_memflags$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_get_memflags(struct vmctx *ctx)
     * }
     */
    public static FunctionDescriptor vm_get_memflags$descriptor() {
        return vm_get_memflags$DESC;
    }

    /**
     * Downcall method handle for {@code vm_get_memflags}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_get_memflags$handle() {
        return vm_get_memflags$.HANDLE;
    }

    /**
     * Address of {@code vm_get_memflags} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_get_memflags$address() {
        return Lib.find("vm_get_memflags");
    }

    /**
     * {@snippet lang=c :
     * int vm_get_memflags(struct vmctx *ctx)
     * }
     * <p>{@code VM_MEM_F_*}.
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_get_memflags(MemorySegment ctx) {
        return vm_get_memflags(lastErrnoState(), ctx);
    }

    /**
     * {@snippet lang=c :
     * int vm_get_memflags(struct vmctx *ctx)
     * }
     * <p>{@code VM_MEM_F_*}.
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_get_memflags(MemorySegment errnoState, MemorySegment ctx) {
        MethodHandle mh$ = vm_get_memflags$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, ctx);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_get_name

    private static final FunctionDescriptor vm_get_name$DESC = FunctionDescriptor.of(C_POINTER, C_POINTER);

    private static final class vm_get_name$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_get_name", vm_get_name$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * const char *vm_get_name(struct vmctx *ctx)
     * }
     */
    public static FunctionDescriptor vm_get_name$descriptor() {
        return vm_get_name$DESC;
    }

    /**
     * Downcall method handle for {@code vm_get_name}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_get_name$handle() {
        return vm_get_name$.HANDLE;
    }

    /**
     * Address of {@code vm_get_name} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_get_name$address() {
        return Lib.find("vm_get_name");
    }

    /**
     * {@snippet lang=c :
     * const char *vm_get_name(struct vmctx *ctx)
     * }
     * <p>The VM name (zero-length segment; reinterpret to read the string).
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static MemorySegment vm_get_name(MemorySegment ctx) {
        return vm_get_name(lastErrnoState(), ctx);
    }

    /**
     * {@snippet lang=c :
     * const char *vm_get_name(struct vmctx *ctx)
     * }
     * <p>The VM name (zero-length segment; reinterpret to read the string).
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static MemorySegment vm_get_name(MemorySegment errnoState, MemorySegment ctx) {
        MethodHandle mh$ = vm_get_name$.HANDLE;
        try {
            return (MemorySegment) mh$.invokeExact(errnoState, ctx);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_create_devmem

    private static final FunctionDescriptor vm_create_devmem$DESC = FunctionDescriptor.of(C_POINTER, C_POINTER, C_INT, C_POINTER, C_LONG);

    private static final class vm_create_devmem$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_create_devmem", vm_create_devmem$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void *vm_create_devmem(struct vmctx *ctx, int segid, const char *name, size_t len)
     * }
     */
    public static FunctionDescriptor vm_create_devmem$descriptor() {
        return vm_create_devmem$DESC;
    }

    /**
     * Downcall method handle for {@code vm_create_devmem}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_create_devmem$handle() {
        return vm_create_devmem$.HANDLE;
    }

    /**
     * Address of {@code vm_create_devmem} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_create_devmem$address() {
        return Lib.find("vm_create_devmem");
    }

    /**
     * {@snippet lang=c :
     * void *vm_create_devmem(struct vmctx *ctx, int segid, const char *name, size_t len)
     * }
     * <p>Creates and maps a device-memory segment; {@code MAP_FAILED} on error.
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static MemorySegment vm_create_devmem(MemorySegment ctx, int segid, MemorySegment name, long len) {
        return vm_create_devmem(lastErrnoState(), ctx, segid, name, len);
    }

    /**
     * {@snippet lang=c :
     * void *vm_create_devmem(struct vmctx *ctx, int segid, const char *name, size_t len)
     * }
     * <p>Creates and maps a device-memory segment; {@code MAP_FAILED} on error.
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static MemorySegment vm_create_devmem(MemorySegment errnoState, MemorySegment ctx, int segid, MemorySegment name, long len) {
        MethodHandle mh$ = vm_create_devmem$.HANDLE;
        try {
            return (MemorySegment) mh$.invokeExact(errnoState, ctx, segid, name, len);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_mmap_memseg

    private static final FunctionDescriptor vm_mmap_memseg$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_INT, C_LONG, C_LONG, C_INT);

    private static final class vm_mmap_memseg$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_mmap_memseg", vm_mmap_memseg$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_mmap_memseg(struct vmctx *ctx, vm_paddr_t gpa, int segid, vm_ooffset_t segoff, size_t len, int prot)
     * }
     */
    public static FunctionDescriptor vm_mmap_memseg$descriptor() {
        return vm_mmap_memseg$DESC;
    }

    /**
     * Downcall method handle for {@code vm_mmap_memseg}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_mmap_memseg$handle() {
        return vm_mmap_memseg$.HANDLE;
    }

    /**
     * Address of {@code vm_mmap_memseg} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_mmap_memseg$address() {
        return Lib.find("vm_mmap_memseg");
    }

    /**
     * {@snippet lang=c :
     * int vm_mmap_memseg(struct vmctx *ctx, vm_paddr_t gpa, int segid, vm_ooffset_t segoff, size_t len, int prot)
     * }
     * <p>Maps part of a segment into guest PA space.
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_mmap_memseg(MemorySegment ctx, long gpa, int segid, long segoff, long len, int prot) {
        return vm_mmap_memseg(lastErrnoState(), ctx, gpa, segid, segoff, len, prot);
    }

    /**
     * {@snippet lang=c :
     * int vm_mmap_memseg(struct vmctx *ctx, vm_paddr_t gpa, int segid, vm_ooffset_t segoff, size_t len, int prot)
     * }
     * <p>Maps part of a segment into guest PA space.
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_mmap_memseg(MemorySegment errnoState, MemorySegment ctx, long gpa, int segid, long segoff, long len, int prot) {
        MethodHandle mh$ = vm_mmap_memseg$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, ctx, gpa, segid, segoff, len, prot);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_vcpu_open

    private static final FunctionDescriptor vm_vcpu_open$DESC = FunctionDescriptor.of(C_POINTER, C_POINTER, C_INT);

    private static final class vm_vcpu_open$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_vcpu_open", vm_vcpu_open$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * struct vcpu *vm_vcpu_open(struct vmctx *ctx, int vcpuid)
     * }
     */
    public static FunctionDescriptor vm_vcpu_open$descriptor() {
        return vm_vcpu_open$DESC;
    }

    /**
     * Downcall method handle for {@code vm_vcpu_open}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_vcpu_open$handle() {
        return vm_vcpu_open$.HANDLE;
    }

    /**
     * Address of {@code vm_vcpu_open} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_vcpu_open$address() {
        return Lib.find("vm_vcpu_open");
    }

    /**
     * {@snippet lang=c :
     * struct vcpu *vm_vcpu_open(struct vmctx *ctx, int vcpuid)
     * }
     * <p>A handle for vCPU {@code vcpuid} (no kernel call).
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static MemorySegment vm_vcpu_open(MemorySegment ctx, int vcpuid) {
        return vm_vcpu_open(lastErrnoState(), ctx, vcpuid);
    }

    /**
     * {@snippet lang=c :
     * struct vcpu *vm_vcpu_open(struct vmctx *ctx, int vcpuid)
     * }
     * <p>A handle for vCPU {@code vcpuid} (no kernel call).
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static MemorySegment vm_vcpu_open(MemorySegment errnoState, MemorySegment ctx, int vcpuid) {
        MethodHandle mh$ = vm_vcpu_open$.HANDLE;
        try {
            return (MemorySegment) mh$.invokeExact(errnoState, ctx, vcpuid);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_vcpu_close

    private static final FunctionDescriptor vm_vcpu_close$DESC = FunctionDescriptor.ofVoid(C_POINTER);

    private static final class vm_vcpu_close$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_vcpu_close", vm_vcpu_close$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void vm_vcpu_close(struct vcpu *vcpu)
     * }
     */
    public static FunctionDescriptor vm_vcpu_close$descriptor() {
        return vm_vcpu_close$DESC;
    }

    /**
     * Downcall method handle for {@code vm_vcpu_close}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_vcpu_close$handle() {
        return vm_vcpu_close$.HANDLE;
    }

    /**
     * Address of {@code vm_vcpu_close} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_vcpu_close$address() {
        return Lib.find("vm_vcpu_close");
    }

    /**
     * {@snippet lang=c :
     * void vm_vcpu_close(struct vcpu *vcpu)
     * }
     * <p>Frees the handle.
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static void vm_vcpu_close(MemorySegment vcpu) {
        vm_vcpu_close(lastErrnoState(), vcpu);
    }

    /**
     * {@snippet lang=c :
     * void vm_vcpu_close(struct vcpu *vcpu)
     * }
     * <p>Frees the handle.
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static void vm_vcpu_close(MemorySegment errnoState, MemorySegment vcpu) {
        MethodHandle mh$ = vm_vcpu_close$.HANDLE;
        try {
            mh$.invokeExact(errnoState, vcpu);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vcpu_id

    private static final FunctionDescriptor vcpu_id$DESC = FunctionDescriptor.of(C_INT, C_POINTER);

    private static final class vcpu_id$ {
        static final MethodHandle HANDLE = Lib.downcall("vcpu_id", vcpu_id$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vcpu_id(struct vcpu *vcpu)
     * }
     */
    public static FunctionDescriptor vcpu_id$descriptor() {
        return vcpu_id$DESC;
    }

    /**
     * Downcall method handle for {@code vcpu_id}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vcpu_id$handle() {
        return vcpu_id$.HANDLE;
    }

    /**
     * Address of {@code vcpu_id} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vcpu_id$address() {
        return Lib.find("vcpu_id");
    }

    /**
     * {@snippet lang=c :
     * int vcpu_id(struct vcpu *vcpu)
     * }
     * <p>The vcpuid of a handle.
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vcpu_id(MemorySegment vcpu) {
        return vcpu_id(lastErrnoState(), vcpu);
    }

    /**
     * {@snippet lang=c :
     * int vcpu_id(struct vcpu *vcpu)
     * }
     * <p>The vcpuid of a handle.
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vcpu_id(MemorySegment errnoState, MemorySegment vcpu) {
        MethodHandle mh$ = vcpu_id$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, vcpu);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_run

    private static final FunctionDescriptor vm_run$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER);

    private static final class vm_run$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_run", vm_run$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_run(struct vcpu *vcpu, struct vm_run *vmrun)
     * }
     */
    public static FunctionDescriptor vm_run$descriptor() {
        return vm_run$DESC;
    }

    /**
     * Downcall method handle for {@code vm_run}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_run$handle() {
        return vm_run$.HANDLE;
    }

    /**
     * Address of {@code vm_run} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_run$address() {
        return Lib.find("vm_run");
    }

    /**
     * {@snippet lang=c :
     * int vm_run(struct vcpu *vcpu, struct vm_run *vmrun)
     * }
     * <p>Runs the vCPU until the next exit ({@code VM_RUN}); fill {@code vmrun} as described in {@link vm_run}.
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_run(MemorySegment vcpu, MemorySegment vmrun) {
        return vm_run(lastErrnoState(), vcpu, vmrun);
    }

    /**
     * {@snippet lang=c :
     * int vm_run(struct vcpu *vcpu, struct vm_run *vmrun)
     * }
     * <p>Runs the vCPU until the next exit ({@code VM_RUN}); fill {@code vmrun} as described in {@link vm_run}.
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_run(MemorySegment errnoState, MemorySegment vcpu, MemorySegment vmrun) {
        MethodHandle mh$ = vm_run$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, vcpu, vmrun);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_get_register

    private static final FunctionDescriptor vm_get_register$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_POINTER);

    private static final class vm_get_register$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_get_register", vm_get_register$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_get_register(struct vcpu *vcpu, int reg, uint64_t *retval)
     * }
     */
    public static FunctionDescriptor vm_get_register$descriptor() {
        return vm_get_register$DESC;
    }

    /**
     * Downcall method handle for {@code vm_get_register}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_get_register$handle() {
        return vm_get_register$.HANDLE;
    }

    /**
     * Address of {@code vm_get_register} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_get_register$address() {
        return Lib.find("vm_get_register");
    }

    /**
     * {@snippet lang=c :
     * int vm_get_register(struct vcpu *vcpu, int reg, uint64_t *retval)
     * }
     * <p>{@code reg} is a {@code VM_REG_GUEST_*} value.
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_get_register(MemorySegment vcpu, int reg, MemorySegment retval) {
        return vm_get_register(lastErrnoState(), vcpu, reg, retval);
    }

    /**
     * {@snippet lang=c :
     * int vm_get_register(struct vcpu *vcpu, int reg, uint64_t *retval)
     * }
     * <p>{@code reg} is a {@code VM_REG_GUEST_*} value.
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_get_register(MemorySegment errnoState, MemorySegment vcpu, int reg, MemorySegment retval) {
        MethodHandle mh$ = vm_get_register$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, vcpu, reg, retval);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_set_register

    private static final FunctionDescriptor vm_set_register$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_LONG);

    private static final class vm_set_register$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_set_register", vm_set_register$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_set_register(struct vcpu *vcpu, int reg, uint64_t val)
     * }
     */
    public static FunctionDescriptor vm_set_register$descriptor() {
        return vm_set_register$DESC;
    }

    /**
     * Downcall method handle for {@code vm_set_register}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_set_register$handle() {
        return vm_set_register$.HANDLE;
    }

    /**
     * Address of {@code vm_set_register} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_set_register$address() {
        return Lib.find("vm_set_register");
    }

    /**
     * {@snippet lang=c :
     * int vm_set_register(struct vcpu *vcpu, int reg, uint64_t val)
     * }
     * <p>{@code reg} is a {@code VM_REG_GUEST_*} value.
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_set_register(MemorySegment vcpu, int reg, long val) {
        return vm_set_register(lastErrnoState(), vcpu, reg, val);
    }

    /**
     * {@snippet lang=c :
     * int vm_set_register(struct vcpu *vcpu, int reg, uint64_t val)
     * }
     * <p>{@code reg} is a {@code VM_REG_GUEST_*} value.
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_set_register(MemorySegment errnoState, MemorySegment vcpu, int reg, long val) {
        MethodHandle mh$ = vm_set_register$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, vcpu, reg, val);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_get_register_set

    private static final FunctionDescriptor vm_get_register_set$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_POINTER, C_POINTER);

    private static final class vm_get_register_set$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_get_register_set", vm_get_register_set$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_get_register_set(struct vcpu *vcpu, unsigned int count, const int *regnums, uint64_t *regvals)
     * }
     */
    public static FunctionDescriptor vm_get_register_set$descriptor() {
        return vm_get_register_set$DESC;
    }

    /**
     * Downcall method handle for {@code vm_get_register_set}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_get_register_set$handle() {
        return vm_get_register_set$.HANDLE;
    }

    /**
     * Address of {@code vm_get_register_set} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_get_register_set$address() {
        return Lib.find("vm_get_register_set");
    }

    /**
     * {@snippet lang=c :
     * int vm_get_register_set(struct vcpu *vcpu, unsigned int count, const int *regnums, uint64_t *regvals)
     * }
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_get_register_set(MemorySegment vcpu, int count, MemorySegment regnums, MemorySegment regvals) {
        return vm_get_register_set(lastErrnoState(), vcpu, count, regnums, regvals);
    }

    /**
     * {@snippet lang=c :
     * int vm_get_register_set(struct vcpu *vcpu, unsigned int count, const int *regnums, uint64_t *regvals)
     * }
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_get_register_set(MemorySegment errnoState, MemorySegment vcpu, int count, MemorySegment regnums, MemorySegment regvals) {
        MethodHandle mh$ = vm_get_register_set$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, vcpu, count, regnums, regvals);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_set_register_set

    private static final FunctionDescriptor vm_set_register_set$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_POINTER, C_POINTER);

    private static final class vm_set_register_set$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_set_register_set", vm_set_register_set$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_set_register_set(struct vcpu *vcpu, unsigned int count, const int *regnums, uint64_t *regvals)
     * }
     */
    public static FunctionDescriptor vm_set_register_set$descriptor() {
        return vm_set_register_set$DESC;
    }

    /**
     * Downcall method handle for {@code vm_set_register_set}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_set_register_set$handle() {
        return vm_set_register_set$.HANDLE;
    }

    /**
     * Address of {@code vm_set_register_set} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_set_register_set$address() {
        return Lib.find("vm_set_register_set");
    }

    /**
     * {@snippet lang=c :
     * int vm_set_register_set(struct vcpu *vcpu, unsigned int count, const int *regnums, uint64_t *regvals)
     * }
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_set_register_set(MemorySegment vcpu, int count, MemorySegment regnums, MemorySegment regvals) {
        return vm_set_register_set(lastErrnoState(), vcpu, count, regnums, regvals);
    }

    /**
     * {@snippet lang=c :
     * int vm_set_register_set(struct vcpu *vcpu, unsigned int count, const int *regnums, uint64_t *regvals)
     * }
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_set_register_set(MemorySegment errnoState, MemorySegment vcpu, int count, MemorySegment regnums, MemorySegment regvals) {
        MethodHandle mh$ = vm_set_register_set$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, vcpu, count, regnums, regvals);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_get_desc

    private static final FunctionDescriptor vm_get_desc$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_POINTER, C_POINTER, C_POINTER);

    private static final class vm_get_desc$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_get_desc", vm_get_desc$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_get_desc(struct vcpu *vcpu, int reg, uint64_t *base, uint32_t *limit, uint32_t *access)
     * }
     */
    public static FunctionDescriptor vm_get_desc$descriptor() {
        return vm_get_desc$DESC;
    }

    /**
     * Downcall method handle for {@code vm_get_desc}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_get_desc$handle() {
        return vm_get_desc$.HANDLE;
    }

    /**
     * Address of {@code vm_get_desc} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_get_desc$address() {
        return Lib.find("vm_get_desc");
    }

    /**
     * {@snippet lang=c :
     * int vm_get_desc(struct vcpu *vcpu, int reg, uint64_t *base, uint32_t *limit, uint32_t *access)
     * }
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_get_desc(MemorySegment vcpu, int reg, MemorySegment base, MemorySegment limit, MemorySegment access) {
        return vm_get_desc(lastErrnoState(), vcpu, reg, base, limit, access);
    }

    /**
     * {@snippet lang=c :
     * int vm_get_desc(struct vcpu *vcpu, int reg, uint64_t *base, uint32_t *limit, uint32_t *access)
     * }
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_get_desc(MemorySegment errnoState, MemorySegment vcpu, int reg, MemorySegment base, MemorySegment limit, MemorySegment access) {
        MethodHandle mh$ = vm_get_desc$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, vcpu, reg, base, limit, access);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_set_desc

    private static final FunctionDescriptor vm_set_desc$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_LONG, C_INT, C_INT);

    private static final class vm_set_desc$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_set_desc", vm_set_desc$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_set_desc(struct vcpu *vcpu, int reg, uint64_t base, uint32_t limit, uint32_t access)
     * }
     */
    public static FunctionDescriptor vm_set_desc$descriptor() {
        return vm_set_desc$DESC;
    }

    /**
     * Downcall method handle for {@code vm_set_desc}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_set_desc$handle() {
        return vm_set_desc$.HANDLE;
    }

    /**
     * Address of {@code vm_set_desc} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_set_desc$address() {
        return Lib.find("vm_set_desc");
    }

    /**
     * {@snippet lang=c :
     * int vm_set_desc(struct vcpu *vcpu, int reg, uint64_t base, uint32_t limit, uint32_t access)
     * }
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_set_desc(MemorySegment vcpu, int reg, long base, int limit, int access) {
        return vm_set_desc(lastErrnoState(), vcpu, reg, base, limit, access);
    }

    /**
     * {@snippet lang=c :
     * int vm_set_desc(struct vcpu *vcpu, int reg, uint64_t base, uint32_t limit, uint32_t access)
     * }
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_set_desc(MemorySegment errnoState, MemorySegment vcpu, int reg, long base, int limit, int access) {
        MethodHandle mh$ = vm_set_desc$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, vcpu, reg, base, limit, access);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_inject_exception

    private static final FunctionDescriptor vm_inject_exception$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT, C_INT, C_INT);

    private static final class vm_inject_exception$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_inject_exception", vm_inject_exception$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_inject_exception(struct vcpu *vcpu, int vector, int errcode_valid, uint32_t errcode, int restart_instruction)
     * }
     */
    public static FunctionDescriptor vm_inject_exception$descriptor() {
        return vm_inject_exception$DESC;
    }

    /**
     * Downcall method handle for {@code vm_inject_exception}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_inject_exception$handle() {
        return vm_inject_exception$.HANDLE;
    }

    /**
     * Address of {@code vm_inject_exception} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_inject_exception$address() {
        return Lib.find("vm_inject_exception");
    }

    /**
     * {@snippet lang=c :
     * int vm_inject_exception(struct vcpu *vcpu, int vector, int errcode_valid, uint32_t errcode, int restart_instruction)
     * }
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_inject_exception(MemorySegment vcpu, int vector, int errcode_valid, int errcode, int restart_instruction) {
        return vm_inject_exception(lastErrnoState(), vcpu, vector, errcode_valid, errcode, restart_instruction);
    }

    /**
     * {@snippet lang=c :
     * int vm_inject_exception(struct vcpu *vcpu, int vector, int errcode_valid, uint32_t errcode, int restart_instruction)
     * }
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_inject_exception(MemorySegment errnoState, MemorySegment vcpu, int vector, int errcode_valid, int errcode, int restart_instruction) {
        MethodHandle mh$ = vm_inject_exception$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, vcpu, vector, errcode_valid, errcode, restart_instruction);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_inject_nmi

    private static final FunctionDescriptor vm_inject_nmi$DESC = FunctionDescriptor.of(C_INT, C_POINTER);

    private static final class vm_inject_nmi$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_inject_nmi", vm_inject_nmi$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_inject_nmi(struct vcpu *vcpu)
     * }
     */
    public static FunctionDescriptor vm_inject_nmi$descriptor() {
        return vm_inject_nmi$DESC;
    }

    /**
     * Downcall method handle for {@code vm_inject_nmi}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_inject_nmi$handle() {
        return vm_inject_nmi$.HANDLE;
    }

    /**
     * Address of {@code vm_inject_nmi} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_inject_nmi$address() {
        return Lib.find("vm_inject_nmi");
    }

    /**
     * {@snippet lang=c :
     * int vm_inject_nmi(struct vcpu *vcpu)
     * }
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_inject_nmi(MemorySegment vcpu) {
        return vm_inject_nmi(lastErrnoState(), vcpu);
    }

    /**
     * {@snippet lang=c :
     * int vm_inject_nmi(struct vcpu *vcpu)
     * }
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_inject_nmi(MemorySegment errnoState, MemorySegment vcpu) {
        MethodHandle mh$ = vm_inject_nmi$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, vcpu);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_lapic_irq

    private static final FunctionDescriptor vm_lapic_irq$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT);

    private static final class vm_lapic_irq$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_lapic_irq", vm_lapic_irq$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_lapic_irq(struct vcpu *vcpu, int vector)
     * }
     */
    public static FunctionDescriptor vm_lapic_irq$descriptor() {
        return vm_lapic_irq$DESC;
    }

    /**
     * Downcall method handle for {@code vm_lapic_irq}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_lapic_irq$handle() {
        return vm_lapic_irq$.HANDLE;
    }

    /**
     * Address of {@code vm_lapic_irq} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_lapic_irq$address() {
        return Lib.find("vm_lapic_irq");
    }

    /**
     * {@snippet lang=c :
     * int vm_lapic_irq(struct vcpu *vcpu, int vector)
     * }
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_lapic_irq(MemorySegment vcpu, int vector) {
        return vm_lapic_irq(lastErrnoState(), vcpu, vector);
    }

    /**
     * {@snippet lang=c :
     * int vm_lapic_irq(struct vcpu *vcpu, int vector)
     * }
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_lapic_irq(MemorySegment errnoState, MemorySegment vcpu, int vector) {
        MethodHandle mh$ = vm_lapic_irq$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, vcpu, vector);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_lapic_local_irq

    private static final FunctionDescriptor vm_lapic_local_irq$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT);

    private static final class vm_lapic_local_irq$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_lapic_local_irq", vm_lapic_local_irq$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_lapic_local_irq(struct vcpu *vcpu, int vector)
     * }
     */
    public static FunctionDescriptor vm_lapic_local_irq$descriptor() {
        return vm_lapic_local_irq$DESC;
    }

    /**
     * Downcall method handle for {@code vm_lapic_local_irq}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_lapic_local_irq$handle() {
        return vm_lapic_local_irq$.HANDLE;
    }

    /**
     * Address of {@code vm_lapic_local_irq} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_lapic_local_irq$address() {
        return Lib.find("vm_lapic_local_irq");
    }

    /**
     * {@snippet lang=c :
     * int vm_lapic_local_irq(struct vcpu *vcpu, int vector)
     * }
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_lapic_local_irq(MemorySegment vcpu, int vector) {
        return vm_lapic_local_irq(lastErrnoState(), vcpu, vector);
    }

    /**
     * {@snippet lang=c :
     * int vm_lapic_local_irq(struct vcpu *vcpu, int vector)
     * }
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_lapic_local_irq(MemorySegment errnoState, MemorySegment vcpu, int vector) {
        MethodHandle mh$ = vm_lapic_local_irq$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, vcpu, vector);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_lapic_msi

    private static final FunctionDescriptor vm_lapic_msi$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_LONG);

    private static final class vm_lapic_msi$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_lapic_msi", vm_lapic_msi$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_lapic_msi(struct vmctx *ctx, uint64_t addr, uint64_t msg)
     * }
     */
    public static FunctionDescriptor vm_lapic_msi$descriptor() {
        return vm_lapic_msi$DESC;
    }

    /**
     * Downcall method handle for {@code vm_lapic_msi}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_lapic_msi$handle() {
        return vm_lapic_msi$.HANDLE;
    }

    /**
     * Address of {@code vm_lapic_msi} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_lapic_msi$address() {
        return Lib.find("vm_lapic_msi");
    }

    /**
     * {@snippet lang=c :
     * int vm_lapic_msi(struct vmctx *ctx, uint64_t addr, uint64_t msg)
     * }
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_lapic_msi(MemorySegment ctx, long addr, long msg) {
        return vm_lapic_msi(lastErrnoState(), ctx, addr, msg);
    }

    /**
     * {@snippet lang=c :
     * int vm_lapic_msi(struct vmctx *ctx, uint64_t addr, uint64_t msg)
     * }
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_lapic_msi(MemorySegment errnoState, MemorySegment ctx, long addr, long msg) {
        MethodHandle mh$ = vm_lapic_msi$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, ctx, addr, msg);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_ioapic_assert_irq

    private static final FunctionDescriptor vm_ioapic_assert_irq$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT);

    private static final class vm_ioapic_assert_irq$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_ioapic_assert_irq", vm_ioapic_assert_irq$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_ioapic_assert_irq(struct vmctx *ctx, int irq)
     * }
     */
    public static FunctionDescriptor vm_ioapic_assert_irq$descriptor() {
        return vm_ioapic_assert_irq$DESC;
    }

    /**
     * Downcall method handle for {@code vm_ioapic_assert_irq}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_ioapic_assert_irq$handle() {
        return vm_ioapic_assert_irq$.HANDLE;
    }

    /**
     * Address of {@code vm_ioapic_assert_irq} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_ioapic_assert_irq$address() {
        return Lib.find("vm_ioapic_assert_irq");
    }

    /**
     * {@snippet lang=c :
     * int vm_ioapic_assert_irq(struct vmctx *ctx, int irq)
     * }
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_ioapic_assert_irq(MemorySegment ctx, int irq) {
        return vm_ioapic_assert_irq(lastErrnoState(), ctx, irq);
    }

    /**
     * {@snippet lang=c :
     * int vm_ioapic_assert_irq(struct vmctx *ctx, int irq)
     * }
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_ioapic_assert_irq(MemorySegment errnoState, MemorySegment ctx, int irq) {
        MethodHandle mh$ = vm_ioapic_assert_irq$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, ctx, irq);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_ioapic_deassert_irq

    private static final FunctionDescriptor vm_ioapic_deassert_irq$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT);

    private static final class vm_ioapic_deassert_irq$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_ioapic_deassert_irq", vm_ioapic_deassert_irq$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_ioapic_deassert_irq(struct vmctx *ctx, int irq)
     * }
     */
    public static FunctionDescriptor vm_ioapic_deassert_irq$descriptor() {
        return vm_ioapic_deassert_irq$DESC;
    }

    /**
     * Downcall method handle for {@code vm_ioapic_deassert_irq}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_ioapic_deassert_irq$handle() {
        return vm_ioapic_deassert_irq$.HANDLE;
    }

    /**
     * Address of {@code vm_ioapic_deassert_irq} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_ioapic_deassert_irq$address() {
        return Lib.find("vm_ioapic_deassert_irq");
    }

    /**
     * {@snippet lang=c :
     * int vm_ioapic_deassert_irq(struct vmctx *ctx, int irq)
     * }
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_ioapic_deassert_irq(MemorySegment ctx, int irq) {
        return vm_ioapic_deassert_irq(lastErrnoState(), ctx, irq);
    }

    /**
     * {@snippet lang=c :
     * int vm_ioapic_deassert_irq(struct vmctx *ctx, int irq)
     * }
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_ioapic_deassert_irq(MemorySegment errnoState, MemorySegment ctx, int irq) {
        MethodHandle mh$ = vm_ioapic_deassert_irq$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, ctx, irq);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_ioapic_pulse_irq

    private static final FunctionDescriptor vm_ioapic_pulse_irq$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT);

    private static final class vm_ioapic_pulse_irq$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_ioapic_pulse_irq", vm_ioapic_pulse_irq$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_ioapic_pulse_irq(struct vmctx *ctx, int irq)
     * }
     */
    public static FunctionDescriptor vm_ioapic_pulse_irq$descriptor() {
        return vm_ioapic_pulse_irq$DESC;
    }

    /**
     * Downcall method handle for {@code vm_ioapic_pulse_irq}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_ioapic_pulse_irq$handle() {
        return vm_ioapic_pulse_irq$.HANDLE;
    }

    /**
     * Address of {@code vm_ioapic_pulse_irq} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_ioapic_pulse_irq$address() {
        return Lib.find("vm_ioapic_pulse_irq");
    }

    /**
     * {@snippet lang=c :
     * int vm_ioapic_pulse_irq(struct vmctx *ctx, int irq)
     * }
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_ioapic_pulse_irq(MemorySegment ctx, int irq) {
        return vm_ioapic_pulse_irq(lastErrnoState(), ctx, irq);
    }

    /**
     * {@snippet lang=c :
     * int vm_ioapic_pulse_irq(struct vmctx *ctx, int irq)
     * }
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_ioapic_pulse_irq(MemorySegment errnoState, MemorySegment ctx, int irq) {
        MethodHandle mh$ = vm_ioapic_pulse_irq$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, ctx, irq);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_ioapic_pincount

    private static final FunctionDescriptor vm_ioapic_pincount$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER);

    private static final class vm_ioapic_pincount$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_ioapic_pincount", vm_ioapic_pincount$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_ioapic_pincount(struct vmctx *ctx, int *pincount)
     * }
     */
    public static FunctionDescriptor vm_ioapic_pincount$descriptor() {
        return vm_ioapic_pincount$DESC;
    }

    /**
     * Downcall method handle for {@code vm_ioapic_pincount}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_ioapic_pincount$handle() {
        return vm_ioapic_pincount$.HANDLE;
    }

    /**
     * Address of {@code vm_ioapic_pincount} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_ioapic_pincount$address() {
        return Lib.find("vm_ioapic_pincount");
    }

    /**
     * {@snippet lang=c :
     * int vm_ioapic_pincount(struct vmctx *ctx, int *pincount)
     * }
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_ioapic_pincount(MemorySegment ctx, MemorySegment pincount) {
        return vm_ioapic_pincount(lastErrnoState(), ctx, pincount);
    }

    /**
     * {@snippet lang=c :
     * int vm_ioapic_pincount(struct vmctx *ctx, int *pincount)
     * }
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_ioapic_pincount(MemorySegment errnoState, MemorySegment ctx, MemorySegment pincount) {
        MethodHandle mh$ = vm_ioapic_pincount$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, ctx, pincount);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_isa_assert_irq

    private static final FunctionDescriptor vm_isa_assert_irq$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT);

    private static final class vm_isa_assert_irq$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_isa_assert_irq", vm_isa_assert_irq$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_isa_assert_irq(struct vmctx *ctx, int atpic_irq, int ioapic_irq)
     * }
     */
    public static FunctionDescriptor vm_isa_assert_irq$descriptor() {
        return vm_isa_assert_irq$DESC;
    }

    /**
     * Downcall method handle for {@code vm_isa_assert_irq}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_isa_assert_irq$handle() {
        return vm_isa_assert_irq$.HANDLE;
    }

    /**
     * Address of {@code vm_isa_assert_irq} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_isa_assert_irq$address() {
        return Lib.find("vm_isa_assert_irq");
    }

    /**
     * {@snippet lang=c :
     * int vm_isa_assert_irq(struct vmctx *ctx, int atpic_irq, int ioapic_irq)
     * }
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_isa_assert_irq(MemorySegment ctx, int atpic_irq, int ioapic_irq) {
        return vm_isa_assert_irq(lastErrnoState(), ctx, atpic_irq, ioapic_irq);
    }

    /**
     * {@snippet lang=c :
     * int vm_isa_assert_irq(struct vmctx *ctx, int atpic_irq, int ioapic_irq)
     * }
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_isa_assert_irq(MemorySegment errnoState, MemorySegment ctx, int atpic_irq, int ioapic_irq) {
        MethodHandle mh$ = vm_isa_assert_irq$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, ctx, atpic_irq, ioapic_irq);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_isa_deassert_irq

    private static final FunctionDescriptor vm_isa_deassert_irq$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT);

    private static final class vm_isa_deassert_irq$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_isa_deassert_irq", vm_isa_deassert_irq$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_isa_deassert_irq(struct vmctx *ctx, int atpic_irq, int ioapic_irq)
     * }
     */
    public static FunctionDescriptor vm_isa_deassert_irq$descriptor() {
        return vm_isa_deassert_irq$DESC;
    }

    /**
     * Downcall method handle for {@code vm_isa_deassert_irq}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_isa_deassert_irq$handle() {
        return vm_isa_deassert_irq$.HANDLE;
    }

    /**
     * Address of {@code vm_isa_deassert_irq} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_isa_deassert_irq$address() {
        return Lib.find("vm_isa_deassert_irq");
    }

    /**
     * {@snippet lang=c :
     * int vm_isa_deassert_irq(struct vmctx *ctx, int atpic_irq, int ioapic_irq)
     * }
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_isa_deassert_irq(MemorySegment ctx, int atpic_irq, int ioapic_irq) {
        return vm_isa_deassert_irq(lastErrnoState(), ctx, atpic_irq, ioapic_irq);
    }

    /**
     * {@snippet lang=c :
     * int vm_isa_deassert_irq(struct vmctx *ctx, int atpic_irq, int ioapic_irq)
     * }
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_isa_deassert_irq(MemorySegment errnoState, MemorySegment ctx, int atpic_irq, int ioapic_irq) {
        MethodHandle mh$ = vm_isa_deassert_irq$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, ctx, atpic_irq, ioapic_irq);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_isa_pulse_irq

    private static final FunctionDescriptor vm_isa_pulse_irq$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT);

    private static final class vm_isa_pulse_irq$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_isa_pulse_irq", vm_isa_pulse_irq$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_isa_pulse_irq(struct vmctx *ctx, int atpic_irq, int ioapic_irq)
     * }
     */
    public static FunctionDescriptor vm_isa_pulse_irq$descriptor() {
        return vm_isa_pulse_irq$DESC;
    }

    /**
     * Downcall method handle for {@code vm_isa_pulse_irq}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_isa_pulse_irq$handle() {
        return vm_isa_pulse_irq$.HANDLE;
    }

    /**
     * Address of {@code vm_isa_pulse_irq} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_isa_pulse_irq$address() {
        return Lib.find("vm_isa_pulse_irq");
    }

    /**
     * {@snippet lang=c :
     * int vm_isa_pulse_irq(struct vmctx *ctx, int atpic_irq, int ioapic_irq)
     * }
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_isa_pulse_irq(MemorySegment ctx, int atpic_irq, int ioapic_irq) {
        return vm_isa_pulse_irq(lastErrnoState(), ctx, atpic_irq, ioapic_irq);
    }

    /**
     * {@snippet lang=c :
     * int vm_isa_pulse_irq(struct vmctx *ctx, int atpic_irq, int ioapic_irq)
     * }
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_isa_pulse_irq(MemorySegment errnoState, MemorySegment ctx, int atpic_irq, int ioapic_irq) {
        MethodHandle mh$ = vm_isa_pulse_irq$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, ctx, atpic_irq, ioapic_irq);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_get_intinfo

    private static final FunctionDescriptor vm_get_intinfo$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_POINTER);

    private static final class vm_get_intinfo$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_get_intinfo", vm_get_intinfo$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_get_intinfo(struct vcpu *vcpu, uint64_t *i1, uint64_t *i2)
     * }
     */
    public static FunctionDescriptor vm_get_intinfo$descriptor() {
        return vm_get_intinfo$DESC;
    }

    /**
     * Downcall method handle for {@code vm_get_intinfo}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_get_intinfo$handle() {
        return vm_get_intinfo$.HANDLE;
    }

    /**
     * Address of {@code vm_get_intinfo} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_get_intinfo$address() {
        return Lib.find("vm_get_intinfo");
    }

    /**
     * {@snippet lang=c :
     * int vm_get_intinfo(struct vcpu *vcpu, uint64_t *i1, uint64_t *i2)
     * }
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_get_intinfo(MemorySegment vcpu, MemorySegment i1, MemorySegment i2) {
        return vm_get_intinfo(lastErrnoState(), vcpu, i1, i2);
    }

    /**
     * {@snippet lang=c :
     * int vm_get_intinfo(struct vcpu *vcpu, uint64_t *i1, uint64_t *i2)
     * }
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_get_intinfo(MemorySegment errnoState, MemorySegment vcpu, MemorySegment i1, MemorySegment i2) {
        MethodHandle mh$ = vm_get_intinfo$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, vcpu, i1, i2);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_set_intinfo

    private static final FunctionDescriptor vm_set_intinfo$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_LONG);

    private static final class vm_set_intinfo$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_set_intinfo", vm_set_intinfo$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_set_intinfo(struct vcpu *vcpu, uint64_t exit_intinfo)
     * }
     */
    public static FunctionDescriptor vm_set_intinfo$descriptor() {
        return vm_set_intinfo$DESC;
    }

    /**
     * Downcall method handle for {@code vm_set_intinfo}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_set_intinfo$handle() {
        return vm_set_intinfo$.HANDLE;
    }

    /**
     * Address of {@code vm_set_intinfo} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_set_intinfo$address() {
        return Lib.find("vm_set_intinfo");
    }

    /**
     * {@snippet lang=c :
     * int vm_set_intinfo(struct vcpu *vcpu, uint64_t exit_intinfo)
     * }
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_set_intinfo(MemorySegment vcpu, long exit_intinfo) {
        return vm_set_intinfo(lastErrnoState(), vcpu, exit_intinfo);
    }

    /**
     * {@snippet lang=c :
     * int vm_set_intinfo(struct vcpu *vcpu, uint64_t exit_intinfo)
     * }
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_set_intinfo(MemorySegment errnoState, MemorySegment vcpu, long exit_intinfo) {
        MethodHandle mh$ = vm_set_intinfo$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, vcpu, exit_intinfo);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_suspend

    private static final FunctionDescriptor vm_suspend$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT);

    private static final class vm_suspend$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_suspend", vm_suspend$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_suspend(struct vmctx *ctx, enum vm_suspend_how how)
     * }
     */
    public static FunctionDescriptor vm_suspend$descriptor() {
        return vm_suspend$DESC;
    }

    /**
     * Downcall method handle for {@code vm_suspend}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_suspend$handle() {
        return vm_suspend$.HANDLE;
    }

    /**
     * Address of {@code vm_suspend} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_suspend$address() {
        return Lib.find("vm_suspend");
    }

    /**
     * {@snippet lang=c :
     * int vm_suspend(struct vmctx *ctx, enum vm_suspend_how how)
     * }
     * <p>{@code how} is a {@code VM_SUSPEND_*} value.
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_suspend(MemorySegment ctx, int how) {
        return vm_suspend(lastErrnoState(), ctx, how);
    }

    /**
     * {@snippet lang=c :
     * int vm_suspend(struct vmctx *ctx, enum vm_suspend_how how)
     * }
     * <p>{@code how} is a {@code VM_SUSPEND_*} value.
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_suspend(MemorySegment errnoState, MemorySegment ctx, int how) {
        MethodHandle mh$ = vm_suspend$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, ctx, how);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_activate_cpu

    private static final FunctionDescriptor vm_activate_cpu$DESC = FunctionDescriptor.of(C_INT, C_POINTER);

    private static final class vm_activate_cpu$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_activate_cpu", vm_activate_cpu$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_activate_cpu(struct vcpu *vcpu)
     * }
     */
    public static FunctionDescriptor vm_activate_cpu$descriptor() {
        return vm_activate_cpu$DESC;
    }

    /**
     * Downcall method handle for {@code vm_activate_cpu}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_activate_cpu$handle() {
        return vm_activate_cpu$.HANDLE;
    }

    /**
     * Address of {@code vm_activate_cpu} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_activate_cpu$address() {
        return Lib.find("vm_activate_cpu");
    }

    /**
     * {@snippet lang=c :
     * int vm_activate_cpu(struct vcpu *vcpu)
     * }
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_activate_cpu(MemorySegment vcpu) {
        return vm_activate_cpu(lastErrnoState(), vcpu);
    }

    /**
     * {@snippet lang=c :
     * int vm_activate_cpu(struct vcpu *vcpu)
     * }
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_activate_cpu(MemorySegment errnoState, MemorySegment vcpu) {
        MethodHandle mh$ = vm_activate_cpu$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, vcpu);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_suspend_cpu

    private static final FunctionDescriptor vm_suspend_cpu$DESC = FunctionDescriptor.of(C_INT, C_POINTER);

    private static final class vm_suspend_cpu$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_suspend_cpu", vm_suspend_cpu$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_suspend_cpu(struct vcpu *vcpu)
     * }
     */
    public static FunctionDescriptor vm_suspend_cpu$descriptor() {
        return vm_suspend_cpu$DESC;
    }

    /**
     * Downcall method handle for {@code vm_suspend_cpu}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_suspend_cpu$handle() {
        return vm_suspend_cpu$.HANDLE;
    }

    /**
     * Address of {@code vm_suspend_cpu} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_suspend_cpu$address() {
        return Lib.find("vm_suspend_cpu");
    }

    /**
     * {@snippet lang=c :
     * int vm_suspend_cpu(struct vcpu *vcpu)
     * }
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_suspend_cpu(MemorySegment vcpu) {
        return vm_suspend_cpu(lastErrnoState(), vcpu);
    }

    /**
     * {@snippet lang=c :
     * int vm_suspend_cpu(struct vcpu *vcpu)
     * }
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_suspend_cpu(MemorySegment errnoState, MemorySegment vcpu) {
        MethodHandle mh$ = vm_suspend_cpu$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, vcpu);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_resume_cpu

    private static final FunctionDescriptor vm_resume_cpu$DESC = FunctionDescriptor.of(C_INT, C_POINTER);

    private static final class vm_resume_cpu$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_resume_cpu", vm_resume_cpu$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_resume_cpu(struct vcpu *vcpu)
     * }
     */
    public static FunctionDescriptor vm_resume_cpu$descriptor() {
        return vm_resume_cpu$DESC;
    }

    /**
     * Downcall method handle for {@code vm_resume_cpu}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_resume_cpu$handle() {
        return vm_resume_cpu$.HANDLE;
    }

    /**
     * Address of {@code vm_resume_cpu} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_resume_cpu$address() {
        return Lib.find("vm_resume_cpu");
    }

    /**
     * {@snippet lang=c :
     * int vm_resume_cpu(struct vcpu *vcpu)
     * }
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_resume_cpu(MemorySegment vcpu) {
        return vm_resume_cpu(lastErrnoState(), vcpu);
    }

    /**
     * {@snippet lang=c :
     * int vm_resume_cpu(struct vcpu *vcpu)
     * }
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_resume_cpu(MemorySegment errnoState, MemorySegment vcpu) {
        MethodHandle mh$ = vm_resume_cpu$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, vcpu);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_suspend_all_cpus

    private static final FunctionDescriptor vm_suspend_all_cpus$DESC = FunctionDescriptor.of(C_INT, C_POINTER);

    private static final class vm_suspend_all_cpus$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_suspend_all_cpus", vm_suspend_all_cpus$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_suspend_all_cpus(struct vmctx *ctx)
     * }
     */
    public static FunctionDescriptor vm_suspend_all_cpus$descriptor() {
        return vm_suspend_all_cpus$DESC;
    }

    /**
     * Downcall method handle for {@code vm_suspend_all_cpus}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_suspend_all_cpus$handle() {
        return vm_suspend_all_cpus$.HANDLE;
    }

    /**
     * Address of {@code vm_suspend_all_cpus} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_suspend_all_cpus$address() {
        return Lib.find("vm_suspend_all_cpus");
    }

    /**
     * {@snippet lang=c :
     * int vm_suspend_all_cpus(struct vmctx *ctx)
     * }
     * <p>{@code VM_SUSPEND_CPU} with vcpuid -1.
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_suspend_all_cpus(MemorySegment ctx) {
        return vm_suspend_all_cpus(lastErrnoState(), ctx);
    }

    /**
     * {@snippet lang=c :
     * int vm_suspend_all_cpus(struct vmctx *ctx)
     * }
     * <p>{@code VM_SUSPEND_CPU} with vcpuid -1.
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_suspend_all_cpus(MemorySegment errnoState, MemorySegment ctx) {
        MethodHandle mh$ = vm_suspend_all_cpus$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, ctx);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_resume_all_cpus

    private static final FunctionDescriptor vm_resume_all_cpus$DESC = FunctionDescriptor.of(C_INT, C_POINTER);

    private static final class vm_resume_all_cpus$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_resume_all_cpus", vm_resume_all_cpus$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_resume_all_cpus(struct vmctx *ctx)
     * }
     */
    public static FunctionDescriptor vm_resume_all_cpus$descriptor() {
        return vm_resume_all_cpus$DESC;
    }

    /**
     * Downcall method handle for {@code vm_resume_all_cpus}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_resume_all_cpus$handle() {
        return vm_resume_all_cpus$.HANDLE;
    }

    /**
     * Address of {@code vm_resume_all_cpus} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_resume_all_cpus$address() {
        return Lib.find("vm_resume_all_cpus");
    }

    /**
     * {@snippet lang=c :
     * int vm_resume_all_cpus(struct vmctx *ctx)
     * }
     * <p>{@code VM_RESUME_CPU} with vcpuid -1.
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_resume_all_cpus(MemorySegment ctx) {
        return vm_resume_all_cpus(lastErrnoState(), ctx);
    }

    /**
     * {@snippet lang=c :
     * int vm_resume_all_cpus(struct vmctx *ctx)
     * }
     * <p>{@code VM_RESUME_CPU} with vcpuid -1.
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_resume_all_cpus(MemorySegment errnoState, MemorySegment ctx) {
        MethodHandle mh$ = vm_resume_all_cpus$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, ctx);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_restart_instruction

    private static final FunctionDescriptor vm_restart_instruction$DESC = FunctionDescriptor.of(C_INT, C_POINTER);

    private static final class vm_restart_instruction$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_restart_instruction", vm_restart_instruction$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_restart_instruction(struct vcpu *vcpu)
     * }
     */
    public static FunctionDescriptor vm_restart_instruction$descriptor() {
        return vm_restart_instruction$DESC;
    }

    /**
     * Downcall method handle for {@code vm_restart_instruction}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_restart_instruction$handle() {
        return vm_restart_instruction$.HANDLE;
    }

    /**
     * Address of {@code vm_restart_instruction} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_restart_instruction$address() {
        return Lib.find("vm_restart_instruction");
    }

    /**
     * {@snippet lang=c :
     * int vm_restart_instruction(struct vcpu *vcpu)
     * }
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_restart_instruction(MemorySegment vcpu) {
        return vm_restart_instruction(lastErrnoState(), vcpu);
    }

    /**
     * {@snippet lang=c :
     * int vm_restart_instruction(struct vcpu *vcpu)
     * }
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_restart_instruction(MemorySegment errnoState, MemorySegment vcpu) {
        MethodHandle mh$ = vm_restart_instruction$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, vcpu);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_active_cpus

    private static final FunctionDescriptor vm_active_cpus$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER);

    private static final class vm_active_cpus$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_active_cpus", vm_active_cpus$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_active_cpus(struct vmctx *ctx, cpuset_t *cpus)
     * }
     */
    public static FunctionDescriptor vm_active_cpus$descriptor() {
        return vm_active_cpus$DESC;
    }

    /**
     * Downcall method handle for {@code vm_active_cpus}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_active_cpus$handle() {
        return vm_active_cpus$.HANDLE;
    }

    /**
     * Address of {@code vm_active_cpus} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_active_cpus$address() {
        return Lib.find("vm_active_cpus");
    }

    /**
     * {@snippet lang=c :
     * int vm_active_cpus(struct vmctx *ctx, cpuset_t *cpus)
     * }
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_active_cpus(MemorySegment ctx, MemorySegment cpus) {
        return vm_active_cpus(lastErrnoState(), ctx, cpus);
    }

    /**
     * {@snippet lang=c :
     * int vm_active_cpus(struct vmctx *ctx, cpuset_t *cpus)
     * }
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_active_cpus(MemorySegment errnoState, MemorySegment ctx, MemorySegment cpus) {
        MethodHandle mh$ = vm_active_cpus$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, ctx, cpus);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_suspended_cpus

    private static final FunctionDescriptor vm_suspended_cpus$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER);

    private static final class vm_suspended_cpus$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_suspended_cpus", vm_suspended_cpus$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_suspended_cpus(struct vmctx *ctx, cpuset_t *cpus)
     * }
     */
    public static FunctionDescriptor vm_suspended_cpus$descriptor() {
        return vm_suspended_cpus$DESC;
    }

    /**
     * Downcall method handle for {@code vm_suspended_cpus}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_suspended_cpus$handle() {
        return vm_suspended_cpus$.HANDLE;
    }

    /**
     * Address of {@code vm_suspended_cpus} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_suspended_cpus$address() {
        return Lib.find("vm_suspended_cpus");
    }

    /**
     * {@snippet lang=c :
     * int vm_suspended_cpus(struct vmctx *ctx, cpuset_t *cpus)
     * }
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_suspended_cpus(MemorySegment ctx, MemorySegment cpus) {
        return vm_suspended_cpus(lastErrnoState(), ctx, cpus);
    }

    /**
     * {@snippet lang=c :
     * int vm_suspended_cpus(struct vmctx *ctx, cpuset_t *cpus)
     * }
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_suspended_cpus(MemorySegment errnoState, MemorySegment ctx, MemorySegment cpus) {
        MethodHandle mh$ = vm_suspended_cpus$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, ctx, cpus);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_debug_cpus

    private static final FunctionDescriptor vm_debug_cpus$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER);

    private static final class vm_debug_cpus$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_debug_cpus", vm_debug_cpus$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_debug_cpus(struct vmctx *ctx, cpuset_t *cpus)
     * }
     */
    public static FunctionDescriptor vm_debug_cpus$descriptor() {
        return vm_debug_cpus$DESC;
    }

    /**
     * Downcall method handle for {@code vm_debug_cpus}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_debug_cpus$handle() {
        return vm_debug_cpus$.HANDLE;
    }

    /**
     * Address of {@code vm_debug_cpus} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_debug_cpus$address() {
        return Lib.find("vm_debug_cpus");
    }

    /**
     * {@snippet lang=c :
     * int vm_debug_cpus(struct vmctx *ctx, cpuset_t *cpus)
     * }
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_debug_cpus(MemorySegment ctx, MemorySegment cpus) {
        return vm_debug_cpus(lastErrnoState(), ctx, cpus);
    }

    /**
     * {@snippet lang=c :
     * int vm_debug_cpus(struct vmctx *ctx, cpuset_t *cpus)
     * }
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_debug_cpus(MemorySegment errnoState, MemorySegment ctx, MemorySegment cpus) {
        MethodHandle mh$ = vm_debug_cpus$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, ctx, cpus);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_set_topology

    private static final FunctionDescriptor vm_set_topology$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_SHORT, C_SHORT, C_SHORT, C_SHORT);

    private static final class vm_set_topology$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_set_topology", vm_set_topology$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_set_topology(struct vmctx *ctx, uint16_t sockets, uint16_t cores, uint16_t threads, uint16_t maxcpus)
     * }
     */
    public static FunctionDescriptor vm_set_topology$descriptor() {
        return vm_set_topology$DESC;
    }

    /**
     * Downcall method handle for {@code vm_set_topology}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_set_topology$handle() {
        return vm_set_topology$.HANDLE;
    }

    /**
     * Address of {@code vm_set_topology} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_set_topology$address() {
        return Lib.find("vm_set_topology");
    }

    /**
     * {@snippet lang=c :
     * int vm_set_topology(struct vmctx *ctx, uint16_t sockets, uint16_t cores, uint16_t threads, uint16_t maxcpus)
     * }
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_set_topology(MemorySegment ctx, short sockets, short cores, short threads, short maxcpus) {
        return vm_set_topology(lastErrnoState(), ctx, sockets, cores, threads, maxcpus);
    }

    /**
     * {@snippet lang=c :
     * int vm_set_topology(struct vmctx *ctx, uint16_t sockets, uint16_t cores, uint16_t threads, uint16_t maxcpus)
     * }
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_set_topology(MemorySegment errnoState, MemorySegment ctx, short sockets, short cores, short threads, short maxcpus) {
        MethodHandle mh$ = vm_set_topology$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, ctx, sockets, cores, threads, maxcpus);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_get_topology

    private static final FunctionDescriptor vm_get_topology$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_POINTER, C_POINTER, C_POINTER);

    private static final class vm_get_topology$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_get_topology", vm_get_topology$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_get_topology(struct vmctx *ctx, uint16_t *sockets, uint16_t *cores, uint16_t *threads, uint16_t *maxcpus)
     * }
     */
    public static FunctionDescriptor vm_get_topology$descriptor() {
        return vm_get_topology$DESC;
    }

    /**
     * Downcall method handle for {@code vm_get_topology}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_get_topology$handle() {
        return vm_get_topology$.HANDLE;
    }

    /**
     * Address of {@code vm_get_topology} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_get_topology$address() {
        return Lib.find("vm_get_topology");
    }

    /**
     * {@snippet lang=c :
     * int vm_get_topology(struct vmctx *ctx, uint16_t *sockets, uint16_t *cores, uint16_t *threads, uint16_t *maxcpus)
     * }
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_get_topology(MemorySegment ctx, MemorySegment sockets, MemorySegment cores, MemorySegment threads, MemorySegment maxcpus) {
        return vm_get_topology(lastErrnoState(), ctx, sockets, cores, threads, maxcpus);
    }

    /**
     * {@snippet lang=c :
     * int vm_get_topology(struct vmctx *ctx, uint16_t *sockets, uint16_t *cores, uint16_t *threads, uint16_t *maxcpus)
     * }
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_get_topology(MemorySegment errnoState, MemorySegment ctx, MemorySegment sockets, MemorySegment cores, MemorySegment threads, MemorySegment maxcpus) {
        MethodHandle mh$ = vm_get_topology$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, ctx, sockets, cores, threads, maxcpus);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_get_capability

    private static final FunctionDescriptor vm_get_capability$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_POINTER);

    private static final class vm_get_capability$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_get_capability", vm_get_capability$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_get_capability(struct vcpu *vcpu, enum vm_cap_type cap, int *retval)
     * }
     */
    public static FunctionDescriptor vm_get_capability$descriptor() {
        return vm_get_capability$DESC;
    }

    /**
     * Downcall method handle for {@code vm_get_capability}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_get_capability$handle() {
        return vm_get_capability$.HANDLE;
    }

    /**
     * Address of {@code vm_get_capability} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_get_capability$address() {
        return Lib.find("vm_get_capability");
    }

    /**
     * {@snippet lang=c :
     * int vm_get_capability(struct vcpu *vcpu, enum vm_cap_type cap, int *retval)
     * }
     * <p>{@code cap} is a {@code VM_CAP_*} value.
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_get_capability(MemorySegment vcpu, int cap, MemorySegment retval) {
        return vm_get_capability(lastErrnoState(), vcpu, cap, retval);
    }

    /**
     * {@snippet lang=c :
     * int vm_get_capability(struct vcpu *vcpu, enum vm_cap_type cap, int *retval)
     * }
     * <p>{@code cap} is a {@code VM_CAP_*} value.
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_get_capability(MemorySegment errnoState, MemorySegment vcpu, int cap, MemorySegment retval) {
        MethodHandle mh$ = vm_get_capability$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, vcpu, cap, retval);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_set_capability

    private static final FunctionDescriptor vm_set_capability$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT);

    private static final class vm_set_capability$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_set_capability", vm_set_capability$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_set_capability(struct vcpu *vcpu, enum vm_cap_type cap, int val)
     * }
     */
    public static FunctionDescriptor vm_set_capability$descriptor() {
        return vm_set_capability$DESC;
    }

    /**
     * Downcall method handle for {@code vm_set_capability}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_set_capability$handle() {
        return vm_set_capability$.HANDLE;
    }

    /**
     * Address of {@code vm_set_capability} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_set_capability$address() {
        return Lib.find("vm_set_capability");
    }

    /**
     * {@snippet lang=c :
     * int vm_set_capability(struct vcpu *vcpu, enum vm_cap_type cap, int val)
     * }
     * <p>{@code cap} is a {@code VM_CAP_*} value.
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_set_capability(MemorySegment vcpu, int cap, int val) {
        return vm_set_capability(lastErrnoState(), vcpu, cap, val);
    }

    /**
     * {@snippet lang=c :
     * int vm_set_capability(struct vcpu *vcpu, enum vm_cap_type cap, int val)
     * }
     * <p>{@code cap} is a {@code VM_CAP_*} value.
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_set_capability(MemorySegment errnoState, MemorySegment vcpu, int cap, int val) {
        MethodHandle mh$ = vm_set_capability$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, vcpu, cap, val);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_get_x2apic_state

    private static final FunctionDescriptor vm_get_x2apic_state$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER);

    private static final class vm_get_x2apic_state$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_get_x2apic_state", vm_get_x2apic_state$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_get_x2apic_state(struct vcpu *vcpu, enum x2apic_state *s)
     * }
     */
    public static FunctionDescriptor vm_get_x2apic_state$descriptor() {
        return vm_get_x2apic_state$DESC;
    }

    /**
     * Downcall method handle for {@code vm_get_x2apic_state}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_get_x2apic_state$handle() {
        return vm_get_x2apic_state$.HANDLE;
    }

    /**
     * Address of {@code vm_get_x2apic_state} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_get_x2apic_state$address() {
        return Lib.find("vm_get_x2apic_state");
    }

    /**
     * {@snippet lang=c :
     * int vm_get_x2apic_state(struct vcpu *vcpu, enum x2apic_state *s)
     * }
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_get_x2apic_state(MemorySegment vcpu, MemorySegment s) {
        return vm_get_x2apic_state(lastErrnoState(), vcpu, s);
    }

    /**
     * {@snippet lang=c :
     * int vm_get_x2apic_state(struct vcpu *vcpu, enum x2apic_state *s)
     * }
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_get_x2apic_state(MemorySegment errnoState, MemorySegment vcpu, MemorySegment s) {
        MethodHandle mh$ = vm_get_x2apic_state$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, vcpu, s);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_set_x2apic_state

    private static final FunctionDescriptor vm_set_x2apic_state$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT);

    private static final class vm_set_x2apic_state$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_set_x2apic_state", vm_set_x2apic_state$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_set_x2apic_state(struct vcpu *vcpu, enum x2apic_state s)
     * }
     */
    public static FunctionDescriptor vm_set_x2apic_state$descriptor() {
        return vm_set_x2apic_state$DESC;
    }

    /**
     * Downcall method handle for {@code vm_set_x2apic_state}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_set_x2apic_state$handle() {
        return vm_set_x2apic_state$.HANDLE;
    }

    /**
     * Address of {@code vm_set_x2apic_state} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_set_x2apic_state$address() {
        return Lib.find("vm_set_x2apic_state");
    }

    /**
     * {@snippet lang=c :
     * int vm_set_x2apic_state(struct vcpu *vcpu, enum x2apic_state s)
     * }
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_set_x2apic_state(MemorySegment vcpu, int s) {
        return vm_set_x2apic_state(lastErrnoState(), vcpu, s);
    }

    /**
     * {@snippet lang=c :
     * int vm_set_x2apic_state(struct vcpu *vcpu, enum x2apic_state s)
     * }
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_set_x2apic_state(MemorySegment errnoState, MemorySegment vcpu, int s) {
        MethodHandle mh$ = vm_set_x2apic_state$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, vcpu, s);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_rtc_read

    private static final FunctionDescriptor vm_rtc_read$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_POINTER);

    private static final class vm_rtc_read$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_rtc_read", vm_rtc_read$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_rtc_read(struct vmctx *ctx, int offset, uint8_t *retval)
     * }
     */
    public static FunctionDescriptor vm_rtc_read$descriptor() {
        return vm_rtc_read$DESC;
    }

    /**
     * Downcall method handle for {@code vm_rtc_read}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_rtc_read$handle() {
        return vm_rtc_read$.HANDLE;
    }

    /**
     * Address of {@code vm_rtc_read} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_rtc_read$address() {
        return Lib.find("vm_rtc_read");
    }

    /**
     * {@snippet lang=c :
     * int vm_rtc_read(struct vmctx *ctx, int offset, uint8_t *retval)
     * }
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_rtc_read(MemorySegment ctx, int offset, MemorySegment retval) {
        return vm_rtc_read(lastErrnoState(), ctx, offset, retval);
    }

    /**
     * {@snippet lang=c :
     * int vm_rtc_read(struct vmctx *ctx, int offset, uint8_t *retval)
     * }
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_rtc_read(MemorySegment errnoState, MemorySegment ctx, int offset, MemorySegment retval) {
        MethodHandle mh$ = vm_rtc_read$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, ctx, offset, retval);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_rtc_write

    private static final FunctionDescriptor vm_rtc_write$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_CHAR);

    private static final class vm_rtc_write$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_rtc_write", vm_rtc_write$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_rtc_write(struct vmctx *ctx, int offset, uint8_t value)
     * }
     */
    public static FunctionDescriptor vm_rtc_write$descriptor() {
        return vm_rtc_write$DESC;
    }

    /**
     * Downcall method handle for {@code vm_rtc_write}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_rtc_write$handle() {
        return vm_rtc_write$.HANDLE;
    }

    /**
     * Address of {@code vm_rtc_write} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_rtc_write$address() {
        return Lib.find("vm_rtc_write");
    }

    /**
     * {@snippet lang=c :
     * int vm_rtc_write(struct vmctx *ctx, int offset, uint8_t value)
     * }
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_rtc_write(MemorySegment ctx, int offset, byte value) {
        return vm_rtc_write(lastErrnoState(), ctx, offset, value);
    }

    /**
     * {@snippet lang=c :
     * int vm_rtc_write(struct vmctx *ctx, int offset, uint8_t value)
     * }
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_rtc_write(MemorySegment errnoState, MemorySegment ctx, int offset, byte value) {
        MethodHandle mh$ = vm_rtc_write$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, ctx, offset, value);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_rtc_settime

    private static final FunctionDescriptor vm_rtc_settime$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_LONG);

    private static final class vm_rtc_settime$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_rtc_settime", vm_rtc_settime$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_rtc_settime(struct vmctx *ctx, time_t secs)
     * }
     */
    public static FunctionDescriptor vm_rtc_settime$descriptor() {
        return vm_rtc_settime$DESC;
    }

    /**
     * Downcall method handle for {@code vm_rtc_settime}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_rtc_settime$handle() {
        return vm_rtc_settime$.HANDLE;
    }

    /**
     * Address of {@code vm_rtc_settime} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_rtc_settime$address() {
        return Lib.find("vm_rtc_settime");
    }

    /**
     * {@snippet lang=c :
     * int vm_rtc_settime(struct vmctx *ctx, time_t secs)
     * }
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_rtc_settime(MemorySegment ctx, long secs) {
        return vm_rtc_settime(lastErrnoState(), ctx, secs);
    }

    /**
     * {@snippet lang=c :
     * int vm_rtc_settime(struct vmctx *ctx, time_t secs)
     * }
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_rtc_settime(MemorySegment errnoState, MemorySegment ctx, long secs) {
        MethodHandle mh$ = vm_rtc_settime$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, ctx, secs);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_rtc_gettime

    private static final FunctionDescriptor vm_rtc_gettime$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER);

    private static final class vm_rtc_gettime$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_rtc_gettime", vm_rtc_gettime$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_rtc_gettime(struct vmctx *ctx, time_t *secs)
     * }
     */
    public static FunctionDescriptor vm_rtc_gettime$descriptor() {
        return vm_rtc_gettime$DESC;
    }

    /**
     * Downcall method handle for {@code vm_rtc_gettime}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_rtc_gettime$handle() {
        return vm_rtc_gettime$.HANDLE;
    }

    /**
     * Address of {@code vm_rtc_gettime} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_rtc_gettime$address() {
        return Lib.find("vm_rtc_gettime");
    }

    /**
     * {@snippet lang=c :
     * int vm_rtc_gettime(struct vmctx *ctx, time_t *secs)
     * }
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_rtc_gettime(MemorySegment ctx, MemorySegment secs) {
        return vm_rtc_gettime(lastErrnoState(), ctx, secs);
    }

    /**
     * {@snippet lang=c :
     * int vm_rtc_gettime(struct vmctx *ctx, time_t *secs)
     * }
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_rtc_gettime(MemorySegment errnoState, MemorySegment ctx, MemorySegment secs) {
        MethodHandle mh$ = vm_rtc_gettime$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, ctx, secs);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vcpu_reset

    private static final FunctionDescriptor vcpu_reset$DESC = FunctionDescriptor.of(C_INT, C_POINTER);

    private static final class vcpu_reset$ {
        static final MethodHandle HANDLE = Lib.downcall("vcpu_reset", vcpu_reset$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vcpu_reset(struct vcpu *vcpu)
     * }
     */
    public static FunctionDescriptor vcpu_reset$descriptor() {
        return vcpu_reset$DESC;
    }

    /**
     * Downcall method handle for {@code vcpu_reset}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vcpu_reset$handle() {
        return vcpu_reset$.HANDLE;
    }

    /**
     * Address of {@code vcpu_reset} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vcpu_reset$address() {
        return Lib.find("vcpu_reset");
    }

    /**
     * {@snippet lang=c :
     * int vcpu_reset(struct vcpu *vcpu)
     * }
     * <p>Puts the vCPU in its power-on (real mode reset vector) state.
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vcpu_reset(MemorySegment vcpu) {
        return vcpu_reset(lastErrnoState(), vcpu);
    }

    /**
     * {@snippet lang=c :
     * int vcpu_reset(struct vcpu *vcpu)
     * }
     * <p>Puts the vCPU in its power-on (real mode reset vector) state.
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vcpu_reset(MemorySegment errnoState, MemorySegment vcpu) {
        MethodHandle mh$ = vcpu_reset$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, vcpu);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_setup_freebsd_registers

    private static final FunctionDescriptor vm_setup_freebsd_registers$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_LONG, C_LONG, C_LONG);

    private static final class vm_setup_freebsd_registers$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_setup_freebsd_registers", vm_setup_freebsd_registers$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_setup_freebsd_registers(struct vcpu *vcpu, uint64_t rip, uint64_t cr3, uint64_t gdtbase, uint64_t rsp)
     * }
     */
    public static FunctionDescriptor vm_setup_freebsd_registers$descriptor() {
        return vm_setup_freebsd_registers$DESC;
    }

    /**
     * Downcall method handle for {@code vm_setup_freebsd_registers}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_setup_freebsd_registers$handle() {
        return vm_setup_freebsd_registers$.HANDLE;
    }

    /**
     * Address of {@code vm_setup_freebsd_registers} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_setup_freebsd_registers$address() {
        return Lib.find("vm_setup_freebsd_registers");
    }

    /**
     * {@snippet lang=c :
     * int vm_setup_freebsd_registers(struct vcpu *vcpu, uint64_t rip, uint64_t cr3, uint64_t gdtbase, uint64_t rsp)
     * }
     * <p>Puts the vCPU in 64-bit long mode at {@code rip} (what bhyveload does).
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_setup_freebsd_registers(MemorySegment vcpu, long rip, long cr3, long gdtbase, long rsp) {
        return vm_setup_freebsd_registers(lastErrnoState(), vcpu, rip, cr3, gdtbase, rsp);
    }

    /**
     * {@snippet lang=c :
     * int vm_setup_freebsd_registers(struct vcpu *vcpu, uint64_t rip, uint64_t cr3, uint64_t gdtbase, uint64_t rsp)
     * }
     * <p>Puts the vCPU in 64-bit long mode at {@code rip} (what bhyveload does).
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_setup_freebsd_registers(MemorySegment errnoState, MemorySegment vcpu, long rip, long cr3, long gdtbase, long rsp) {
        MethodHandle mh$ = vm_setup_freebsd_registers$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, vcpu, rip, cr3, gdtbase, rsp);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_snapshot_req

    private static final FunctionDescriptor vm_snapshot_req$DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER);

    private static final class vm_snapshot_req$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_snapshot_req", vm_snapshot_req$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_snapshot_req(struct vmctx *ctx, struct vm_snapshot_meta *meta)
     * }
     */
    public static FunctionDescriptor vm_snapshot_req$descriptor() {
        return vm_snapshot_req$DESC;
    }

    /**
     * Downcall method handle for {@code vm_snapshot_req}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_snapshot_req$handle() {
        return vm_snapshot_req$.HANDLE;
    }

    /**
     * Address of {@code vm_snapshot_req} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_snapshot_req$address() {
        return Lib.find("vm_snapshot_req");
    }

    /**
     * {@snippet lang=c :
     * int vm_snapshot_req(struct vmctx *ctx, struct vm_snapshot_meta *meta)
     * }
     * <p>{@code ioctl(VM_SNAPSHOT_REQ, meta)}; ENOTTY unless the kernel has {@code options BHYVE_SNAPSHOT}.
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_snapshot_req(MemorySegment ctx, MemorySegment meta) {
        return vm_snapshot_req(lastErrnoState(), ctx, meta);
    }

    /**
     * {@snippet lang=c :
     * int vm_snapshot_req(struct vmctx *ctx, struct vm_snapshot_meta *meta)
     * }
     * <p>{@code ioctl(VM_SNAPSHOT_REQ, meta)}; ENOTTY unless the kernel has {@code options BHYVE_SNAPSHOT}.
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_snapshot_req(MemorySegment errnoState, MemorySegment ctx, MemorySegment meta) {
        MethodHandle mh$ = vm_snapshot_req$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, ctx, meta);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // ---- vm_restore_time

    private static final FunctionDescriptor vm_restore_time$DESC = FunctionDescriptor.of(C_INT, C_POINTER);

    private static final class vm_restore_time$ {
        static final MethodHandle HANDLE = Lib.downcall("vm_restore_time", vm_restore_time$DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int vm_restore_time(struct vmctx *ctx)
     * }
     */
    public static FunctionDescriptor vm_restore_time$descriptor() {
        return vm_restore_time$DESC;
    }

    /**
     * Downcall method handle for {@code vm_restore_time}, taking the errno capture segment first
     * ({@link #errnoState()}). Resolving it loads libvmmapi; where that is impossible the
     * handle throws {@link UnsupportedOperationException} when invoked.
     */
    public static MethodHandle vm_restore_time$handle() {
        return vm_restore_time$.HANDLE;
    }

    /**
     * Address of {@code vm_restore_time} in libvmmapi.
     *
     * @throws UnsupportedOperationException if libvmmapi or the symbol is unavailable
     */
    public static MemorySegment vm_restore_time$address() {
        return Lib.find("vm_restore_time");
    }

    /**
     * {@snippet lang=c :
     * int vm_restore_time(struct vmctx *ctx)
     * }
     * <p>{@code ioctl(VM_RESTORE_TIME)} after a restore.
     * <p>errno is captured per thread: read it with {@link #errno()} right after the call.
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_restore_time(MemorySegment ctx) {
        return vm_restore_time(lastErrnoState(), ctx);
    }

    /**
     * {@snippet lang=c :
     * int vm_restore_time(struct vmctx *ctx)
     * }
     * <p>{@code ioctl(VM_RESTORE_TIME)} after a restore.
     * <p>{@code errnoState} receives errno (allocate it with {@link #allocateErrnoState}).
     *
     * @throws UnsupportedOperationException if libvmmapi is unavailable (it exists only on FreeBSD)
     */
    public static int vm_restore_time(MemorySegment errnoState, MemorySegment ctx) {
        MethodHandle mh$ = vm_restore_time$.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, ctx);
        } catch (RuntimeException | Error ex$) {
            throw ex$;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
}
