package org.jbhyve.bhyve.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The parts of ConfigTree the command line relies on: nvlist ordering, nodes, bhyve's expansion rules. */
class ConfigTreeTest {
    @Test
    void replacingAValueMovesItToTheEndOfItsNodeAsLibnvDoes() {
        ConfigTree t = new ConfigTree();
        t.set("x86.strictmsr", "true");
        t.set("x86.verbosemsr", "false");
        t.set("cpus", "1");
        t.set("x86.strictmsr", "false");
        assertThat(t.dump()).isEqualTo("x86.verbosemsr=false\nx86.strictmsr=false\ncpus=1\n");
    }

    @Test
    void createNodeMakesEmptyNodesAndRefusesToReplaceValues() {
        ConfigTree t = new ConfigTree();
        t.createNode("pci.0.3.0.port");
        assertThat(t.isNode("pci.0.3.0.port")).isTrue();
        assertThat(t.dump()).isEmpty();
        t.createNode("pci.0.3.0"); // existing node: left alone
        assertThat(t.children("pci.0.3.0")).containsExactly("port");
        t.set("name", "vm");
        assertThatThrownBy(() -> t.createNode("name.sub"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("cannot create node name.sub: name already holds the value 'vm'");
        assertThatThrownBy(() -> t.set("pci", "x")).hasMessageContaining("it is a node with children");
    }

    @Test
    void referencesExpandOnReadAndNestedValuesExpandToo() {
        ConfigTree t = new ConfigTree();
        t.set("name", "vm0");
        t.set("dir", "/vms/%(name)");
        t.set("pci.0.4.0.path", "%(dir)/disk.img");
        assertThat(t.getRaw("pci.0.4.0.path")).contains("%(dir)/disk.img");
        assertThat(t.get("pci.0.4.0.path")).contains("/vms/vm0/disk.img");
    }

    @Test
    void backslashEscapesApplyOnlyToValuesThatContainAPercentSign() {
        ConfigTree t = new ConfigTree();
        t.set("name", "vm0");
        t.set("literal", "50\\%(name) of %(name)");
        t.set("plain", "C:\\dir\\file");
        t.set("trailing", "%(name)\\");
        assertThat(t.get("literal")).contains("50%(name) of vm0");
        assertThat(t.get("plain")).contains("C:\\dir\\file");
        assertThat(t.get("trailing")).contains("vm0");
    }

    @Test
    void badReferencesAreErrorsNamingTheValue() {
        ConfigTree t = new ConfigTree();
        t.set("a", "%(missing)");
        t.set("b", "%(unterminated");
        t.set("c", "%(c)");
        assertThatThrownBy(() -> t.get("a")).hasMessage("config value '%(missing)' refers to unset variable missing");
        assertThatThrownBy(() -> t.get("b")).hasMessageContaining("unterminated %(");
        assertThatThrownBy(() -> t.get("c")).hasMessageContaining("expands recursively");
        t.set("lone", "100%");
        assertThat(t.get("lone")).contains("100%");
    }

    /**
     * A value whose references repeat at every level (a "billion laughs") is refused once its expansion passes
     * 16 MiB: 10 references over 11 levels stayed under the depth limit and ran without end, taking memory.
     */
    @Test
    void aValueThatExpandsToMoreThan16MibIsRefused() {
        ConfigTree t = new ConfigTree();
        t.set("a0", "x".repeat(100));
        for (int i = 1; i <= 11; i++) t.set("a" + i, ("%(a" + (i - 1) + ")").repeat(10));
        assertThatThrownBy(() -> t.get("a11")).isInstanceOf(ConfigException.class)
                .hasMessageEndingWith("expands to more than 16 MiB; are %(var) references repeated inside each other?");
        t.set("deep", "%(a4)"); // 1 MB: fine
        assertThat(t.get("deep")).hasValueSatisfying(v -> assertThat(v).hasSize(1_000_000));
    }

    /**
     * A variable name with thousands of parts (a config file line of "a.a.a...=1") is refused: the tree under
     * it was deep enough that -o config.dump=true, which walks it recursively, ended in a StackOverflowError.
     */
    @Test
    void aVariableNameWithTooManyPartsIsRefused() {
        ConfigTree t = new ConfigTree();
        String deep = String.join(".", java.util.Collections.nCopies(100_000, "a"));
        assertThatThrownBy(() -> t.set(deep, "1")).isInstanceOf(ConfigException.class)
                .hasMessage("bad config variable name '" + deep.substring(0, 80) + "...': it has 100000 parts; at most 64"
                        + " are allowed");
        assertThat(t.dump()).isEmpty();
        t.set(String.join(".", java.util.Collections.nCopies(64, "a")), "1");
        assertThat(t.dump()).hasSize(64 * 2 - 1 + 2 + 1);
    }
}
