package io.sfmcsuppression.suppression;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.sfmcsuppression.sfmc.SfmcClient;
import io.sfmcsuppression.sfmc.SfmcClients;

/**
 * The SFMC client this service uses, chosen once at startup from SUPPRESSION_MODE (DESIGN rule 3):
 * {@code live} prefers the real client and falls back to the mock when credentials are missing;
 * {@code read-only} and {@code dry-run} always use the mock. Choosing contacts nothing.
 */
@ApplicationScoped
public class EffectiveSfmcClient {

    private final SuppressionConfig config;
    private final SfmcClients clients;
    private final SfmcClients.Selection selection;

    public EffectiveSfmcClient(SuppressionConfig config, SfmcClients clients) {
        this.config = config;
        this.clients = clients;
        this.selection = clients.select(config.mode() == SuppressionMode.LIVE, config.mode().value());
    }

    void logAtStartup(@Observes StartupEvent event) {
        Log.infof("SFMC client: %s (%s)", selection.kind(), selection.reason());
    }

    public SfmcClient client() {
        return selection.client();
    }

    /** What GET /api/v1/status shows about SFMC. */
    public SfmcClients.Status status() {
        return clients.status(selection);
    }

    public SuppressionMode requestedMode() {
        return config.mode();
    }
}
