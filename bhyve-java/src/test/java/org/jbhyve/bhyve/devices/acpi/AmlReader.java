package org.jbhyve.bhyve.devices.acpi;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict reader for the AML subset jbhyve emits, written from the ACPI specification's grammar
 * (chapter 20) independently of the encoder: it builds the namespace (absolute path -> object) and
 * keeps method bodies as statements that {@link #call} can run. Anything outside the subset, a
 * PkgLength that does not end where its contents end, or a trailing byte fails the parse.
 */
final class AmlReader {
    sealed interface Node {}

    record NamedValue(Object value) implements Node {}

    record Device() implements Node {}

    record Method(int argCount, boolean serialized, List<Stmt> body, String scope) implements Node {}

    sealed interface Stmt {}

    record Return(Object value) implements Stmt {}

    record Store(Object source, Object target) implements Stmt {}

    record If(Object predicate, List<Stmt> then, List<Stmt> otherwise) implements Stmt {}

    /** A reference to a named object as written, resolved when evaluated. */
    record NameRef(String path) {}

    record ArgRef(int n) {}

    /** The namespace: absolute paths such as {@code \_SB_.PC00._HID}, in definition order. */
    final Map<String, Node> namespace = new LinkedHashMap<>();

    private final byte[] aml;
    private int pos;

    private AmlReader(byte[] aml) {
        this.aml = aml;
    }

    /** Reads the AML of a whole DSDT/SSDT (after its 36-byte header). */
    static AmlReader read(byte[] table) {
        AmlReader r = new AmlReader(table);
        r.pos = 36;
        r.termList(table.length, "\\", null);
        return r;
    }

    Node node(String path) {
        Node n = namespace.get(path);
        if (n == null) throw new AssertionError("no object " + path + " in " + namespace.keySet());
        return n;
    }

    Object value(String path) {
        if (node(path) instanceof NamedValue v) return v.value();
        throw new AssertionError(path + " is not a Name but " + node(path));
    }

    /** Runs method {@code path} with the given arguments and returns what it returns. */
    Object call(String path, Object... args) {
        if (!(node(path) instanceof Method m)) throw new AssertionError(path + " is not a method");
        if (args.length != m.argCount()) throw new AssertionError(path + " takes " + m.argCount() + " arguments");
        Object r = run(m.body(), m.scope(), args);
        return r == NO_RETURN ? null : r;
    }

    // ---- parsing ----

    private void termList(int end, String scope, List<Stmt> stmts) {
        while (pos < end) {
            int op = u8();
            switch (op) {
                case 0x08 -> { // Name
                    String path = absolute(nameString(), scope);
                    define(path, new NamedValue(dataObject()));
                }
                case 0x10 -> { // Scope
                    int e = pkgEnd();
                    String path = absolute(nameString(), scope);
                    termList(e, path, null);
                }
                case 0x14 -> { // Method
                    int e = pkgEnd();
                    String path = absolute(nameString(), scope);
                    int flags = u8();
                    List<Stmt> body = new ArrayList<>();
                    termList(e, path, body);
                    define(path, new Method(flags & 7, (flags & 8) != 0, body, path));
                }
                case 0x5b -> {
                    int ext = u8();
                    if (ext != 0x82) throw fail("unsupported extended opcode 0x5b 0x" + Integer.toHexString(ext));
                    int e = pkgEnd();
                    String path = absolute(nameString(), scope);
                    define(path, new Device());
                    termList(e, path, null);
                }
                case 0x70 -> requireMethod(stmts, op).add(new Store(termArg(), superName()));
                case 0xa4 -> requireMethod(stmts, op).add(new Return(termArg()));
                case 0xa0 -> {
                    int e = pkgEnd();
                    Object predicate = termArg();
                    List<Stmt> then = new ArrayList<>();
                    termList(e, scope, then);
                    List<Stmt> otherwise = new ArrayList<>();
                    if (pos < end && (aml[pos] & 0xff) == 0xa1) {
                        pos++;
                        termList(pkgEnd(), scope, otherwise);
                    }
                    requireMethod(stmts, op).add(new If(predicate, then, otherwise));
                }
                default -> throw fail("unsupported opcode 0x" + Integer.toHexString(op));
            }
        }
        if (pos != end) throw fail("term list overran its package by " + (pos - end) + " bytes");
    }

    private List<Stmt> requireMethod(List<Stmt> stmts, int op) {
        if (stmts == null) throw fail("statement 0x" + Integer.toHexString(op) + " outside a method");
        return stmts;
    }

    private void define(String path, Node n) {
        if (namespace.putIfAbsent(path, n) != null) throw fail(path + " defined twice");
    }

    /** A DataRefObject: integer, string, buffer, package. */
    private Object dataObject() {
        Object o = termArg();
        if (o instanceof NameRef || o instanceof ArgRef) throw fail("Name() of a non-constant " + o);
        return o;
    }

    private Object termArg() {
        int op = u8();
        return switch (op) {
            case 0x00 -> 0L;
            case 0x01 -> 1L;
            case 0xff -> -1L;
            case 0x0a -> le(1);
            case 0x0b -> le(2);
            case 0x0c -> le(4);
            case 0x0e -> le(8);
            case 0x0d -> {
                int start = pos;
                while (aml[pos] != 0) pos++;
                String s = new String(aml, start, pos - start, StandardCharsets.US_ASCII);
                pos++;
                yield s;
            }
            case 0x11 -> {
                int e = pkgEnd();
                Object size = termArg();
                byte[] b = Arrays.copyOfRange(aml, pos, e);
                if (!(size instanceof Long n) || n != b.length) throw fail("buffer size " + size + " but " + b.length + " bytes");
                pos = e;
                yield b;
            }
            case 0x12 -> {
                int e = pkgEnd();
                int count = u8();
                List<Object> elems = new ArrayList<>();
                while (pos < e) elems.add(termArg());
                if (pos != e) throw fail("package overran");
                if (elems.size() != count) throw fail("package says " + count + " elements, has " + elems.size());
                yield elems;
            }
            default -> {
                if (op >= 0x68 && op <= 0x6e) yield new ArgRef(op - 0x68);
                pos--;
                yield new NameRef(nameString());
            }
        };
    }

    private Object superName() {
        Object o = termArg();
        if (!(o instanceof NameRef)) throw fail("Store target must be a name here, got " + o);
        return o;
    }

    /** NameString as ASL text, segments separated by dots, '\' and '^' prefixes kept. */
    private String nameString() {
        StringBuilder sb = new StringBuilder();
        while (aml[pos] == '\\' || aml[pos] == '^') sb.append((char) aml[pos++]);
        int segs;
        int lead = aml[pos] & 0xff;
        if (lead == 0x2e) { pos++; segs = 2; }
        else if (lead == 0x2f) { pos++; segs = u8(); }
        else if (lead == 0x00) { pos++; segs = 0; }
        else segs = 1;
        for (int i = 0; i < segs; i++) {
            if (i > 0) sb.append('.');
            for (int k = 0; k < 4; k++) {
                char c = (char) aml[pos++];
                boolean ok = (c >= 'A' && c <= 'Z') || c == '_' || (k > 0 && c >= '0' && c <= '9');
                if (!ok) throw fail("bad NameSeg character 0x" + Integer.toHexString(c));
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Reads a PkgLength and returns the absolute end of the package it measures. */
    private int pkgEnd() {
        int start = pos;
        int lead = u8();
        int follow = lead >>> 6;
        int len;
        if (follow == 0) {
            len = lead & 0x3f;
        } else {
            if ((lead & 0x30) != 0) throw fail("PkgLength lead byte has bits 4-5 set");
            len = lead & 0x0f;
            for (int k = 0; k < follow; k++) len |= u8() << (4 + 8 * k);
        }
        int end = start + len;
        if (end > aml.length || end < pos) throw fail("PkgLength " + len + " runs outside the table");
        return end;
    }

    private int u8() {
        if (pos >= aml.length) throw fail("unexpected end of AML");
        return aml[pos++] & 0xff;
    }

    private long le(int size) {
        long v = 0;
        for (int k = 0; k < size; k++) v |= (long) u8() << (8 * k);
        return v;
    }

    private IllegalStateException fail(String why) {
        return new IllegalStateException(why + " at offset 0x" + Integer.toHexString(pos));
    }

    /** The absolute path of a name written in {@code scope}: definitions land in the current scope. */
    static String absolute(String name, String scope) {
        if (name.startsWith("\\")) return name.length() == 1 ? "\\" : name;
        String s = scope;
        while (name.startsWith("^")) {
            s = s.substring(0, Math.max(1, s.lastIndexOf('.')));
            name = name.substring(1);
        }
        return s.equals("\\") ? "\\" + name : s + "." + name;
    }

    // ---- evaluation ----

    private static final Object NO_RETURN = new Object();

    private Object run(List<Stmt> body, String scope, Object[] args) {
        for (Stmt s : body) {
            switch (s) {
                case Return r -> { return eval(r.value(), scope, args); }
                case Store st -> {
                    String target = resolve(((NameRef) st.target()).path(), scope);
                    namespace.put(target, new NamedValue(eval(st.source(), scope, args)));
                }
                case If i -> {
                    Object p = eval(i.predicate(), scope, args);
                    if (!(p instanceof Long v)) throw new AssertionError("If predicate is not an integer: " + p);
                    Object r = run(v != 0 ? i.then() : i.otherwise(), scope, args);
                    if (r != NO_RETURN) return r;
                }
            }
        }
        return NO_RETURN;
    }

    private Object eval(Object o, String scope, Object[] args) {
        if (o instanceof ArgRef a) return args[a.n()];
        if (o instanceof NameRef n) return value(resolve(n.path(), scope));
        return o;
    }

    /**
     * ACPI name search rules: a single-segment relative name is looked up in the scope and then in
     * each parent up to the root; anything else is taken relative to the scope as written.
     */
    String resolve(String name, String scope) {
        if (name.startsWith("\\") || name.startsWith("^") || name.contains(".")) return absolute(name, scope);
        String s = scope;
        while (true) {
            String candidate = absolute(name, s);
            if (namespace.containsKey(candidate)) return candidate;
            if (s.equals("\\")) throw new AssertionError("cannot resolve " + name + " from " + scope);
            int dot = s.lastIndexOf('.');
            s = dot < 0 ? "\\" : s.substring(0, dot);
        }
    }
}
