/**
 * Flow selection ({@code logic.selection}): CIDR networks, port ranges, and the
 * {@link dev.ssexporter.core.selection.FlowSelector} that combines the process, peering and port
 * sections (AND across sections, OR within one, empty means no condition).
 *
 * <pre>{@code
 * Cidr.parse("10.0.0.0/8").contains(InetAddress.ofLiteral("10.1.2.3"));   // true
 * PortRange.of(80, 443).contains(443);                                     // true
 * FlowSelector selector = FlowSelector.of(config.selection(), resolver::addresses);
 * boolean exported = selector.matches(socket, processTable);
 * }</pre>
 */
package dev.ssexporter.core.selection;
