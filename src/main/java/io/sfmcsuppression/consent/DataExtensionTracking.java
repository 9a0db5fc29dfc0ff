package io.sfmcsuppression.consent;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import io.sfmcsuppression.sfmc.DataExtensionRows;
import io.sfmcsuppression.sfmc.SfmcException;

/**
 * Send counts from a tracking summary data extension ({@code consent.tracking.de-key}) with
 * columns {@code SubscriberKey}, {@code SentCount}, {@code CampaignsAttempted}, filled by a Query
 * Activity over {@code _Sent}/{@code _Job} (see docs/consent.md), read through
 * {@link DataExtensionRows} (filtered on {@code SubscriberKey}, 50 keys per request).
 */
@ApplicationScoped
class DataExtensionTracking implements SendTracking {

    private final DataExtensionRows rows;
    private final ConsentConfig config;

    DataExtensionTracking(DataExtensionRows rows, ConsentConfig config) {
        this.rows = rows;
        this.config = config;
    }

    @Override
    public Map<String, Counts> counts(Collection<String> keys, Optional<String> clientId) {
        String deKey = config.tracking().deKey().orElseThrow(() -> new SfmcException(SfmcException.Kind.REJECTED, 0,
                "consent.tracking.source is data-extension but consent.tracking.de-key is not set", null));
        Map<String, Counts> counts = new HashMap<>();
        for (Map<String, String> row : read(deKey, List.copyOf(keys))) {
            String key = row.get("subscriberkey");
            if (key != null) {
                int sent = number(row.get("sentcount"));
                int attempted = number(row.get("campaignsattempted"));
                counts.put(key, new Counts(sent, attempted, "Tracking data extension " + deKey + ": SentCount=" + sent
                        + ", CampaignsAttempted=" + attempted));
            }
        }
        for (String key : keys) {
            counts.putIfAbsent(key, new Counts(0, 0, "Tracking data extension " + deKey + ": no row"));
        }
        return counts;
    }

    private List<Map<String, String>> read(String deKey, List<String> keys) {
        try {
            return rows.find(deKey, "SubscriberKey", keys);
        } catch (SfmcException e) {
            boolean later = e.kind() != SfmcException.Kind.FAILED || e.status() == 0 || e.status() >= 500;
            throw new SfmcException(later ? e.kind() : SfmcException.Kind.REJECTED, e.status(),
                    "Reading the tracking data extension " + deKey + ": " + e.getMessage(), e.retryAfter().orElse(null));
        } catch (TimeoutException e) {
            throw new SfmcException(SfmcException.Kind.FAILED, 0,
                    "Reading the tracking data extension " + deKey + " took too long", null);
        }
    }

    private static int number(String value) {
        try {
            return value == null || value.isBlank() ? 0 : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
