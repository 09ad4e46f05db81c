package org.jbhyve.bindings.linux;

import org.jbhyve.bindings.libc.Errno;
import org.jbhyve.bindings.libc.libc_h;
import org.jbhyve.bindings.libc.pollfd;
import org.jbhyve.bindings.libc.timespec;
import org.jbhyve.bindings.linux.kvm.kvm_h;
import org.jbhyve.bindings.linux.kvm.kvm_para_h;
import org.jbhyve.bindings.linux.socket.socket_h;
import org.jbhyve.bindings.linux.tun.tun_h;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.*;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every struct size, field offset, field size and constant of the Linux bindings, compared with what
 * the installed C headers say. The C program is generated from the Java layouts themselves, so a field
 * added to a binding is checked without touching this test, and compiled with gcc against
 * {@code <linux/kvm.h>} and glibc's {@code <sys/socket.h>}, {@code <sys/un.h>}, {@code <fcntl.h>},
 * {@code <unistd.h>}, {@code <sys/file.h>}, {@code <errno.h>} and the other headers of {@code libc_h}:
 * a wrong offset or constant cannot pass. Covers {@code org.jbhyve.bindings.linux.kvm},
 * {@code org.jbhyve.bindings.linux.socket}, {@code org.jbhyve.bindings.linux.tun} ({@code <linux/if_tun.h>},
 * {@code <net/if.h>}, {@code <linux/if_packet.h>}) and the structs and constants of {@code org.jbhyve.bindings.libc}.
 */
class LinuxLayoutTest {

    /** Java classes that stand for an anonymous C struct: the C expression of that struct. */
    private static final Map<String, String> ANONYMOUS = Map.ofEntries(
            Map.entry("kvm_run_hw", "((struct kvm_run *)0)->hw"),
            Map.entry("kvm_run_fail_entry", "((struct kvm_run *)0)->fail_entry"),
            Map.entry("kvm_run_ex", "((struct kvm_run *)0)->ex"),
            Map.entry("kvm_run_io", "((struct kvm_run *)0)->io"),
            Map.entry("kvm_run_mmio", "((struct kvm_run *)0)->mmio"),
            Map.entry("kvm_run_internal", "((struct kvm_run *)0)->internal"),
            Map.entry("kvm_run_system_event", "((struct kvm_run *)0)->system_event"),
            Map.entry("kvm_run_msr", "((struct kvm_run *)0)->msr"),
            Map.entry("kvm_vcpu_events_exception", "((struct kvm_vcpu_events *)0)->exception"),
            Map.entry("kvm_vcpu_events_interrupt", "((struct kvm_vcpu_events *)0)->interrupt"),
            Map.entry("kvm_vcpu_events_nmi", "((struct kvm_vcpu_events *)0)->nmi"),
            Map.entry("kvm_vcpu_events_smi", "((struct kvm_vcpu_events *)0)->smi"));

    /** Java field names that flatten a C member path. */
    private static final Map<String, String> RENAMED = Map.of(
            "kvm_vcpu_events.triple_fault_pending", "triple_fault.pending");

    /** Bound as a prefix of the C struct (the C struct continues with parts not bound). */
    private static final Set<String> PREFIX_ONLY = Set.of("kvm_run");

    /** Packages whose every struct class is checked (besides libc's {@code pollfd} and {@code timespec}). */
    private static final List<String> STRUCT_PACKAGES = List.of(
            "org.jbhyve.bindings.linux.kvm", "org.jbhyve.bindings.linux.socket",
            "org.jbhyve.bindings.linux.tun");

    /** Classes of constants, each checked against the C macros of the same name. */
    private static final List<Class<?>> CONSTANT_HOLDERS = List.of(kvm_h.class, kvm_para_h.class, libc_h.class,
            Errno.class, socket_h.class, tun_h.class);

    /** Constants that are not C macros or enumerators, and are not checked. */
    private static final Set<String> NOT_IN_C = Set.of("kvm_h.KVMIO");

