/**
 * Label folding ({@code logic.compression.labelFolding}): how a socket becomes a {@code flow}
 * label, and so how many series the exporter emits.
 *
 * <pre>{@code
 * FlowLabeler raw = FlowLabeler.of(LabelFolding.RAW_ENDPOINT);
 * raw.label(socket, procs);        // "(SRC#192.168.10.58|39366)(DST#104.19.199.151|443)"
 * FlowLabeler pids = FlowLabeler.of(LabelFolding.parse("pid_condensed"));
 * pids.label(socket, procs);       // "(20005)(DST#104.19.199.151|443)"
 * }</pre>
 */
package dev.ssexporter.core.folding;
