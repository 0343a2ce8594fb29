package dev.ssexporter.cli;

import picocli.CommandLine.IVersionProvider;

/**
 * {@code --version}: the exporter's version from the jar manifest's {@code Implementation-Version}
 * and the Java runtime it runs on.
 *
 * <pre>
 * ss-exporter 0.1.0
 * Java 25.0.1+8-LTS (Eclipse Adoptium) at /usr/lib/jvm/temurin-25-jdk-amd64
 * Linux 6.8.0 amd64
 * </pre>
 */
final class VersionProvider implements IVersionProvider {

    /** The manifest's version, or {@code (development build)} when run from classes, not the jar. */
    static String version() {
        String v = VersionProvider.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "ss-exporter " + version(),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ") at "
                    + System.getProperty("java.home"),
            System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                    + System.getProperty("os.arch"),
        };
    }
}
