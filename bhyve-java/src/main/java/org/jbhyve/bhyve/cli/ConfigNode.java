package org.jbhyve.bhyve.cli;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;

/**
 * A node of the config tree as bhyve's option parsers use it (their nvlist_t): values and child
 * nodes addressed by a single name. Names are single path components, as set_config_value_node
 * insists, so {@code -s 3,virtio-blk,/img,a.b=1} fails instead of writing somewhere unexpected.
 */
final class ConfigNode {
    private final ConfigTree tree;
    private final String path;

    /** The node at {@code path}, created if missing (create_config_node). */
    ConfigNode(ConfigTree tree, String path) {
        this.tree = tree;
        this.path = path;
        tree.createNode(path);
    }

    String path() {
        return path;
    }

    /** set_config_value_node. */
    void set(String name, String value) {
        tree.set(childPath(name), value);
    }

    /** set_config_bool_node(..., true). */
    void setTrue(String name) {
        set(name, "true");
    }

    /** set_config_value_node_if_unset. */
    void setIfUnset(String name, String value) {
        if (tree.getRaw(childPath(name)).isEmpty()) set(name, value);
    }

    /** create_relative_config_node. */
    ConfigNode child(String name) {
        return new ConfigNode(tree, childPath(name));
    }

    private String childPath(String name) {
        if (name.isEmpty()) throw new ConfigException("an option has an empty name (write name=value)");
        if (name.indexOf('.') >= 0) {
            throw new ConfigException("invalid option name '" + name + "': names here cannot contain '.'"
                    + " (set nested variables with -o " + path + "." + name + "=VALUE)");
        }
        return path + "." + name;
    }
}
