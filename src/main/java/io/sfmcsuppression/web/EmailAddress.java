package io.sfmcsuppression.web;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Email addresses, one set of rules for the whole service: what intake and imports accept (DESIGN
 * section 4), the one form addresses are stored, matched, upserted and exported in, and how they
 * appear in logs. Addresses travel as {@code String}s in records and rows (a wrapper per row would
 * cost the intake path an object per determination and every row mapper a conversion); every place
 * that checks, normalises or masks one calls this class.
 */
public final class EmailAddress {

    /** One '@', something on each side, a dot in the domain, no spaces. Unicode is allowed. */
    private static final Pattern SHAPE = Pattern.compile("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+");
    /** Control characters, and invisible format characters such as zero-width spaces and bidi overrides. */
    private static final Pattern INVISIBLE = Pattern.compile("[\\p{Cc}\\p{Cf}]");
    private static final int MAX_LENGTH = 254;

    private EmailAddress() {
    }

    /** What is wrong with a trimmed address, if anything. */
    public static Optional<String> problem(String trimmed) {
        if (trimmed.isEmpty()) {
            return Optional.of("must not be blank");
        }
        if (INVISIBLE.matcher(trimmed).find() || !PlainText.isWellFormed(trimmed)) {
            return Optional.of("must not contain control, invisible or malformed Unicode characters");
        }
        char first = trimmed.charAt(0);
        if (first == '=' || first == '+' || first == '-' || first == '@') {
            return Optional.of("must not start with '" + first + "' (a spreadsheet would run it as a formula)");
        }
        if (trimmed.length() > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters");
        }
        if (!SHAPE.matcher(trimmed).matches()) {
            return Optional.of("is not an email address");
        }
        return Optional.empty();
    }

    /** The form used to store, match, upsert and export: trimmed, the whole address lower-cased. */
    public static String normalize(String address) {
        return address.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * A caller's address to look up, normalised; any text is allowed (an address that intake would
     * refuse may still be in SFMC's data), but not none and not more than an address can hold.
     */
    public static String forLookup(String address) {
        String normalized = address == null ? "" : normalize(address);
        if (normalized.isEmpty() || normalized.length() > MAX_LENGTH) {
            throw ProblemException.badRequest("Give one email address of at most " + MAX_LENGTH + " characters.");
        }
        return normalized;
    }

    /** For logs: {@code jane.doe@acme.org} becomes {@code j***@acme.org}. */
    public static String mask(String email) {
        if (email == null || email.isEmpty()) {
            return "";
        }
        int at = email.lastIndexOf('@');
        if (at <= 0) {
            return "***";
        }
        return email.charAt(0) + "***" + email.substring(at);
    }
}
