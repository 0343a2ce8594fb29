/**
 * Background resolution of {@code logic.selection.peering.hosts}, so scrapes never wait for DNS.
 *
 * <pre>{@code
 * try (HostResolver hosts = HostResolver.builder()
 *         .hosts(List.of("db.internal", "api.example.com"))
 *         .interval(Duration.ofSeconds(60))
 *         .build()
 *         .start()) {
 *     Set<InetAddress> now = hosts.addresses();   // empty until the first round finishes
 * }
 * }</pre>
 */
package dev.ssexporter.core.resolve;
