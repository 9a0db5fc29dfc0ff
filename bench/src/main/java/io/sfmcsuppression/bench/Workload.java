package io.sfmcsuppression.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Generated determinations for one run, deterministic, in batches: each batch both as the JSON body
 * the service receives and as the rows the service should end up storing, so the baseline writes
 * exactly those rows. The mix: 70 % INACTIVE (1 in 70 of them, 1 % of all rows, to an unmapped account; 1 in 50
 * addresses seen before in the run), 10 % OUT_OF_OFFICE, 10 % ACTIVE, 5 % TITLE_UPDATE,
 * 5 % CHANGED_EMAIL; 1 in 10 in business unit Sales, else Marketing.
 */
final class Workload {

    static final String RUN_DATE = "2026-11-23";

    private static final String[] MAPPED = {"Acme Weekly", "Globex News", "Initech Digest", "Umbrella Briefing"};
    private static final String[] MAPPED_KEYS = {"ASL_ACME", "ASL_GLOBEX", "ASL_INITECH", "ASL_UMBRELLA"};
    private static final String UNMAPPED = "Hooli Letters";
    private static final Instant RECEIVED = Instant.parse("2026-11-23T03:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One determination as the ledger stores it. {@code target} is the data extension key an
     * INACTIVE row is routed to ("" when skipped, null for other types).
     */
    record Row(String id, String runId, String type, String email, String emailNormalized, String accountName,
               String businessUnit, Instant receivedAt, String newTitle, String newEmail, LocalDate returnDate,
               String contentHash, String target) {

        boolean inactive() {
            return "INACTIVE".equals(type);
        }
    }

    /** One request: its rows and its body. */
    record Batch(String runId, List<Row> rows, byte[] body) {
    }

    private Workload() {
    }

    /** {@code batches} batches of {@code size} determinations for the run. */
    static List<Batch> batches(String runId, int batches, int size) {
        List<Batch> all = new ArrayList<>(batches);
        for (int b = 0; b < batches; b++) {
            List<Row> rows = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                rows.add(row(runId, b * size + i));
            }
            all.add(new Batch(runId, rows, body(rows)));
        }
        return all;
    }

    static Row row(String runId, int g) {
        String type = type(g);
        String email = g % 50 == 49 ? email(g - 25) : email(g);
        String account = "INACTIVE".equals(type) && g % 100 == 7 ? UNMAPPED : MAPPED[g % MAPPED.length];
        String businessUnit = g % 10 == 3 ? "Sales" : "Marketing";
        Instant receivedAt = RECEIVED.plusSeconds(g);
        String newTitle = "TITLE_UPDATE".equals(type) ? "VP Sales" : null;
        String newEmail = "CHANGED_EMAIL".equals(type) ? "new." + g + "@example.org" : null;
        LocalDate returnDate = "OUT_OF_OFFICE".equals(type) ? LocalDate.parse("2026-12-01") : null;
        String target = null;
        if ("INACTIVE".equals(type)) {
            target = UNMAPPED.equals(account) ? "" : MAPPED_KEYS[g % MAPPED.length];
        }
        String hash = hash(runId, type, email, account, businessUnit, receivedAt.toString(), newTitle, newEmail,
                returnDate == null ? null : returnDate.toString());
        return new Row(runId + "/msg-" + g, runId, type, email, email.toLowerCase(Locale.ROOT), account, businessUnit,
                receivedAt, newTitle, newEmail, returnDate, hash, target);
    }

    private static String type(int g) {
        int slot = g % 20;
        if (slot < 14) {
            return "INACTIVE";
        } else if (slot < 16) {
            return "OUT_OF_OFFICE";
        } else if (slot < 18) {
            return "ACTIVE";
        } else if (slot < 19) {
            return "TITLE_UPDATE";
        }
        return "CHANGED_EMAIL";
    }

    private static String email(int g) {
        return "Person." + g + "@Example" + (g % 97) + ".com";
    }

    static byte[] body(List<Row> rows) {
        List<Map<String, Object>> items = new ArrayList<>(rows.size());
        for (Row r : rows) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", r.id());
            item.put("email", r.email());
            item.put("determination", r.type());
            item.put("accountName", r.accountName());
            item.put("businessUnit", r.businessUnit());
            item.put("receivedAt", r.receivedAt().toString());
            putIfSet(item, "newTitle", r.newTitle());
            putIfSet(item, "newEmail", r.newEmail());
            putIfSet(item, "returnDate", r.returnDate() == null ? null : r.returnDate().toString());
            items.add(item);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("runDate", RUN_DATE);
        body.put("determinations", items);
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putIfSet(Map<String, Object> item, String key, String value) {
        if (value != null) {
            item.put(key, value);
        }
    }

    /** The service's content hash (intake/BatchValidator), so the baseline stores identical rows. */
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
