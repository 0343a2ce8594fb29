package dev.ssexporter.cli.ship;

import java.util.ArrayList;
import java.util.List;

/** The repository's Dockerfile as instructions: continuation lines joined, comments dropped. */
record Dockerfile(List<String[]> lines) {
    static Dockerfile read() {
        String text = Ship.read("Dockerfile").replaceAll("\\\\\\n", " ");
        List<String[]> lines = new ArrayList<>();
        for (String line : text.lines().toList()) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int space = l.indexOf(' ');
            lines.add(new String[] {l.substring(0, space).toUpperCase(java.util.Locale.ROOT),
                l.substring(space + 1).strip().replaceAll("\\s+", " ")});
        }
        return new Dockerfile(lines);
    }

    /** The arguments of every instruction {@code name}, in order. */
    List<String> instructions(String name) {
        return lines.stream().filter(l -> l[0].equals(name)).map(l -> l[1]).toList();
    }

    /** The default of build argument {@code name}. */
    String arg(String name) {
        return instructions("ARG").stream().filter(a -> a.startsWith(name + "=")).map(a -> a.substring(name.length() + 1))
                .findFirst().orElseThrow(() -> new AssertionError("no ARG " + name));
    }

    /** The exec-form ENTRYPOINT of the final stage. */
    List<String> entrypoint() {
        return execForm("ENTRYPOINT");
    }

    /** The exec-form CMD of the final stage. */
    List<Object> cmd() {
        return new ArrayList<>(execForm("CMD"));
    }

    private List<String> execForm(String name) {
        List<String> all = instructions(name);
        if (all.isEmpty()) {
            throw new AssertionError("the Dockerfile has no " + name);
        }
        Object parsed = MiniJson.parse(all.getLast());
        List<String> words = new ArrayList<>();
        for (Object o : Ship.list(parsed, name + " (exec form, a JSON array)")) {
            words.add((String) o);
        }
        return words;
    }
}
