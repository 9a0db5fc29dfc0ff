package io.sfmcsuppression.consent;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import io.sfmcsuppression.sfmc.SfmcDirectory;

/** Send counts from SOAP {@code SentEvent} (sends) and {@code NotSentEvent} (attempts not sent). */
@ApplicationScoped
class SentEventTracking implements SendTracking {

    private static final int MAX_IDS_SHOWN = 10;

    private final SfmcDirectory directory;
    private final ConsentConfig config;
    private final Clock clock;

    SentEventTracking(SfmcDirectory directory, ConsentConfig config, Clock clock) {
        this.directory = directory;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public Map<String, Counts> counts(Collection<String> keys, Optional<String> clientId) {
        Instant since = since(clock, config.tracking().lookback());
        LocalDate from = LocalDate.ofInstant(since, ZoneOffset.UTC);
        Map<String, Counts> counts = new HashMap<>();
        directory.sendHistory(keys, since, clientId).forEach((key, h) -> counts.put(key, new Counts(h.sent().size(),
                h.attempted().size(), "SentEvent/NotSentEvent since " + from + ": " + h.sent().size() + " sent of "
                        + h.attempted().size() + " sends attempted" + sendIds(h))));
        return counts;
    }

    /**
     * Start of the tracking window: midnight UTC {@code lookback} before today. Whole days keep the
     * filter, and so the answer, the same for a whole day (determinism).
     */
    static Instant since(Clock clock, Period lookback) {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minus(lookback).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The first few send ids, enough to look the jobs up in SFMC. */
    private static String sendIds(SfmcDirectory.SendHistory h) {
        if (h.attempted().isEmpty()) {
            return "";
        }
        List<String> shown = h.attempted().stream().limit(MAX_IDS_SHOWN).toList();
        return " (SendIDs " + String.join(",", shown) + (h.attempted().size() > MAX_IDS_SHOWN ? ",..." : "") + ")";
    }
}
