package io.sfmcsuppression.intake;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import io.sfmcsuppression.web.PlainText;

/** The address rules of DESIGN section 4, for intake and for imports of suppressions. */
public final class EmailAddresses {

    /** One '@', something on each side, a dot in the domain, no spaces. Unicode is allowed. */
    private static final Pattern SHAPE = Pattern.compile("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+");
    /** Control characters, and invisible format characters such as zero-width spaces and bidi overrides. */
    private static final Pattern INVISIBLE = Pattern.compile("[\\p{Cc}\\p{Cf}]");

    private EmailAddresses() {
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
        if (trimmed.length() > 254) {
            return Optional.of("must be at most 254 characters");
        }
        if (!SHAPE.matcher(trimmed).matches()) {
            return Optional.of("is not an email address");
        }
        return Optional.empty();
    }

    /** The form used to match, upsert and export: the whole address lower-cased. */
    public static String normalize(String trimmed) {
        return trimmed.toLowerCase(Locale.ROOT);
    }
}
