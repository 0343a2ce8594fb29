package dev.ssexporter.core.aggregate;

import dev.ssexporter.core.config.AggregationConfig;
import dev.ssexporter.core.histogram.BucketBounds;
import dev.ssexporter.netlink.SocketRecord;
import dev.ssexporter.netlink.TcpState;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The aggregates of {@code logic.aggregation}, fed by the engine one socket at a time. It keeps
 * what must survive between scrapes (the service counters); everything else lives in one
 * {@link Round}.
 *
 * <p>The engine feeds every socket of the <em>census</em> (the states of {@link #censusStates()},
 * no selection, no kernel filter) to {@link Round#census}, and every selected socket to
 * {@link Round#selected}; then {@link Round#finish()} returns the {@link Aggregates}. A round
 * that is never finished (the dump failed) changes nothing.
 *
 * <pre>{@code
 * Aggregation aggregation = Aggregation.of(config.aggregation(), config.metrics().rttBounds());
 * Aggregation.Round round = aggregation.round();
 * reader.dump(censusQuery, round::census);
 * ...for each selected socket: round.selected(s);
 * Aggregates result = round.finish();
 * }</pre>
 */
public final class Aggregation {
    private final AggregationConfig config;
    private final ServiceAggregator services;

    private Aggregation(AggregationConfig config, BucketBounds bounds) {
        this.config = config;
        this.services = config.services().active() ? new ServiceAggregator(config.services(), bounds) : null;
    }

    /**
     * The aggregation {@code config} asks for, with {@code bounds} for the service RTT histograms.
     *
     * @throws IllegalArgumentException when {@code config} switches everything off
     */
    public static Aggregation of(AggregationConfig config, BucketBounds bounds) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(bounds, "bounds");
        if (!config.any()) {
            throw new IllegalArgumentException("logic.aggregation switches every aggregate off");
        }
        return new Aggregation(config, bounds);
    }

    /** The states the census must cover, whatever the selection's states. */
    public Set<TcpState> censusStates() {
        Set<TcpState> s = EnumSet.noneOf(TcpState.class);
        s.addAll(config.socketStates() ? SocketStateCounts.dumpStates() : Set.of());
        if (config.listeners()) {
            s.add(TcpState.LISTEN);
            s.add(TcpState.SYN_RECV);
        }
        if (config.services().active()) {
            s.add(TcpState.LISTEN);
        }
        return s;
    }

    /** Starts one scrape's aggregation. */
    public Round round() {
        return new Round();
    }

    /** One scrape's aggregation; used on one thread. */
    public final class Round {
        private final SocketStateCounts states = config.socketStates() ? new SocketStateCounts() : null;
        private final ListenerTable listeners = config.listeners() ? new ListenerTable() : null;
        private final ServiceAggregator.Round connections = services == null ? null : services.round();

        private Round() {}

        /** A socket of the census: every socket in {@link #censusStates()}, unfiltered. */
        public void census(SocketRecord s) {
            TcpState state = s.state();
            if (states != null) {
                states.add(s.family(), state);
            }
            if (state == TcpState.LISTEN) {
                if (listeners != null) {
                    listeners.listener(s);
                }
                if (connections != null) {
                    connections.listening(s.localPort());
                }
            } else if (state == TcpState.SYN_RECV && listeners != null) {
                listeners.handshake(s);
            }
        }

        /** A socket that passed the selection. */
        public void selected(SocketRecord s) {
            if (connections != null) {
                connections.connection(s);
            }
        }

        /** The results; call once, after the whole dump. */
        public Aggregates finish() {
            ServiceAggregator.Result svc = connections == null ? null : connections.finish();
            return new Aggregates(states == null ? SocketStateCounts.empty() : states.copy(),
                    listeners == null ? List.of() : listeners.finish(),
                    svc == null ? List.of() : svc.services(),
                    svc == null ? 0 : svc.overflowConnections());
        }
    }
}
