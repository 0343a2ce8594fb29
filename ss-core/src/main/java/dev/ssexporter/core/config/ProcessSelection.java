package dev.ssexporter.core.config;

import java.util.Set;

/**
 * {@code logic.selection.process}: a socket matches when one of its owning processes has one of
 * {@code pids}, or a command name in {@code cmds} (the process name from {@code /proc/PID/comm}
 * or the basename of its executable). Both empty: no condition.
 */
public record ProcessSelection(Set<Integer> pids, Set<String> cmds) {

    public ProcessSelection {
        pids = Set.copyOf(pids);
        cmds = Set.copyOf(cmds);
    }

    public static ProcessSelection none() {
        return new ProcessSelection(Set.of(), Set.of());
    }

    /** Whether this section sets any condition. */
    public boolean isActive() {
        return !pids.isEmpty() || !cmds.isEmpty();
    }
}
