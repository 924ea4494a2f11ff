package org.diffeo4j.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;

import java.util.Map;

/**
 * The one JSON writer of result files, journals and JSON on stdout (issue 21, item 5): strict JSON
 * (RFC 8259), which has no NaN or Infinity. A value that may be undefined is optional and written as
 * {@code null} — the caller says so with {@link #optional(double)} and says why in the file or the
 * legend ("n/a"); any other non-finite number is a bug of the run, refused with
 * {@link NonFiniteNumberException} before anything is written. Nulls are written, not dropped (an
 * optional value is there, and undefined); strings are not HTML-escaped ({@code =} stays {@code =}).
 *
 * <p>{@code value} is anything Gson serialises: maps, lists, arrays, records, Gson's own trees.
 */
public final class StrictJson {
    /** Turns the value into a tree, NaN and infinities included, so that {@link #check} can name where they are. */
    private static final Gson TREE = new GsonBuilder().serializeSpecialFloatingPointValues().serializeNulls().disableHtmlEscaping().create();
    /** Writes the checked tree; being strict, it would also refuse a non-finite number the check missed. */
    private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create();
    private static final Gson LINE = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    /** A number that must be finite is not: the run failed (exit 1), this is not bad input. */
    public static final class NonFiniteNumberException extends IllegalStateException {
        NonFiniteNumberException(String message) {
            super(message);
        }
    }

    private StrictJson() {
    }

    /**
     * Indented JSON text with a final newline.
     *
     * @param value not modified
     * @param what what is written, for the message ("stripe's JSON", "cells.jsonl")
     * @throws NonFiniteNumberException where a number is NaN or infinite
     */
    public static String pretty(Object value, String what) {
        return PRETTY.toJson(checked(value, what)) + "\n";
    }

    /** One line of JSON without its newline (a journal line); as {@link #pretty}. */
    public static String line(Object value, String what) {
        return LINE.toJson(checked(value, what));
    }

    /** {@code v} when it is finite, else null: for a value that may be undefined (say why beside it). */
    public static Double optional(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static JsonElement checked(Object value, String what) {
        JsonElement tree = value instanceof JsonElement e ? e : TREE.toJsonTree(value);
        check(tree, "", what);
        return tree;
    }

    private static void check(JsonElement e, String path, String what) {
        if (e.isJsonObject()) {
            for (Map.Entry<String, JsonElement> m : e.getAsJsonObject().entrySet()) {
                check(m.getValue(), path.isEmpty() ? m.getKey() : path + "." + m.getKey(), what);
            }
        } else if (e.isJsonArray()) {
            for (int i = 0; i < e.getAsJsonArray().size(); i++) {
                check(e.getAsJsonArray().get(i), path + "[" + i + "]", what);
            }
        } else if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            double d = number(e.getAsJsonPrimitive());
            if (!Double.isFinite(d)) {
                throw new NonFiniteNumberException(what + ": " + (path.isEmpty() ? "the value" : path) + " is " + d
                        + ", which JSON cannot hold and which may not be undefined here; nothing was written");
            }
        }
    }

    private static double number(JsonPrimitive p) {
        Number n = p.getAsNumber();
        // Integers are finite whatever their size; a number parsed leniently ("NaN" read back) is not.
        boolean integer = n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
                || n instanceof java.math.BigInteger || n instanceof java.math.BigDecimal;
        return integer ? 0 : n.doubleValue();
    }
}
