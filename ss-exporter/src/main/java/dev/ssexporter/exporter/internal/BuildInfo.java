package dev.ssexporter.exporter.internal;

import java.util.Objects;

/**
 * The labels of {@code ss_exporter_build_info}.
 *
 * @param version the exporter's version: the jar manifest's {@code Implementation-Version}, or
 *     {@code dev} when running from classes (tests, IDE)
 * @param javaVersion the running JVM's {@code java.version}, e.g. {@code 25.0.1}
 */
public record BuildInfo(String version, String javaVersion) {

    public BuildInfo {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(javaVersion, "javaVersion");
    }

    /** This process's build info; {@code anchor} is a class from the exporter's jar. */
    public static BuildInfo of(Class<?> anchor) {
        String version = anchor.getPackage() == null ? null : anchor.getPackage().getImplementationVersion();
        return new BuildInfo(version == null || version.isBlank() ? "dev" : version,
                System.getProperty("java.version", "unknown"));
    }
}
