/**
 * Implementation of the exporter, not API: the metric family table, the mapping from a scrape to
 * snapshots, the single-flight gate and the HTTP routes. May change in any release.
 */
package dev.ssexporter.exporter.internal;
