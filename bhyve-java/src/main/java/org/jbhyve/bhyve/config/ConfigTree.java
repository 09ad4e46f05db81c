package org.jbhyve.bhyve.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * bhyve_config(5): a tree of string values addressed by dotted paths ({@code pci.0.2.0.device}).
 * Nodes keep insertion order, as bhyve's nvlists do, so {@link #dump()} prints what bhyve prints.
 *
 * <p>Values may reference other variables as {@code %(path)}; references are expanded when a value
 * is read ({@link #get}), not when it is stored, as bhyve does.
 */
public final class ConfigTree {
    private final Node root = new Node();

    /** One node: a value or a map of children, never both. */
    public static final class Node {
        private final Map<String, Object> entries = new LinkedHashMap<>();

        Node() {}
    }

    /**
     * The node reached by the first {@code depth} parts of {@code parts}, created where missing;
     * fails naming {@code what} if one of them already holds a value.
     */
    private Node walkCreating(String[] parts, int depth, String what) {
        Node n = root;
        for (int i = 0; i < depth; i++) {
            Object child = n.entries.get(parts[i]);
            if (child == null) {
                Node created = new Node();
                n.entries.put(parts[i], created);
                n = created;
            } else if (child instanceof Node node) {
                n = node;
            } else {
                throw new ConfigException(what + ": " + String.join(".", List.of(parts).subList(0, i + 1))
                        + " already holds the value '" + child + "'");
            }
        }
        return n;
    }

    /** Sets {@code path} to {@code value}, creating intermediate nodes. */
    public void set(String path, String value) {
        String[] parts = split(path);
        Node n = walkCreating(parts, parts.length - 1, "cannot set " + path);
        String leaf = parts[parts.length - 1];
        if (n.entries.get(leaf) instanceof Node) {
            throw new ConfigException("cannot set " + path + ": it is a node with children, not a value");
        }
        // bhyve replaces a value by freeing the nvpair and adding a new one, which libnv appends at the
        // tail; removing first keeps dump() in the order bhyve's dump_config() prints.
        n.entries.remove(leaf);
        n.entries.put(leaf, value);
    }

    /**
     * Creates the node at {@code path} and any missing parents, as bhyve's create_config_node does; an
     * existing node is left as it is. Fails if the path or one of its parents already holds a value.
     */
    public void createNode(String path) {
        String[] parts = split(path);
        walkCreating(parts, parts.length, "cannot create node " + path);
    }

    /** Sets {@code path} only if it has no value yet (bhyve's set_config_value_if_unset). */
    public void setIfUnset(String path, String value) {
        if (getRaw(path).isEmpty() && !isNode(path)) set(path, value);
    }

    private static String[] split(String path) {
        if (path == null || path.isEmpty() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
            throw new ConfigException("bad config variable name '" + path + "'");
        }
        String[] parts = path.split("\\.");
        if (parts.length > MAX_DEPTH) {
            throw new ConfigException("bad config variable name '" + abbreviate(path) + "': it has " + parts.length
                    + " parts; at most " + MAX_DEPTH + " are allowed");
        }
        return parts;
    }

    private Object lookup(String path) {
        Object cur = root;
        for (String part : split(path)) {
            if (!(cur instanceof Node n)) return null;
            cur = n.entries.get(part);
            if (cur == null) return null;
        }
        return cur;
    }

    /** The stored value without %(var) expansion. */
    public Optional<String> getRaw(String path) {
        return lookup(path) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    /** The value with %(var) references expanded. */
    public Optional<String> get(String path) {
        // Like bhyve's expand_config_value, a value without '%' is returned untouched, backslashes and all.
        return getRaw(path).map(v -> v.indexOf('%') < 0 ? v : expand(v, 0));
    }

    public String get(String path, String defaultValue) {
        return get(path).orElse(defaultValue);
    }

    /** bhyve's boolean parsing: true/on/yes/1 and false/off/no/0, case-insensitive. */
    public boolean getBoolean(String path, boolean defaultValue) {
        Optional<String> v = get(path);
        if (v.isEmpty()) return defaultValue;
        return parseBoolean(path, v.get());
    }

    public static boolean parseBoolean(String path, String v) {
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "on", "yes", "1" -> true;
            case "false", "off", "no", "0" -> false;
            default -> throw new ConfigException("config variable " + path + " must be true or false, not '" + v + "'");
        };
    }

    public boolean isNode(String path) {
        return lookup(path) instanceof Node;
    }

    public boolean contains(String path) {
        return lookup(path) != null;
    }

    /** Child names of the node at {@code path} (empty string for the root), in insertion order. */
    public List<String> children(String path) {
        Object n = path.isEmpty() ? root : lookup(path);
        return n instanceof Node node ? new ArrayList<>(node.entries.keySet()) : List.of();
    }

    /** Removes {@code path} (a value or a whole subtree). */
    public void remove(String path) {
        String[] parts = split(path);
        Object cur = root;
        for (int i = 0; i < parts.length - 1; i++) {
            if (!(cur instanceof Node n)) return;
            cur = n.entries.get(parts[i]);
        }
        if (cur instanceof Node n) n.entries.remove(parts[parts.length - 1]);
    }

    /**
     * Expands {@code %(path)} references and {@code \x} escapes the way bhyve's _expand_config_value
     * does: a backslash makes the next character literal (so {@code \%(x)} stays as written) and a
     * trailing backslash is dropped; referenced values are expanded the same way. Where bhyve only
     * warns (unset variable, unterminated reference) this throws, so a person's mistake is reported
     * instead of silently expanding to nothing.
     */
    private String expand(String value, int depth) {
        if (depth > 16) {
            throw new ConfigException("config value '" + value + "' expands recursively (or through more than 16"
                    + " levels of %(var) references)");
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == '\\') {
                if (i + 1 < value.length()) out.append(value.charAt(i + 1));
                i += 2;
            } else if (c == '%' && value.startsWith("%(", i)) {
                int end = value.indexOf(')', i + 2);
                if (end < 0) throw new ConfigException("unterminated %( in config value '" + value + "'");
                String var = value.substring(i + 2, end);
                String sub = getRaw(var).orElseThrow(() ->
                        new ConfigException("config value '" + value + "' refers to unset variable " + var));
                out.append(expand(sub, depth + 1));
                if (out.length() > MAX_EXPANDED) {
                    // References repeated at each level multiply: 10 per level over 11 levels is 10^11 copies,
                    // which would run for hours and take all memory before the depth limit is reached.
                    throw new ConfigException("config value '" + abbreviate(value) + "' expands to more than "
                            + (MAX_EXPANDED >> 20) + " MiB; are %(var) references repeated inside each other?");
                }
                i = end + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** The most a value may expand to: as much as the largest config file (-k) holds. */
    static final int MAX_EXPANDED = 16 << 20;

    /** The most parts a variable name may have; the tree is walked recursively, and bhyve's names have at most 6. */
    static final int MAX_DEPTH = 64;

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }

    /** Every value as {@code path=value} lines, in tree order: what {@code -o config.dump=true} prints. */
    public String dump() {
        StringBuilder sb = new StringBuilder();
        dump(sb, "", root);
        return sb.toString();
    }

    private static void dump(StringBuilder sb, String prefix, Node n) {
        for (Map.Entry<String, Object> e : n.entries.entrySet()) {
            if (e.getValue() instanceof Node child) dump(sb, prefix + e.getKey() + ".", child);
            else sb.append(prefix).append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
    }

    /** All leaf paths with their raw values, in tree order. */
    public Map<String, String> flatten() {
        Map<String, String> out = new LinkedHashMap<>();
        flatten(out, "", root);
        return out;
    }

    private static void flatten(Map<String, String> out, String prefix, Node n) {
        for (Map.Entry<String, Object> e : n.entries.entrySet()) {
            if (e.getValue() instanceof Node child) flatten(out, prefix + e.getKey() + ".", child);
            else out.put(prefix + e.getKey(), (String) e.getValue());
        }
    }

    /** A deep copy. */
    public ConfigTree copy() {
        ConfigTree t = new ConfigTree();
        flatten().forEach(t::set);
        return t;
    }
}
