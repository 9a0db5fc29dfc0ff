package io.sfmcsuppression.sfmc;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Last line of defence for secrets: every SFMC message this package logs, stores or throws passes
 * through here, so the client secret cannot reach a log line, a response or the database even if
 * SFMC (or a library) echoes it. Tokens never enter messages in the first place.
 */
@ApplicationScoped
class Redactor {

    private final String secret;

    Redactor(SfmcConfig config) {
        this.secret = config.clientSecret().filter(s -> s.length() >= 4).orElse(null);
    }

    /**
     * Redacted first, then cut to {@code max} characters: cutting first could leave the start of
     * a secret or token that the pattern no longer recognises.
     */
    String safe(String message, int max) {
        String redacted = redact(message);
        return redacted == null || redacted.length() <= max ? redacted : redacted.substring(0, max) + "...";
    }

    String redact(String message) {
        if (message == null) {
            return null;
        }
        String safe = secret == null ? message : message.replace(secret, "***");
        // Bearer tokens in echoed headers.
        return safe.replaceAll("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+", "$1***")
                .replaceAll("(?i)(\"?access_token\"?\\s*[:=]\\s*\"?)[^\"&,\\s}]+", "$1***");
    }
}
