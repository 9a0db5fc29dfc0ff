package io.sfmcsuppression.sfmc;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Salesforce Marketing Cloud settings, under the seed's names (SFMC_*). */
@ConfigMapping(prefix = "sfmc")
public interface SfmcConfig {

    /**
     * JSON object mapping an AccountName (the inbox source) to the external key of that account's
     * Auto-Suppression List data extension (SFMC_SUPPRESSION_LIST_MAPPING).
     */
    @WithDefault("{}")
    String suppressionListMapping();

    /**
     * Base URI of the SOAP API, e.g. {@code https://SUBDOMAIN.soap.marketingcloudapis.com/}
     * (SFMC_SOAP_BASE_URI). When absent, the token response's {@code soap_instance_url} is used.
     */
    Optional<String> soapBaseUri();
}
