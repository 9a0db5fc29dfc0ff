package io.sfmcsuppression.sfmc;

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
}
