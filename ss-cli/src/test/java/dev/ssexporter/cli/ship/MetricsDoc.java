package dev.ssexporter.cli.ship;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric reference's table in {@code docs/metrics.md}: each exposed name and its type. */
final class MetricsDoc {
    /** A row of the first table: {@code | `name` | type | ...}. */
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z_:][a-z0-9_:]*)` \\| ([a-z][a-z ()]*?) \\|",
            Pattern.MULTILINE);

    private MetricsDoc() {}

    /** Name as exposed in the text format, to the type column ({@code gauge}, {@code counter}, {@code histogram}...). */
    static Map<String, String> families() {
        String doc = Ship.read("docs/metrics.md");
        Map<String, String> families = new LinkedHashMap<>();
        Matcher m = ROW.matcher(doc);
        while (m.find()) {
            families.putIfAbsent(m.group(1), m.group(2).strip());
        }
        if (families.isEmpty()) {
            throw new AssertionError("docs/metrics.md has no table of metrics ('| `name` | type | ...')");
        }
        return families;
    }

    /**
     * Every series name a query may use: the documented names, a histogram's {@code _bucket},
     * {@code _count} and {@code _sum}, and Prometheus' own {@code up}.
     */
    static Set<String> seriesNames() {
        Set<String> names = new TreeSet<>();
        names.add("up");
        families().forEach((name, type) -> {
            if (type.startsWith("histogram")) {
                names.add(name + "_bucket");
                names.add(name + "_count");
                names.add(name + "_sum");
            } else {
                names.add(name);
            }
        });
        return names;
    }
}
