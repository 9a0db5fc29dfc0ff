package io.sfmcsuppression.sfmc;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Chooses between the live and the mock client (DESIGN rule 3) and keeps what operators need to
 * know about SFMC: which client, why, token health and the last error. The caller says whether the
 * mode allows writes; this package knows nothing about modes beyond that.
 */
@ApplicationScoped
public class SfmcClients {

    /** The effective client and the reason it was chosen. */
    public record Selection(SfmcClient client, String reason) {
        public String kind() {
            return client.kind();
        }
    }

    /** The last SFMC error this replica saw. */
    public record LastError(Instant at, String message) {
    }

    /**
     * @param client     live or mock
     * @param reason     why that client
     * @param token      UP, DOWN, UNKNOWN (live, not checked yet) or NOT_NEEDED (mock)
     * @param tokenDetail what the last token check said (no token or secret in it)
     * @param checkedAt  when the token was last checked
     * @param lastError  the last SFMC error, null when none
     */
    public record Status(String client, String reason, String token, String tokenDetail, Instant checkedAt,
                         LastError lastError) {
    }

    private final SfmcConfig config;
    private final LiveSfmcClient live;
    private final SoapSfmcClient soap;
    private final MockSfmcClient mock;
    private final AtomicReference<LastError> lastError = new AtomicReference<>();

    public SfmcClients(SfmcConfig config, LiveSfmcClient live, SoapSfmcClient soap, MockSfmcClient mock) {
        this.config = config;
        this.live = live;
        this.soap = soap;
        this.mock = mock;
    }

    /**
     * @param writesAllowed whether the mode allows writes to SFMC (only {@code live} does)
     * @param mode          the requested mode, for the reason
     */
    public Selection select(boolean writesAllowed, String mode) {
        if (!writesAllowed) {
            return new Selection(mock, "SUPPRESSION_MODE is " + mode + ", which never writes to SFMC");
        }
        List<String> missing = config.missingCredentials();
        if (!missing.isEmpty()) {
            return new Selection(mock, "SUPPRESSION_MODE is live but " + String.join(", ", missing)
                    + (missing.size() == 1 ? " is" : " are") + " not set");
        }
        if (config.suppressionWrite() == SfmcConfig.SuppressionWrite.SOAP) {
            return new Selection(soap, "SUPPRESSION_MODE is live and SFMC credentials are set; writes over SOAP (SFMC_SUPPRESSION_WRITE=soap)");
        }
        return new Selection(live, "SUPPRESSION_MODE is live and SFMC credentials are set");
    }

    /** Notes an SFMC error for the status page; the message must already be free of secrets. */
    public void recordError(Instant at, String message) {
        lastError.set(new LastError(at, message));
    }

    public Status status(Selection selection) {
        if (selection.client().isMock()) {
            return new Status("mock", selection.reason(), "NOT_NEEDED", null, null, lastError.get());
        }
        SfmcClient.Health health = live.lastHealth();
        String token = health == null ? "UNKNOWN" : health.up() ? "UP" : "DOWN";
        return new Status("live", selection.reason(), token, health == null ? null : health.detail(),
                health == null ? null : health.checkedAt(), lastError.get());
    }
}
