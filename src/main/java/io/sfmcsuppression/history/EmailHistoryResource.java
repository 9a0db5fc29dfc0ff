package io.sfmcsuppression.history;

import java.util.List;
import java.util.Locale;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.sfmcsuppression.ledger.Ledger;
import io.sfmcsuppression.security.Roles;
import io.sfmcsuppression.suppression.SuppressionOutbox;
import io.sfmcsuppression.web.ProblemException;

/** What the service knows about one address: its determinations and its suppressions. */
@Path("/api/v1/emails/{email}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "history")
public class EmailHistoryResource {

    /** The history of one address, matched case-insensitively. */
    public record EmailHistory(String email, List<Ledger.Entry> determinations, List<SuppressionOutbox.Entry> suppressions) {
    }

    private static final int MAX_ENTRIES = 1000;

    private final Ledger ledger;
    private final SuppressionOutbox outbox;

    EmailHistoryResource(Ledger ledger, SuppressionOutbox outbox) {
        this.ledger = ledger;
        this.outbox = outbox;
    }

    @GET
    @RolesAllowed(Roles.READ)
    @Operation(summary = "History of one address",
            description = "Every determination (newest first, at most 1000) and every suppression of the address.")
    public EmailHistory get(@PathParam("email") String email) {
        String normalized = email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
        if (normalized.isEmpty() || normalized.length() > 254) {
            throw ProblemException.badRequest("Give one email address of at most 254 characters.");
        }
        List<Ledger.Entry> determinations = ledger.forEmail(normalized, MAX_ENTRIES);
        List<SuppressionOutbox.Entry> suppressions = outbox.forEmail(normalized);
        if (determinations.isEmpty() && suppressions.isEmpty()) {
            throw ProblemException.notFound("No determination was ever recorded for this address.");
        }
        return new EmailHistory(normalized, determinations, suppressions);
    }
}
