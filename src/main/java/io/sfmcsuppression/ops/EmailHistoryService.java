package io.sfmcsuppression.ops;

import jakarta.enterprise.context.ApplicationScoped;

import io.sfmcsuppression.ledger.Ledger;
import io.sfmcsuppression.suppression.OutboxReports;
import io.sfmcsuppression.web.EmailAddress;

/** Everything the service recorded for one address, for the API and the console alike. */
@ApplicationScoped
public class EmailHistoryService {

    /** Determinations shown, newest first; an address with more is a classifier loop, not a history. */
    public static final int MAX_DETERMINATIONS = 1000;

    private final Ledger ledger;
    private final OutboxReports outbox;

    EmailHistoryService(Ledger ledger, OutboxReports outbox) {
        this.ledger = ledger;
        this.outbox = outbox;
    }

    /** The history of the address a caller typed (any case, spaces around it); a 400 problem for none. */
    public EmailHistory of(String address) {
        String normalized = EmailAddress.forLookup(address);
        return new EmailHistory(normalized,
                ledger.forEmail(normalized, MAX_DETERMINATIONS).stream().map(EmailHistory.Determination::of).toList(),
                outbox.forEmail(normalized).stream().map(EmailHistory.Suppression::of).toList());
    }
}
