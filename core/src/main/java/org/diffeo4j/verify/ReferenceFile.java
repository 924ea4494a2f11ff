package org.diffeo4j.verify;

import org.diffeo4j.validate.BadInputException;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonParseException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A parsed reference-vector file and its kind (docs/reference-vectors.md). The parsed JSON stays
 * inside this package: core's public API names no third-party type.
 */
public final class ReferenceFile {
    /** The two formats of ../shared/golden. */
    public enum Kind { DEFORM, STABILITY }

    private final String name;
    private final Kind kind;
    private final JsonObject json;

    private ReferenceFile(String name, Kind kind, JsonObject json) {
        this.name = name;
        this.kind = kind;
        this.json = json;
    }

    /** The file's name, for messages. */
    public String name() {
        return name;
    }

    /** Which format it is. */
    public Kind kind() {
        return kind;
    }

    /** The parsed content (package-private: the verifiers read it). */
    JsonObject json() {
        return json;
    }

    /** Reads and classifies a file; a clear one-line error when it is neither kind. */
    public static ReferenceFile read(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new BadInputException("reference file " + path + " must be a readable file, found none");
        }
        try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return parse(path.getFileName().toString(), JsonParser.parseReader(r));
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new BadInputException("reference file " + path + " must be JSON text (UTF-8), found binary content");
        } catch (IOException e) {
            throw new BadInputException("reference file " + path + " must be a readable file, found it unreadable ("
                    + firstLine(e.getMessage()) + ")");
        } catch (JsonParseException e) {
            Throwable cause = e.getCause() instanceof java.nio.charset.CharacterCodingException ? e.getCause() : null;
            throw new BadInputException("reference file " + path + " must be JSON, found "
                    + (cause != null ? "binary content (not UTF-8 text)" : "malformed JSON" + where(e)));
        }
    }

    /**
     * " at line L column C" from a parser's message, else "": Gson's own text (its JSONPath, its advice
     * to set a lenient strictness, its troubleshooting link) means nothing to someone who wrote the file.
     */
    private static String where(JsonParseException e) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("line (\\d+) column (\\d+)").matcher(String.valueOf(e.getMessage()));
        return m.find() ? " at line " + m.group(1) + " column " + m.group(2) : "";
    }

    /** Parses and classifies the text of a file called {@code name}. */
    public static ReferenceFile parse(String name, String text) {
        try {
            return parse(name, JsonParser.parseString(text));
        } catch (JsonParseException e) {
            throw new BadInputException("reference file " + name + " must be JSON, found malformed JSON" + where(e));
        }
    }

    private static ReferenceFile parse(String name, JsonElement element) {
        if (element == null || !element.isJsonObject()) {
            throw new BadInputException("reference file " + name + " must hold a JSON object, found "
                    + (element == null || element.isJsonNull() ? "nothing" : element.isJsonArray() ? "an array"
                    : element.getAsJsonPrimitive().isString() ? "a string" : element.getAsJsonPrimitive().isNumber() ? "a number" : "a boolean"));
        }
        JsonObject o = element.getAsJsonObject();
        if (o.has("cases") && o.has("images")) {
            return new ReferenceFile(name, Kind.STABILITY, o);
        }
        if (o.has("z_u") && o.has("dx") && o.has("out")) {
            return new ReferenceFile(name, Kind.DEFORM, o);
        }
        throw new BadInputException("reference file " + name
                + " must be a deform file (z_u, dx, out) or a stability file (images, cases), found keys " + o.keySet());
    }

    /** A required number field. */
    static double number(JsonObject o, String key, String file) {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new BadInputException(file + ": field '" + key + "' must be a number, found " + e);
        }
        return e.getAsDouble();
    }

    /** A required array of numbers. */
    static double[] array(JsonObject o, String key, String file) {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonArray()) {
            throw new BadInputException(file + ": field '" + key + "' must be an array of numbers, found " + e);
        }
        JsonArray a = e.getAsJsonArray();
        double[] v = new double[a.size()];
        for (int k = 0; k < v.length; k++) {
            v[k] = a.get(k).getAsDouble();
        }
        return v;
    }

    static String firstLine(String s) {
        if (s == null) {
            return "no detail";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
