package io.sfmcsuppression.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Builds batch bodies for tests. */
public final class Batches {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String runDate;
    private final List<Map<String, Object>> items = new ArrayList<>();

    private Batches(String runDate) {
        this.runDate = runDate;
    }

    public static Batches batch() {
        return new Batches(null);
    }

    public static Batches batch(String runDate) {
        return new Batches(runDate);
    }

    public Batches inactive(String id, String email, String account) {
        return item(id, email, "INACTIVE", "accountName", account);
    }

    public Batches item(String id, String email, String determination, Object... extra) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", id);
        item.put("email", email);
        item.put("determination", determination);
        for (int i = 0; i < extra.length; i += 2) {
            item.put((String) extra[i], extra[i + 1]);
        }
        items.add(item);
        return this;
    }

    public String json() {
        Map<String, Object> body = new LinkedHashMap<>();
        if (runDate != null) {
            body.put("runDate", runDate);
        }
        body.put("determinations", items);
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
