package io.sfmcsuppression.web;

import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.logmanager.ExtLogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * The last guard before the console (plain or JSON): any address left in a log line, plain or
 * percent-encoded (as in a request path logged by Quarkus's own error handler), is masked the way
 * {@link EmailAddress} does. The service masks where it logs; this catches what libraries log.
 * Installed by {@code quarkus.log.console.filter=mask-addresses}.
 */
@LoggingFilter(name = "mask-addresses")
public final class AddressMaskingLogFilter implements Filter {

    private static final Pattern ADDRESS = Pattern.compile("([A-Za-z0-9._%+'-])[A-Za-z0-9._%+'-]*(?:@|%40)([A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,})");

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        if (message != null && (message.indexOf('@') >= 0 || message.contains("%40"))) {
            String masked = mask(message);
            if (!masked.equals(message)) {
                if (record instanceof ExtLogRecord ext) {
                    ext.setMessage(masked, ExtLogRecord.FormatStyle.NO_FORMAT);
                } else {
                    record.setMessage(masked);
                }
                record.setParameters(null);
            }
        }
        return true;
    }

    static String mask(String text) {
        Matcher m = ADDRESS.matcher(text);
        return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + "***@" + r.group(2)));
    }
}
