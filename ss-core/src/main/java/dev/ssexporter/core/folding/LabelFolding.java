package dev.ssexporter.core.folding;

import java.util.Locale;

/** How a socket's identity is folded into the {@code flow} label. */
public enum LabelFolding {
    /** {@code (SRC#<local ip>|<local port>)(DST#<remote ip>|<remote port>)}. */
    RAW_ENDPOINT("raw_endpoint"),
    /** {@code (<pid>[,<pid>...])(DST#<remote ip>|<remote port>)}; sockets with no known owner keep the raw label. */
    PID_CONDENSED("pid_condensed");

    private final String configName;

    LabelFolding(String configName) {
        this.configName = configName;
    }

    /** The name used in the config file, e.g. {@code raw_endpoint}. */
    public String configName() {
        return configName;
    }

    /**
     * Parses a config name.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static LabelFolding parse(String name) {
        for (LabelFolding f : values()) {
            if (f.configName.equals(name.trim().toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown label folding \"" + name
                + "\"; expected \"raw_endpoint\" or \"pid_condensed\"");
    }
}
