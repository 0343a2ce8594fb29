/**
 * The web config: TLS, basic authentication and response headers for the HTTP endpoint, read from
 * a {@code --web.config.file} in the Prometheus exporter-toolkit's format.
 *
 * <pre>{@code
 * WebConfig web = WebConfigLoader.load(Path.of("/etc/ss-exporter/web.yml"));
 * ExporterServer server = ExporterServer.builder().registry(registry).webConfig(web).build().start();
 * }</pre>
 *
 * <p>The keys are described in {@code docs/security.md}.
 */
package dev.ssexporter.exporter.web;
