package io.sfmcsuppression.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Request paths as logs may show them: a segment holding an address ({@code /api/v1/emails/{email}})
 * is masked like any address ({@code /api/v1/emails/j***@acme.org}), whether sent plain or
 * percent-encoded; the rest of the path stays as it was.
 */
public final class RequestPaths {

    private RequestPaths() {
    }

    public static String mask(String path) {
        if (path == null || (path.indexOf('@') < 0 && !path.contains("%40"))) {
            return path;
        }
        String[] segments = path.split("/", -1);
        StringBuilder masked = new StringBuilder(path.length());
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                masked.append('/');
            }
            masked.append(maskSegment(segments[i]));
        }
        return masked.toString();
    }

    private static String maskSegment(String segment) {
        String decoded;
        try {
            decoded = URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            decoded = segment;
        }
        return decoded.indexOf('@') < 0 ? segment : EmailAddress.mask(decoded);
    }
}
