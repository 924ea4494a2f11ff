package org.diffeo4j.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.diffeo4j.stability.Summary;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The one JSON writer: no NaN or Infinity is ever written; an optional value is null (issue 21, item 5). */
class StrictJsonTest {
    @Test
    void aNonFiniteNumberIsARunFailureNamingWhereItIs() {
        Map<String, Object> fit = new LinkedHashMap<>();
        fit.put("slope", -1.0);
        fit.put("slope_err", Double.NaN);
        Map<String, Object> root = Map.of("fit", fit);
        StrictJson.NonFiniteNumberException e = assertThrows(StrictJson.NonFiniteNumberException.class, () -> StrictJson.pretty(root, "stripe's JSON"));
        assertEquals("stripe's JSON: fit.slope_err is NaN, which JSON cannot hold and which may not be undefined here; nothing was written",
                e.getMessage());
        // A failure of the run (exit 1), never read as bad input (exit 2).
        assertInstanceOf(IllegalStateException.class, e);

        JsonObject o = new JsonObject();
        JsonArray values = new JsonArray();
        values.add(1.0);
        values.add(Double.POSITIVE_INFINITY);
        o.add("values", values);
        assertEquals("cells.jsonl: values[1] is Infinity, which JSON cannot hold and which may not be undefined here; nothing was written",
                assertThrows(StrictJson.NonFiniteNumberException.class, () -> StrictJson.line(o, "cells.jsonl")).getMessage());
        assertThrows(StrictJson.NonFiniteNumberException.class, () -> StrictJson.line(new Summary(Float.NEGATIVE_INFINITY, 0, new double[]{1}), "x"));
        assertThrows(StrictJson.NonFiniteNumberException.class, () -> StrictJson.line(List.of(new double[]{Double.NaN}), "x"));
    }

    @Test
    void anOptionalValueIsNullAndTheRestAsGsonWritesIt() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("slope", StrictJson.optional(-1.5));
        m.put("slope_err", StrictJson.optional(Double.NaN));
        m.put("points", 2);
        m.put("net", "f(x) = <relu>");
        assertEquals("{\"slope\":-1.5,\"slope_err\":null,\"points\":2,\"net\":\"f(x) = <relu>\"}", StrictJson.line(m, "x"));
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("slope_err", null);
        assertEquals("{\n  \"slope_err\": null\n}\n", StrictJson.pretty(n, "x"));
    }
}
