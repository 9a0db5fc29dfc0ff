package io.sfmcsuppression.suppression;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.smallrye.health.api.Wellness;
import io.sfmcsuppression.sfmc.SfmcClients;

/**
 * SFMC in {@code /q/health} (and {@code /q/health/well}), never in readiness: an SFMC outage must
 * not take pods out of service, rows simply wait. Reports the last known state; contacts nothing.
 */
@Wellness
@ApplicationScoped
public class SfmcHealthCheck implements HealthCheck {

    private final EffectiveSfmcClient effective;

    SfmcHealthCheck(EffectiveSfmcClient effective) {
        this.effective = effective;
    }

    @Override
    public HealthCheckResponse call() {
        SfmcClients.Status status = effective.status();
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("sfmc")
                .status(!"DOWN".equals(status.token()))
                .withData("client", status.client())
                .withData("reason", status.reason())
                .withData("token", status.token());
        if (status.tokenDetail() != null) {
            builder.withData("tokenDetail", status.tokenDetail());
        }
        return builder.build();
    }
}
