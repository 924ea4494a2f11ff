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
 * Turns a JMH {@code -rf json} file into a Markdown table of images per second (the
 * {@code images} secondary score), so figures are derived from the results, never typed.
 * Usage: {@code java -cp bench/target/benchmarks.jar org.diffeo4j.bench.Summary results.json}
 */
public final class Summary {
    private Summary() {
    }

    public static void main(String[] args) throws IOException {
        try (Reader r = Files.newBufferedReader(Path.of(args[0]))) {
            JsonArray runs = JsonParser.parseReader(r).getAsJsonArray();
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
}
