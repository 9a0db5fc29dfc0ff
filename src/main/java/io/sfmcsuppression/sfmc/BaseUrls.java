package io.sfmcsuppression.sfmc;

import java.net.URI;

/**
 * SFMC hands out instance URLs with or without scheme and trailing slash
 * ({@code mcxxx.rest.marketingcloudapis.com}, {@code https://mcxxx.rest.marketingcloudapis.com/}).
 */
final class BaseUrls {

    private BaseUrls() {
    }

    /** Adds https:// when no scheme is given and removes trailing slashes. */
    static URI normalise(String url) {
        String trimmed = url.trim();
        if (!trimmed.contains("://")) {
            trimmed = "https://" + trimmed;
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return URI.create(trimmed);
    }
}
