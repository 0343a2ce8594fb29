/**
 * Aggregates that sum sockets instead of listing flows: socket counts per family and state
 * ({@link dev.ssexporter.core.aggregate.SocketStateCounts}), listener health
 * ({@link dev.ssexporter.core.aggregate.ListenerStats}) and service aggregates
 * ({@link dev.ssexporter.core.aggregate.ServiceStats}), all driven by
 * {@link dev.ssexporter.core.aggregate.Aggregation} from the engine's dump. Their series count is
 * bounded by the configuration, not by the number of sockets.
 */
package dev.ssexporter.core.aggregate;
