package io.sfmcsuppression.consent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.sfmcsuppression.web.Problem.ItemError;
import io.sfmcsuppression.web.ProblemException;

/**
 * Turns the {@code send} of a request into a {@link SendConfig}: a configured classification
 * name, or explicit fields. A non-transactional send without a publication list is rejected up
 * front (seed pitfall 4): it would silently fall back to account-level rules only.
 */
@ApplicationScoped
class SendClassifications {

    private final Map<String, ConsentConfig.Classification> byName;

    SendClassifications(ConsentConfig config) {
        this.byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        this.byName.putAll(config.classifications());
    }

    SendConfig resolve(SendInput send) {
        if (send == null) {
            throw invalid("send", "is required: a classification name, or isTransactional and publicationListId");
        }
        List<ItemError> errors = new ArrayList<>();
        String classification = blankToNull(send.classification());
        Boolean transactional = send.isTransactional();
        Optional<String> list = Optional.ofNullable(blankToNull(send.publicationListId()));
        Optional<String> businessUnit = Optional.ofNullable(blankToNull(send.businessUnitId()));
        Boolean honor = send.honorPublicationListOptOutsForTransactionalSends();

        if (classification != null) {
            ConsentConfig.Classification c = byName.get(classification);
            if (c == null) {
                throw invalid("send.classification", "is not a configured send classification; known: " + String.join(", ", byName.keySet()));
            }
            if (transactional != null && transactional != c.transactional()) {
                errors.add(new ItemError(0, null, "send.isTransactional", "contradicts classification " + classification));
            }
            if (honor != null && honor != c.honorPublicationListOptOutsForTransactionalSends()) {
                errors.add(new ItemError(0, null, "send.honorPublicationListOptOutsForTransactionalSends",
                        "contradicts classification " + classification));
            }
            transactional = c.transactional();
            honor = c.honorPublicationListOptOutsForTransactionalSends();
            list = list.or(c::defaultPublicationListId).filter(s -> !s.isBlank());
        }
        if (transactional == null) {
            errors.add(new ItemError(0, null, "send.isTransactional", "is required when no classification is named"));
        } else if (!transactional && list.isEmpty()) {
            errors.add(new ItemError(0, null, "send.publicationListId",
                    "is required for a non-transactional send: without a publication list SFMC applies account-level rules only"));
        }
        if (businessUnit.isPresent() && !businessUnit.get().matches("[0-9]{1,18}")) {
            errors.add(new ItemError(0, null, "send.businessUnitId", "must be the numeric MID of a business unit"));
        }
        if (list.isPresent() && !list.get().matches("[A-Za-z0-9_.\\-]{1,100}")) {
            errors.add(new ItemError(0, null, "send.publicationListId", "must be a numeric list ID or a CustomerKey"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalidItems("The send is not valid.", errors);
        }
        return new SendConfig(classification == null ? null : classification.toUpperCase(java.util.Locale.ROOT),
                transactional, list, businessUnit, Boolean.TRUE.equals(honor));
    }

    Map<String, ConsentConfig.Classification> all() {
        return byName;
    }

    private static ProblemException invalid(String field, String message) {
        return ProblemException.invalidItems("The send is not valid.", List.of(new ItemError(0, null, field, message)));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
