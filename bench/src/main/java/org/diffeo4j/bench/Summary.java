package org.diffeo4j.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns JMH {@code -rf json} files into a Markdown table of images per second (the
 * {@code images} secondary score), so figures are derived from the results, never typed; with
 * {@code --merge OUT} it also writes all their runs as one JSON array.
 * Usage: {@code java -cp bench/target/benchmarks.jar org.diffeo4j.bench.Summary [--merge OUT] FILE...}
 */
public final class Summary {
    private Summary() {
    }

    public static void main(String[] args) throws IOException {
        JsonArray runs = new JsonArray();
        Path merge = null;
        for (int k = 0; k < args.length; k++) {
            if (args[k].equals("--merge")) {
                merge = Path.of(args[++k]);
                continue;
            }
            try (Reader r = Files.newBufferedReader(Path.of(args[k]))) {
                runs.addAll(JsonParser.parseReader(r).getAsJsonArray());
            }
        }
        if (merge != null) {
            Files.writeString(merge, new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(runs) + "\n");
        }
        System.out.println("| benchmark | params | images/s | ± (99.9%) |");
        System.out.println("|---|---|---:|---:|");
        for (JsonElement e : runs) {
            JsonObject run = e.getAsJsonObject();
            String name = run.get("benchmark").getAsString().replace("org.diffeo4j.bench.", "");
            Map<String, String> params = new TreeMap<>();
            if (run.has("params")) {
                run.getAsJsonObject("params").entrySet().forEach(p -> params.put(p.getKey(), p.getValue().getAsString()));
            }
            JsonObject images = run.getAsJsonObject("secondaryMetrics").getAsJsonObject("images");
            JsonObject score = images != null ? images : run.getAsJsonObject("primaryMetric");
            System.out.printf(Locale.ROOT, "| %s | %s | %,.0f | %,.0f |%n", name, params.toString().replaceAll("[{}]", ""),
                    score.get("score").getAsDouble(), score.get("scoreError").getAsDouble());
        }
    }
}
