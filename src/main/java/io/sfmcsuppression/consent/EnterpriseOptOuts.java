package io.sfmcsuppression.consent;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * The enterprise-wide opt-outs this service has recorded, as the resolver needs them: each blocks
 * every business unit from the moment it is recorded. The opt-outs package keeps them and depends
 * on this one (audit log, key formats); it implements this interface so that the resolver reads
 * them without an arrow back.
 */
public interface EnterpriseOptOuts {

    /** An enterprise-wide opt-out as the resolver cites it; {@code state} is PENDING, CONFIRMED or FAILED. */
    record Recorded(long id, String state, Instant receivedAt) {
    }

    /** The first enterprise-wide opt-out of each of {@code keys}, whatever its state: recorded is enough for it to block. */
    Map<String, Recorded> enterpriseOptOuts(Collection<String> keys);
}
