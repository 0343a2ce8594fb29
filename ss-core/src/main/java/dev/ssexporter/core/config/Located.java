package dev.ssexporter.core.config;

import org.snakeyaml.engine.v2.nodes.Node;

/**
 * A YAML node with the key path that leads to it, e.g. {@code logic.selection.process.pids[2]}.
 * The node carries the line and column.
 */
public record Located(String path, Node node) {

    /** The value of {@code key} in this mapping. */
    Located child(String key, Node value) {
        return new Located(path.isEmpty() ? key : path + "." + key, value);
    }

    /** Element {@code index} of this sequence. */
    Located element(int index, Node value) {
        return new Located(path + "[" + index + "]", value);
    }
}
