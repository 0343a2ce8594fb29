package dev.ssexporter.core.config;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.parser.Parser;

/**
 * A YAML event stream that stops, with the place in the file, at nesting beyond
 * {@link #MAX_DEPTH} (before the composer's recursion overflows the stack), at more than
 * {@code maxAliases} aliases to lists or mappings (the "billion laughs"), or at a second
 * document. It also remembers where the last event started, to place the composer's errors
 * that carry no mark.
 */
final class GuardedParser implements Parser {
    /** Deeper than any valid config (which nests six levels), far below a stack overflow. */
    static final int MAX_DEPTH = 64;

    private final Parser delegate;
    private final int maxAliases;
    private final Set<String> collectionAnchors = new HashSet<>();
    private int aliases;
    private int depth;
    private int documents;
    private Optional<Mark> lastMark = Optional.empty();

    GuardedParser(Parser delegate, int maxAliases) {
        this.delegate = delegate;
        this.maxAliases = maxAliases;
    }

    /** Thrown when the stream breaks a limit; the loader turns it into a {@link ConfigError}. */
    static final class LimitExceeded extends RuntimeException {
        private final transient Optional<Mark> mark;

        LimitExceeded(String message, Optional<Mark> mark) {
            super(message, null, false, false);
            this.mark = mark;
        }

        Optional<Mark> mark() {
            return mark;
        }
    }

    Optional<Mark> lastMark() {
        return lastMark;
    }

    @Override
    public Event next() {
        Event event = delegate.next();
        lastMark = event.getStartMark();
        countAliases(event);
        switch (event.getEventId()) {
            case SequenceStart, MappingStart -> {
                if (++depth > MAX_DEPTH) {
                    throw new LimitExceeded("nesting is deeper than " + MAX_DEPTH + " levels", lastMark);
                }
            }
            case SequenceEnd, MappingEnd -> depth--;
            case DocumentStart -> {
                if (++documents > 1) {
                    throw new LimitExceeded("a second YAML document starts here; the file must hold one", lastMark);
                }
            }
            default -> {
            }
        }
        return event;
    }

    private void countAliases(Event event) {
        if (event instanceof AliasEvent alias) {
            if (collectionAnchors.contains(alias.getAlias().getValue()) && ++aliases > maxAliases) {
                throw new LimitExceeded("more than " + maxAliases + " aliases to lists or mappings", lastMark);
            }
        } else if (event instanceof NodeEvent node && node.getAnchor().isPresent()) {
            String name = node.getAnchor().get().getValue();
            if (event instanceof CollectionStartEvent) {
                collectionAnchors.add(name);
            } else {
                collectionAnchors.remove(name);
            }
        }
    }

    @Override
    public boolean checkEvent(Event.ID choice) {
        return delegate.checkEvent(choice);
    }

    @Override
    public Event peekEvent() {
        return delegate.peekEvent();
    }

    @Override
    public boolean hasNext() {
        return delegate.hasNext();
    }
}
