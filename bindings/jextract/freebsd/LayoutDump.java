// Prints the ABI facts of a compiled bindings package, one sorted line each, so that the
// hand-written classes and a fresh jextract run can be compared with diff(1):
//
//   java LayoutDump.java <classes-dir> <package> [opaque-struct,...]
//
//   struct vm_exit size=136 align=8
//   field  vm_exit.u.inst_emul.vie offset=72 size=64
//   const  VM_EXITCODE_HLT = 5 (0x5)
//   func   vm_run (a64,a64)i32
//
// Struct classes are the top-level classes with a public static layout(); header classes are
// the rest. Constants are read from public static int/long fields (hand-written style) and from
// public static no-argument methods with upper-case names (jextract's style), so both shapes
// print the same lines. Padding is not printed; structs (and struct-typed fields) named in the third argument are printed
// without their members. Part of jbhyve; see README.md next to it.

import java.io.IOException;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

public class LayoutDump {

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: java LayoutDump.java <classes-dir> <package> [opaque-struct,...]");
            System.exit(2);
        }
        Path classes = Path.of(args[0]);
        String pkg = args[1];
        Set<String> opaque = args.length > 2 ? Set.of(args[2].split(",")) : Set.of();
        Set<String> lines = new TreeSet<>();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()})) {
            for (String name : topLevelClasses(classes, pkg)) {
                Class<?> c = Class.forName(pkg + "." + name, true, loader);
                Method layout = staticMethod(c, "layout");
                if (layout != null && GroupLayout.class.isAssignableFrom(layout.getReturnType())) {
                    GroupLayout g = (GroupLayout) layout.invoke(null);
                    lines.add("struct " + name + " size=" + g.byteSize() + " align=" + g.byteAlignment());
                    if (!opaque.contains(name)) {
                        members(name, g, 0, opaque, lines);
                    }
                } else {
                    header(c, lines);
                }
            }
        }
        lines.forEach(System.out::println);
    }

    private static List<String> topLevelClasses(Path classes, String pkg) throws IOException {
        Path dir = classes.resolve(pkg.replace('.', '/'));
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(f -> f.endsWith(".class") && !f.contains("$") && !f.equals("package-info.class"))
                    .map(f -> f.substring(0, f.length() - ".class".length()))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    private static void members(String path, GroupLayout group, long base, Set<String> opaque, Set<String> out) {
        for (MemoryLayout m : group.memberLayouts()) {
            if (m instanceof PaddingLayout || m.name().isEmpty()) {
                continue;
            }
            String name = m.name().get();
            long offset = base + group.byteOffset(MemoryLayout.PathElement.groupElement(name));
            String p = path + "." + name;
            out.add("field  " + p + " offset=" + offset + " size=" + m.byteSize() + " " + kind(m));
            if (m instanceof GroupLayout g && !opaque.contains(g.name().orElse(""))) {
                members(p, g, offset, opaque, out);
            }
        }
    }

    private static String kind(MemoryLayout m) {
        return switch (m) {
            case AddressLayout a -> "pointer";
            case ValueLayout v -> v.carrier().getSimpleName();
            case SequenceLayout s -> kind(s.elementLayout()) + "[" + s.elementCount() + "]";
            case GroupLayout g -> "group";
            default -> m.getClass().getSimpleName();
        };
    }

    private static void header(Class<?> c, Set<String> out) throws ReflectiveOperationException {
        for (Field f : c.getDeclaredFields()) {
            int mod = f.getModifiers();
            if (Modifier.isPublic(mod) && Modifier.isStatic(mod) && isInteger(f.getType()) && isConstantName(f.getName())) {
                out.add(constant(f.getName(), (Number) f.get(null)));
            }
        }
        for (Method m : c.getDeclaredMethods()) {
            int mod = m.getModifiers();
            if (!Modifier.isPublic(mod) || !Modifier.isStatic(mod) || m.getParameterCount() != 0) {
                continue;
            }
            if (isInteger(m.getReturnType()) && isConstantName(m.getName())) {
                out.add(constant(m.getName(), (Number) m.invoke(null)));
            } else if (m.getName().endsWith("$descriptor") && m.getReturnType() == FunctionDescriptor.class) {
                FunctionDescriptor d = (FunctionDescriptor) m.invoke(null);
                String fn = m.getName().substring(0, m.getName().length() - "$descriptor".length());
                out.add("func   " + fn + " (" + d.argumentLayouts().stream().map(LayoutDump::abi)
                        .collect(Collectors.joining(",")) + ")" + d.returnLayout().map(LayoutDump::abi).orElse("void"));
            }
        }
    }

    private static String constant(String name, Number value) {
        return "const  " + name + " = " + value.longValue() + " (0x" + Long.toHexString(value.longValue()).toUpperCase() + ")";
    }

    private static String abi(MemoryLayout l) {
        if (l instanceof AddressLayout) {
            return "a64";
        }
        String c = ((ValueLayout) l).carrier().getSimpleName();
        return switch (c) {
            case "byte" -> "i8";
            case "short" -> "i16";
            case "int" -> "i32";
            case "long" -> "i64";
            default -> c;
        };
    }

    private static Method staticMethod(Class<?> c, String name) {
        try {
            Method m = c.getMethod(name);
            return Modifier.isStatic(m.getModifiers()) ? m : null;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static boolean isInteger(Class<?> t) {
        return t == int.class || t == long.class || t == short.class || t == byte.class;
    }

    private static boolean isConstantName(String name) {
        return name.matches("[A-Z_][A-Z0-9_]*");
    }
}