    /** Constants that are not C macros or enumerators: the C expression each stands for. */
    private static final Map<String, String> C_EXPRESSIONS = Map.ofEntries(
            Map.entry("libc_h.SIGSET_T_SIZE", "sizeof(sigset_t)"),
            Map.entry("libc_h.SIGINFO_T_SIZE", "sizeof(siginfo_t)"),
            Map.entry("libc_h.STAT_SIZE", "sizeof(struct stat)"),
            Map.entry("libc_h.CPU_SET_T_SIZE", "sizeof(cpu_set_t)"),
            Map.entry("libc_h.STAT_DEV_OFFSET", "offsetof(struct stat, st_dev)"),
            Map.entry("libc_h.STAT_INO_OFFSET", "offsetof(struct stat, st_ino)"),
            Map.entry("libc_h.STAT_MODE_OFFSET", "offsetof(struct stat, st_mode)"),
            Map.entry("libc_h.STAT_SIZE_OFFSET", "offsetof(struct stat, st_size)"),
            Map.entry("libc_h.STAT_MTIM_OFFSET", "offsetof(struct stat, st_mtim)"),
            Map.entry("libc_h.STAT_CTIM_OFFSET", "offsetof(struct stat, st_ctim)"),
            Map.entry("socket_h.SUN_PATH_SIZE", "sizeof(((struct sockaddr_un *)0)->sun_path)"),
            Map.entry("socket_h.CMSG_ALIGNMENT", "CMSG_ALIGN(1)"),
            Map.entry("socket_h.CMSG_DATA_OFFSET", "CMSG_LEN(0)"));

    /** Data lengths for which socket_h's CMSG_LEN and CMSG_SPACE are compared with the C macros. */
    private static final int[] CMSG_DATA_LENGTHS = {0, 1, 4, 7, 8, 9, 12, 16, 17, 100, 255, 4096};

    private static Map<String, Long> cValues;
    private static final List<String> expectations = new ArrayList<>();

    @BeforeAll
    static void compileAndRunCProgram(@TempDir Path dir) throws Exception {
        assertThat(Path.of("/usr/include/linux/kvm.h"))
                .as("the Linux UAPI headers (Debian package linux-libc-dev) must be installed to check the bindings")
                .exists();
        StringBuilder c = new StringBuilder("""
                #define _GNU_SOURCE
                #include <stddef.h>
                #include <stdio.h>
                #include <errno.h>
                #include <fcntl.h>
                #include <poll.h>
                #include <signal.h>
                #include <time.h>
                #include <unistd.h>
                #include <sys/eventfd.h>
                #include <sys/file.h>
                #include <sys/mman.h>
                #include <sys/stat.h>
                #include <sched.h>
                #include <sys/socket.h>
                #include <sys/uio.h>
                #include <sys/un.h>
                #include <sys/ioctl.h>
                #include <net/if.h>
                #include <linux/if_tun.h>
                #include <linux/if_packet.h>
                #include <linux/if_ether.h>
                #include <linux/kvm.h>
                #include <asm/kvm_para.h>
                int main(void) {
                """);
        for (Class<?> cls : structClasses()) {
            String name = cls.getSimpleName();
            GroupLayout layout = (GroupLayout) cls.getMethod("layout").invoke(null);
            String cType = ANONYMOUS.containsKey(name) ? "__typeof__(" + ANONYMOUS.get(name) + ")" : "struct " + name;
            if (!PREFIX_ONLY.contains(name)) {
                c.append(line("sizeof " + name, "sizeof(" + cType + ")"));
            }
            walk(c, name, cType, "", layout, 0);
        }
        for (Class<?> holder : CONSTANT_HOLDERS) {
            for (Field f : constants(holder)) {
                String key = holder.getSimpleName() + "." + f.getName();
                c.append(line("const " + key, "(unsigned long long)(" + C_EXPRESSIONS.getOrDefault(key, f.getName()) + ")"));
            }
        }
        for (int n : CMSG_DATA_LENGTHS) {
            c.append(line("macro CMSG_LEN(" + n + ")", "CMSG_LEN(" + n + ")"));
            c.append(line("macro CMSG_SPACE(" + n + ")", "CMSG_SPACE(" + n + ")"));
        }
        c.append("return 0; }\n");
        Path src = dir.resolve("layouts.c");
        Files.writeString(src, c);
        Path exe = dir.resolve("layouts");
        run(dir, "gcc", "-std=gnu11", "-Wall", "-Werror", "-o", exe.toString(), src.toString());
        String out = run(dir, exe.toString());
        cValues = new HashMap<>();
        for (String l : out.split("\n")) {
            int sp = l.lastIndexOf(' ');
            cValues.put(l.substring(0, sp), Long.parseUnsignedLong(l.substring(sp + 1)));
        }
    }

