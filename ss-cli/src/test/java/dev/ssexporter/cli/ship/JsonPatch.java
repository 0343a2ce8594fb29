package dev.ssexporter.cli.ship;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies an RFC 6902 JSON patch ({@code add}, {@code replace}, {@code remove}) to a YAML document
 * loaded as maps and lists, the way kustomize applies the patches in deploy/kubernetes overlays.
 * Returns a patched deep copy; a path that does not resolve fails.
 */
final class JsonPatch {
    private JsonPatch() {}

    static Object apply(Object document, List<Object> operations) {
        Object doc = copy(document);
        for (Object o : operations) {
            Map<String, Object> op = Ship.map(o, "patch operation");
            String path = (String) op.get("path");
            String kind = (String) op.get("op");
            List<String> tokens = new ArrayList<>();
            for (String t : path.substring(1).split("/", -1)) {
                tokens.add(t.replace("~1", "/").replace("~0", "~"));
            }
            Object parent = doc;
            for (String t : tokens.subList(0, tokens.size() - 1)) {
                parent = child(parent, t, path);
            }
            String last = tokens.getLast();
            Object value = copy(op.get("value"));
            if (parent instanceof Map<?, ?>) {
                Map<String, Object> m = Ship.map(parent, path);
                if (!kind.equals("add") && !m.containsKey(last)) {
                    throw new AssertionError(kind + " " + path + ": no key " + last);
                }
                switch (kind) {
                    case "add", "replace" -> m.put(last, value);
                    case "remove" -> m.remove(last);
                    default -> throw new AssertionError("unsupported op " + kind);
                }
            } else {
                List<Object> l = Ship.list(parent, path);
                int i = last.equals("-") ? l.size() : Integer.parseInt(last);
                switch (kind) {
                    case "add" -> l.add(i, value);
                    case "replace" -> l.set(i, value);
                    case "remove" -> l.remove(i);
                    default -> throw new AssertionError("unsupported op " + kind);
                }
            }
        }
        return doc;
    }

    private static Object child(Object parent, String token, String path) {
        if (parent instanceof Map<?, ?> m) {
            if (!m.containsKey(token)) {
                throw new AssertionError(path + ": no key " + token);
            }
            return m.get(token);
        }
        return Ship.list(parent, path).get(Integer.parseInt(token));
    }

    private static Object copy(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> c = new LinkedHashMap<>();
            m.forEach((k, v) -> c.put((String) k, copy(v)));
            return c;
        }
        if (value instanceof List<?> l) {
            List<Object> c = new ArrayList<>();
            l.forEach(v -> c.add(copy(v)));
            return c;
        }
        return value;
    }
}
