package org.jbhyve.snapshot.format;

import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTreesTest {
    private static final String SAMPLE = "{\"a\":[1,-2147483649,123456789012345678901234567890,1.5,true,false,null],"
            + "\"b\":{\"c\":\"d\\u00e9\\n\",\"e\":{}},\"f\":[]}";

    @Test
    void readsTheSameTreeAsJacksonsDataBinding() throws IOException {
        JsonNode mine = JsonTrees.read(SAMPLE);
        JsonNode theirs = new ObjectMapper().readTree(SAMPLE);
        assertThat(mine).isEqualTo(theirs);
        assertThat(mine.get("a").get(0).isInt()).isTrue();
        assertThat(mine.get("a").get(1).isLong()).isTrue();
        assertThat(mine.get("a").get(2).isBigInteger()).isTrue();
        assertThat(mine.get("a").get(3).isDouble()).isTrue();
    }

    @Test
    void writesWhatJacksonsDataBindingWrites() throws IOException {
        JsonNode tree = JsonTrees.read(SAMPLE);
        ObjectMapper mapper = new ObjectMapper();
        assertThat(JsonTrees.write(tree, null)).isEqualTo(mapper.writeValueAsString(tree));
        assertThat(JsonTrees.write(tree, new DefaultPrettyPrinter()))
                .isEqualTo(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(tree));
        assertThat(JsonTrees.read(JsonTrees.write(tree, null))).isEqualTo(tree);
    }

    @Test
    void refusesWhatTheManifestRulesRefuse() {
        assertThatThrownBy(() -> JsonTrees.read("{\"a\":1,\"a\":2}")).isInstanceOf(IOException.class)
                .hasMessageContaining("Duplicate field 'a'");
        assertThatThrownBy(() -> JsonTrees.read("{} {}")).isInstanceOf(IOException.class)
                .hasMessageContaining("trailing token");
        assertThatThrownBy(() -> JsonTrees.read("")).isInstanceOf(IOException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> JsonTrees.read("[".repeat(65) + "]".repeat(65))).isInstanceOf(IOException.class)
                .hasMessageContaining("nesting depth");
        assertThatThrownBy(() -> JsonTrees.read("{\"a\":1")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> JsonTrees.read("1" + "0".repeat(40))).isInstanceOf(IOException.class);
    }
}
