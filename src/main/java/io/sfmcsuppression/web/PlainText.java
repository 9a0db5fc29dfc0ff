package io.sfmcsuppression.web;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rule for free-text fields (a determination's id, accountName, newTitle; an opt-out's reason
 * and source): no control characters, no Unicode noncharacters and no broken UTF-16. PostgreSQL
 * cannot store NUL, a lone surrogate cannot be encoded as UTF-8 at all, and SFMC's XML API refuses
 * control characters and noncharacters, so a stored opt-out with them could never be written.
 */
public final class PlainText {

    private static final Pattern CONTROL = Pattern.compile("\\p{Cc}");

    private PlainText() {
    }

    public static Optional<String> problem(String value) {
        if (value == null) {
            return Optional.empty();
        }
        if (CONTROL.matcher(value).find() || !isWellFormed(value) || hasNoncharacter(value)) {
            return Optional.of("must not contain control characters, Unicode noncharacters or malformed Unicode");
        }
        return Optional.empty();
    }

    /** U+FDD0..U+FDEF and the last two code points of every plane are reserved as noncharacters. */
    static boolean hasNoncharacter(String value) {
        return value.codePoints().anyMatch(cp -> (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE);
    }

    /** True when every surrogate is part of a pair. */
    public static boolean isWellFormed(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
