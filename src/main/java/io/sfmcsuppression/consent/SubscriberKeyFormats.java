package io.sfmcsuppression.consent;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The subscriber key formats this installation accepts (seed pitfall 7: one key format everywhere,
 * or lookups miss and look like eligibility). Configured by {@code consent.subscriber-key.*}.
 */
@ApplicationScoped
public class SubscriberKeyFormats {

    /** SFMC's SubscriberKey limit. */
    static final int MAX_LENGTH = 254;

    private static final Pattern EMAIL = Pattern.compile("[^@\\s\\p{Cntrl}]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final List<Pattern> accepted = new ArrayList<>();
    private final String description;

    SubscriberKeyFormats(ConsentConfig config) {
        List<String> names = new ArrayList<>();
        for (String raw : config.subscriberKey().formats()) {
            String name = raw.trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "email" -> accepted.add(EMAIL);
                case "sha256" -> accepted.add(SHA256);
                case "uuid" -> accepted.add(UUID);
                case "pattern" -> accepted.add(Pattern.compile(config.subscriberKey().pattern().orElseThrow(() ->
                        new IllegalArgumentException("consent.subscriber-key.formats names 'pattern' but consent.subscriber-key.pattern is not set"))));
                default -> throw new IllegalArgumentException("Unknown subscriber key format '" + raw
                        + "' in consent.subscriber-key.formats (email, sha256, uuid, pattern)");
            }
            names.add(name);
        }
        if (accepted.isEmpty()) {
            throw new IllegalArgumentException("consent.subscriber-key.formats must name at least one format");
        }
        description = String.join(", ", names);
    }

    /** Why a key is not acceptable, or empty when it is. */
    public Optional<String> problem(String key) {
        if (key == null || key.isEmpty()) {
            return Optional.of("is empty");
        }
        if (key.length() > MAX_LENGTH) {
            return Optional.of("is longer than " + MAX_LENGTH + " characters");
        }
        if (!key.equals(key.strip())) {
            return Optional.of("has leading or trailing white space");
        }
        for (Pattern p : accepted) {
            if (p.matcher(key).matches()) {
                return Optional.empty();
            }
        }
        return Optional.of("does not match an accepted subscriber key format (" + description + ")");
    }
}