    /**
     * The constants of a holder: its public static integer fields (and {@code MemorySegment} ones, which
     * stand for a pointer-valued macro such as {@code SIG_IGN}), less {@link #NOT_IN_C}.
     */
    private static List<Field> constants(Class<?> holder) {
        List<Field> result = new ArrayList<>();
        for (Field f : holder.getFields()) {
            Class<?> t = f.getType();
            boolean integer = t == int.class || t == long.class || t == short.class || t == byte.class;
            if (Modifier.isStatic(f.getModifiers()) && (integer || t == MemorySegment.class)
                    && !NOT_IN_C.contains(holder.getSimpleName() + "." + f.getName())) {
                result.add(f);
            }
        }
        return result;
    }

    /** A constant's value as a 64-bit pattern: the number, or a segment's address. */
    private static long value(Field f) throws IllegalAccessException {
        Object v = f.get(null);
        return v instanceof MemorySegment m ? m.address() : ((Number) v).longValue();
    }

    private static String line(String key, String expr) {
        expectations.add(key);
        return "  printf(\"%s %llu\\n\", \"" + key + "\", (unsigned long long)(" + expr + "));\n";
    }

    /** Emits offsetof/sizeof lines for every named member, recursing into nested structs and unions. */
    private static void walk(StringBuilder c, String cls, String cType, String prefix, GroupLayout group, long base) {
        long offset = 0;
        for (MemoryLayout m : group.memberLayouts()) {
            long here = group instanceof StructLayout ? offset : 0;
            if (m.name().isPresent()) {
                String n = m.name().get();
                if (n.startsWith("$anon")) {
                    walk(c, cls, cType, prefix, (GroupLayout) m, base + here);
                } else {
                    String javaPath = prefix + n;
                    String cPath = RENAMED.getOrDefault(cls + "." + javaPath, javaPath);
                    String key = cls + "." + javaPath;
                    c.append(line("offset " + key + " " + (base + here), "offsetof(" + cType + ", " + cPath + ")"));
                    c.append(line("size " + key + " " + m.byteSize(), "sizeof(((" + cType + " *)0)->" + cPath + ")"));
                    if (m instanceof GroupLayout g) {
                        walk(c, cls, cType, javaPath + ".", g, base + here);
                    }
                }
            }
            if (group instanceof StructLayout) offset += m.byteSize();
        }
    }

