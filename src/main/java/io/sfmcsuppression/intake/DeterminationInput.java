package io.sfmcsuppression.intake;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One determination as the upstream classifier posts it (DESIGN section 4). */
@Schema(name = "Determination")
public record DeterminationInput(
        @Schema(description = "Idempotency key across the whole service", example = "msg-8841/1")
        @NotBlank @Size(max = 200) String id,
        @Schema(example = "jane.doe@acme.org")
        @NotBlank @Size(max = 254) String email,
        @Schema(enumeration = {"INACTIVE", "ACTIVE", "TITLE_UPDATE", "OUT_OF_OFFICE", "CHANGED_EMAIL"}, example = "INACTIVE")
        @NotBlank String determination,
        @Schema(description = "Inbox source; selects the Auto-Suppression List", example = "Acme Weekly")
        @Size(max = 256) String accountName,
        @Schema(description = "Defaults to deliverables.default-business-unit", example = "Marketing")
        @Pattern(regexp = "[A-Za-z0-9 _.-]{1,64}", message = "must be 1 to 64 of A-Z, a-z, 0-9, space, '_', '.', '-'")
        String businessUnit,
        @Schema(description = "ISO-8601 instant", example = "2026-11-23T03:12:00Z")
        String receivedAt,
        @Size(max = 256) String newTitle,
        @Size(max = 254) String newEmail,
        @Schema(description = "ISO-8601 date", example = "2026-12-01")
        String returnDate) {
}
