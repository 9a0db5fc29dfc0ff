package io.sfmcsuppression.intake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import io.sfmcsuppression.config.DeliverablesConfig;
import io.sfmcsuppression.ledger.Determination;
import io.sfmcsuppression.ledger.DeterminationType;
import io.sfmcsuppression.web.EmailAddress;
import io.sfmcsuppression.web.Problem.ItemError;
import io.sfmcsuppression.web.ProblemException;
import io.sfmcsuppression.web.PlainText;

/**
 * Checks a whole batch before anything is stored and turns its items into ledger
 * determinations. Every bad item is reported, not only the first.
 */
@ApplicationScoped
class BatchValidator {

    /** A batch that passed: its run date, if named, and its determinations in order. */
    record ValidBatch(Optional<LocalDate> runDate, List<Determination> determinations) {
    }

    private final Validator validator;
    private final IntakeConfig intake;
    private final DeliverablesConfig deliverables;

    BatchValidator(Validator validator, IntakeConfig intake, DeliverablesConfig deliverables) {
        this.validator = validator;
        this.intake = intake;
        this.deliverables = deliverables;
    }

    ValidBatch validate(String runId, DeterminationBatch batch) {
        if (batch == null) {
            throw ProblemException.badRequest("The body must be a JSON object with a 'determinations' array.");
        }
        List<DeterminationInput> items = batch.determinations();
        List<ItemError> errors = new ArrayList<>();
        Optional<LocalDate> runDate = parseRunDate(batch.runDate(), errors);
        if (items == null || items.isEmpty()) {
            throw ProblemException.invalidItems("A batch needs at least one determination.",
                    List.of(new ItemError(-1, null, "determinations", "must hold at least one determination")));
        }
        if (items.size() > intake.maxBatchSize()) {
            throw ProblemException.tooLarge("A batch holds at most " + intake.maxBatchSize() + " determinations (intake.max-batch-size); this one holds "
                    + items.size() + ". Split it.");
        }
        List<Determination> determinations = new ArrayList<>(items.size());
        for (int index = 0; index < items.size(); index++) {
            Determination d = toDetermination(runId, index, items.get(index), errors);
            if (d != null) {
                determinations.add(d);
            }
        }
        if (!errors.isEmpty()) {
            errors.sort(Comparator.comparingInt(ItemError::index).thenComparing(e -> e.field() == null ? "" : e.field()));
            throw ProblemException.invalidItems(errors.size() + " problem(s) in the batch; nothing was stored.", errors);
        }
        return new ValidBatch(runDate, determinations);
    }

    private static Optional<LocalDate> parseRunDate(String runDate, List<ItemError> errors) {
        if (runDate == null || runDate.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(runDate.trim()));
        } catch (DateTimeParseException e) {
            errors.add(new ItemError(-1, null, "runDate", "must be an ISO-8601 date (YYYY-MM-DD)"));
            return Optional.empty();
        }
    }

    private Determination toDetermination(String runId, int index, DeterminationInput item, List<ItemError> errors) {
        if (item == null) {
            errors.add(new ItemError(index, null, null, "must be an object"));
            return null;
        }
        int before = errors.size();
        String id = item.id();
        for (ConstraintViolation<DeterminationInput> v : validator.validate(item)) {
            errors.add(new ItemError(index, id, v.getPropertyPath().toString(), v.getMessage()));
        }
        PlainText.problem(id).ifPresent(p -> errors.add(new ItemError(index, id, "id", p)));
        PlainText.problem(item.accountName()).ifPresent(p -> errors.add(new ItemError(index, id, "accountName", p)));
        PlainText.problem(item.newTitle()).ifPresent(p -> errors.add(new ItemError(index, id, "newTitle", p)));
        DeterminationType type = parseType(item.determination(), index, id, errors);
        String email = item.email() == null ? null : item.email().trim();
        if (email != null && !email.isEmpty()) {
            EmailAddress.problem(email).ifPresent(p -> errors.add(new ItemError(index, id, "email", p)));
        }
        String newEmail = blankToNull(item.newEmail());
        if (newEmail != null) {
            EmailAddress.problem(newEmail).ifPresent(p -> errors.add(new ItemError(index, id, "newEmail", p)));
        }
        Instant receivedAt = parseInstant(item.receivedAt(), index, id, errors);
        LocalDate returnDate = parseDate(item.returnDate(), index, id, errors);
        if (errors.size() > before) {
            return null;
        }
        String accountName = blankToNull(item.accountName());
        String businessUnit = Optional.ofNullable(blankToNull(item.businessUnit())).orElse(deliverables.defaultBusinessUnit());
        String newTitle = blankToNull(item.newTitle());
        String hash = hash(runId, type.name(), email, accountName, businessUnit,
                receivedAt == null ? null : receivedAt.toString(), newTitle, newEmail,
                returnDate == null ? null : returnDate.toString());
        return new Determination(id, runId, type, email, EmailAddress.normalize(email), accountName, businessUnit,
                receivedAt, newTitle, newEmail, returnDate, hash);
    }

    private static DeterminationType parseType(String value, int index, String id, List<ItemError> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return DeterminationType.valueOf(value.trim());
        } catch (IllegalArgumentException e) {
            errors.add(new ItemError(index, id, "determination",
                    "must be one of INACTIVE, ACTIVE, TITLE_UPDATE, OUT_OF_OFFICE, CHANGED_EMAIL"));
            return null;
        }
    }

    private static Instant parseInstant(String value, int index, String id, List<ItemError> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.trim()).toInstant();
        } catch (DateTimeParseException e) {
            errors.add(new ItemError(index, id, "receivedAt", "must be an ISO-8601 date-time with offset, e.g. 2026-11-23T03:12:00Z"));
            return null;
        }
    }

    private static LocalDate parseDate(String value, int index, String id, List<ItemError> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            errors.add(new ItemError(index, id, "returnDate", "must be an ISO-8601 date (YYYY-MM-DD)"));
            return null;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** SHA-256 over every field the caller sent, so "same id, other content" is detectable. */
    private static String hash(String... fields) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String field : fields) {
                digest.update(field == null ? new byte[] {0} : field.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0x1f);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