    private static List<Class<?>> structClasses() throws Exception {
        List<Class<?>> result = new ArrayList<>(List.of(pollfd.class, timespec.class));
        Path classes = Path.of(kvm_h.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        for (String name : STRUCT_PACKAGES) {
            Path pkg = classes.resolve(name.replace('.', '/'));
            int before = result.size();
            try (Stream<Path> files = Files.list(pkg)) {
                for (Path p : files.sorted().toList()) {
                    String f = p.getFileName().toString();
                    if (!f.endsWith(".class") || f.contains("$")) continue;
                    Class<?> cls = Class.forName(name + "." + f.substring(0, f.length() - 6));
                    if (hasMethod(cls, "layout")) result.add(cls);
                }
            }
            assertThat(result.size() - before).as("struct classes found in " + name).isPositive();
        }
        assertThat(result).as("struct classes found").hasSizeGreaterThan(30);
        return result;
    }

    private static boolean hasMethod(Class<?> cls, String name) {
        return Arrays.stream(cls.getMethods()).anyMatch(m -> m.getName().equals(name) && m.getParameterCount() == 0);
    }

    private static String run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail("command failed: " + String.join(" ", cmd) + "\n" + out);
        }
        return out;
    }

    @Test
    void everyLayoutOffsetAndSizeMatchesTheCHeaders() {
        List<String> wrong = new ArrayList<>();
        for (String key : expectations) {
            if (key.startsWith("const ") || key.startsWith("macro ")) continue;
            long c = cValues.get(key);
            if (key.startsWith("sizeof ")) continue;
            long java = Long.parseLong(key.substring(key.lastIndexOf(' ') + 1));
            if (c != java) wrong.add(key + " but C says " + c);
        }
        assertThat(wrong).as("fields whose Java offset/size differs from C").isEmpty();
        assertThat(expectations.stream().filter(k -> k.startsWith("offset ")).count()).isGreaterThan(200);
    }

    @Test
    void everyStructSizeMatchesTheCHeaders() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Class<?> cls : structClasses()) {
            String key = "sizeof " + cls.getSimpleName();
            if (!cValues.containsKey(key)) continue;
            long layoutSize = ((MemoryLayout) cls.getMethod("layout").invoke(null)).byteSize();
            long declared = (long) cls.getMethod("sizeof").invoke(null);
            if (layoutSize != cValues.get(key) || declared != cValues.get(key)) {
                wrong.add(key + ": layout " + layoutSize + ", sizeof() " + declared + ", C " + cValues.get(key));
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void everyOffsetAccessorAgreesWithItsLayout() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Class<?> cls : structClasses()) {
            GroupLayout layout = (GroupLayout) cls.getMethod("layout").invoke(null);
            for (MemoryLayout m : layout.memberLayouts()) {
                if (m.name().isEmpty() || m.name().get().startsWith("$")) continue;
                String n = m.name().get();
                Method acc = cls.getMethod(n + "$offset");
                long expected = layout.byteOffset(MemoryLayout.PathElement.groupElement(n));
                if ((long) acc.invoke(null) != expected) wrong.add(cls.getSimpleName() + "." + n);
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void everyConstantAndIoctlNumberMatchesTheCHeaders() throws Exception {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Class<?> holder : CONSTANT_HOLDERS) {
            for (Field f : constants(holder)) {
                long java = value(f);
                long c = cValues.get("const " + holder.getSimpleName() + "." + f.getName());
                if (java != c) {
                    wrong.add(holder.getSimpleName() + "." + f.getName() + " = 0x" + Long.toHexString(java)
                            + " but C says 0x" + Long.toHexString(c));
                }
                checked++;
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(checked).isGreaterThan(100);
        // a spot check that the helper is not trivially consistent with itself
        assertThat(kvm_h.KVM_RUN).isEqualTo(0xAE80L);
    }

    @Test
    void everySocketStructAndLibcConstantIsChecked() throws Exception {
        List<String> structs = structClasses().stream().map(Class::getName)
                .filter(n -> n.startsWith("org.jbhyve.bindings.linux.socket.")).toList();
        assertThat(structs).containsExactlyInAnyOrder("org.jbhyve.bindings.linux.socket.cmsghdr",
                "org.jbhyve.bindings.linux.socket.iovec", "org.jbhyve.bindings.linux.socket.msghdr",
                "org.jbhyve.bindings.linux.socket.sockaddr_un");
        for (String c : List.of("msghdr", "cmsghdr", "sockaddr_un", "iovec")) {
            assertThat(cValues).containsKey("sizeof " + c);
        }
        for (String k : List.of("libc_h.O_NOFOLLOW", "libc_h.SEEK_DATA", "libc_h.SEEK_HOLE", "libc_h.LOCK_EX",
                "libc_h.LOCK_NB", "libc_h.SOCK_NONBLOCK", "libc_h.SHUT_RDWR", "libc_h.MSG_CMSG_CLOEXEC",
                "libc_h.MSG_CTRUNC", "libc_h.SIG_IGN", "libc_h.S_IFREG", "libc_h.STAT_CTIM_OFFSET", "Errno.EWOULDBLOCK", "Errno.EINPROGRESS",
                "socket_h.SUN_PATH_SIZE", "socket_h.CMSG_DATA_OFFSET")) {
            assertThat(cValues).containsKey("const " + k);
        }
    }

    @Test
    void cmsgMacrosMatchTheCHeaders() {
        List<String> wrong = new ArrayList<>();
        for (int n : CMSG_DATA_LENGTHS) {
            long len = cValues.get("macro CMSG_LEN(" + n + ")");
            long space = cValues.get("macro CMSG_SPACE(" + n + ")");
            if (socket_h.CMSG_LEN(n) != len) wrong.add("CMSG_LEN(" + n + ") = " + socket_h.CMSG_LEN(n) + " but C says " + len);
            if (socket_h.CMSG_SPACE(n) != space) wrong.add("CMSG_SPACE(" + n + ") = " + socket_h.CMSG_SPACE(n) + " but C says " + space);
        }
        assertThat(wrong).isEmpty();
        assertThat(cValues.get("macro CMSG_LEN(4)")).isEqualTo(20);
        assertThat(cValues.get("macro CMSG_SPACE(4)")).isEqualTo(24);
    }
}
