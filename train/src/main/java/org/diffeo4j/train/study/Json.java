package org.diffeo4j.train.study;

import org.diffeo4j.validate.BadInputException;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.util.Set;
import java.util.TreeSet;

/** Typed reads of a study file's JSON with one-line errors naming the key, the expected and the found value. */
final class Json {
    private Json() {
    }

    static void known(JsonObject o, String where, Set<String> keys) {
        for (String k : new TreeSet<>(o.keySet())) {
            if (!keys.contains(k)) {
                throw new BadInputException(where + " must have only the keys " + new TreeSet<>(keys) + ", found unknown key '" + k + "'");
            }
        }
    }

    static JsonObject object(JsonElement e, String key) {
        if (e == null || !e.isJsonObject()) {
            throw new BadInputException(key + " must be a JSON object, found " + e);
        }
        return e.getAsJsonObject();
    }

    static JsonArray array(JsonObject o, String key, boolean required) {
        if (!o.has(key)) {
            if (required) {
                throw new BadInputException(key + " must be given, found none");
            }
            return new JsonArray();
        }
        JsonElement e = o.get(key);
        if (!e.isJsonArray()) {
            throw new BadInputException(key + " must be a JSON array, found " + e);
        }
        return e.getAsJsonArray();
    }

    static String string(JsonObject o, String key, String fallback) {
        if (!o.has(key)) {
            if (fallback == null) {
                throw new BadInputException(key + " must be given, found none");
            }
            return fallback;
        }
        return asString(o.get(key), key);
    }

    static String asString(JsonElement e, String key) {
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new BadInputException(key + " must be a string, found " + e);
        }
        return e.getAsString();
    }

    static double number(JsonObject o, String key, double fallback) {
        return o.has(key) ? asDouble(o.get(key), key) : fallback;
    }

    static double asDouble(JsonElement e, String key) {
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new BadInputException(key + " must be a number, found " + e);
        }
        return e.getAsDouble();
    }

    static long asLong(JsonElement e, String key) {
        double d = asDouble(e, key);
        if (d != Math.rint(d) || Math.abs(d) > 1L << 53) {
            throw new BadInputException(key + " must be an integer, found " + e);
        }
        return (long) d;
    }

    static int positiveInt(JsonObject o, String key, int fallback) {
        return o.has(key) ? positiveInt(o.get(key), key) : fallback;
    }

    static int positiveInt(JsonElement e, String key) {
        long v = asLong(e, key);
        if (v < 1 || v > Integer.MAX_VALUE) {
            throw new BadInputException(key + " must be an integer >= 1, found " + e);
        }
        return (int) v;
    }

    static boolean bool(JsonObject o, String key, boolean fallback) {
        if (!o.has(key)) {
            return fallback;
        }
        JsonElement e = o.get(key);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw new BadInputException(key + " must be true or false, found " + e);
        }
        return e.getAsBoolean();
    }

    static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
