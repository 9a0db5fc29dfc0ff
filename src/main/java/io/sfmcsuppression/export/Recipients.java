package io.sfmcsuppression.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The addresses of the N04 mail, checked: a live run never mails to nobody in silence. */
record Recipients(List<String> to, List<String> cc, String from) {

    /** What is configured, missing parts left empty; for recording what would have been sent. */
    static Recipients configured(NotificationConfig config) {
        return new Recipients(clean(config.marketingTo()), clean(config.cc()), config.from().map(String::trim).orElse(""));
    }

    /** The configured recipients, or an error that names each missing or malformed setting. */
    static Recipients require(NotificationConfig config) {
        Recipients recipients = configured(config);
        List<String> problems = new ArrayList<>();
        if (recipients.to().isEmpty()) {
            problems.add("NOTIFICATION_MARKETING_TO (notification.marketing-to) is not set");
        }
        if (recipients.from().isEmpty()) {
            problems.add("NOTIFICATION_FROM (notification.from) is not set");
        }
        List<String> all = new ArrayList<>(recipients.to());
        all.addAll(recipients.cc());
        all.add(recipients.from());
        all.stream().filter(a -> !a.isEmpty() && !looksLikeAddress(a))
                .forEach(a -> problems.add("'" + a + "' is not an email address"));
        if (!problems.isEmpty()) {
            throw new MisconfiguredException("The N04 mail cannot be sent: " + String.join("; ", problems) + ".");
        }
        return recipients;
    }

    private static List<String> clean(Optional<List<String>> addresses) {
        return addresses.orElse(List.of()).stream().map(String::trim).filter(a -> !a.isEmpty()).toList();
    }

    private static boolean looksLikeAddress(String address) {
        int at = address.lastIndexOf('@');
        return at > 0 && at < address.length() - 1 && address.chars().noneMatch(Character::isWhitespace);
    }

    /** The notification settings cannot produce a mail. */
    static final class MisconfiguredException extends IllegalStateException {
        MisconfiguredException(String message) {
            super(message);
        }
    }
}
