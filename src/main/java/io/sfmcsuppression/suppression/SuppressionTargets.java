package io.sfmcsuppression.suppression;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sfmcsuppression.sfmc.SfmcConfig;

/**
 * Resolves an account to the external key of its Auto-Suppression List. Account names are matched
 * trimmed and case-insensitively; a mapping that is not a JSON object of strings stops startup.
 */
@ApplicationScoped
public class SuppressionTargets {

    /** Where a suppression goes: a data extension key, or the reason it goes nowhere. */
    public record Target(Optional<String> dataExtensionKey, Optional<SkipReason> skipReason) {
        static Target to(String key) {
            return new Target(Optional.of(key), Optional.empty());
        }

        static Target skipped(SkipReason reason) {
            return new Target(Optional.empty(), Optional.of(reason));
        }
    }

    private final Map<String, String> keyByAccount;

    SuppressionTargets(SfmcConfig config, ObjectMapper json) {
        this.keyByAccount = parse(config.suppressionListMapping(), json);
    }

    public Target resolve(String accountName) {
        String key = accountName == null || accountName.isBlank() ? null : keyByAccount.get(normalize(accountName));
        return key == null ? Target.skipped(SkipReason.unrouted(accountName)) : Target.to(key);
    }

    /** Every data extension the mapping names: the suppression lists this service manages. */
    public java.util.Set<String> managedLists() {
        return new java.util.TreeSet<>(keyByAccount.values());
    }

    /** How many accounts are mapped, for the status page. */
    public int mappedAccounts() {
        return keyByAccount.size();
    }

    private static Map<String, String> parse(String mapping, ObjectMapper json) {
        Map<String, String> raw;
        try {
            raw = json.readValue(mapping.isBlank() ? "{}" : mapping, new TypeReference<Map<String, String>>() { });
        } catch (Exception e) {
            throw new IllegalArgumentException("SFMC_SUPPRESSION_LIST_MAPPING must be a JSON object of AccountName to "
                    + "data extension external key, e.g. {\"Acme Weekly\":\"ASL_ACME\"}");
        }
        Map<String, String> byAccount = new TreeMap<>();
        raw.forEach((account, key) -> {
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("SFMC_SUPPRESSION_LIST_MAPPING maps '" + account + "' to an empty key");
            }
            byAccount.put(normalize(account), key.trim());
        });
        return byAccount;
    }

    private static String normalize(String accountName) {
        return accountName.trim().toLowerCase(Locale.ROOT);
    }
}
