package org.diffeo4j.train.study;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import org.diffeo4j.report.Files2;
import org.diffeo4j.report.StrictJson;
import org.diffeo4j.train.Arch;
import org.diffeo4j.train.TrainSpec;
import org.diffeo4j.validate.BadInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A study's identity: everything that changes its cells, normalised and flat ({@code DIR/study-key.json}).
 * The name; the datasets by name with the SHA-256 of their files (never their paths: a study file moved, or
 * its data copied elsewhere, is the same study), their train sizes and augmentations; the architectures
 * (a TorchScript architecture with its files' hashes) or the models measured; the seeds; the training
 * options as given (per_arch included) and, for every (dataset, architecture), the values they resolve
 * to with the recipe (so a change of the engine's recipe is a change of the study); the measurement.
 *
 * <p>Keys come in the order a person reads a study file, so the first difference between two records is
 * the one to name. <em>Grid</em> keys (name, datasets, architectures, models, seeds, sizes,
 * augmentations, cuts and strengths) say which cells a study has; every other key is a <em>setting</em>,
 * which says how each cell is computed. A folder takes the same study again (resume); with
 * {@code --extend} a study whose grid differs, as long as every setting the two share is equal: new cells
 * are added, and no cell computed with other settings is ever averaged with the folder's.
 */
final class StudyRecord {
    static final String FILE = "study-key.json";
    /** The key file of studies before this record: training and measure settings only (no grid). */
    static final String LEGACY_FILE = "study-key.txt";

    private final LinkedHashMap<String, JsonElement> values;

    private StudyRecord(LinkedHashMap<String, JsonElement> values) {
        this.values = values;
    }

    /**
     * The record of {@code study}.
     *
     * @param sha256 the SHA-256 of a data or model file (or folder), by path
     * @param training the training of an architecture (by name) on a dataset, resolved with the recipe; called
     *                 once per pair of a trained study
     */
    static StudyRecord of(StudyFile study, Function<Path, String> sha256, BiFunction<StudyFile.Dataset, String, TrainSpec> training) {
        LinkedHashMap<String, JsonElement> v = new LinkedHashMap<>();
        v.put("name", study.name() == null ? JsonNull.INSTANCE : new JsonPrimitive(study.name()));
        v.put("datasets", strings(study.datasets().stream().map(StudyFile.Dataset::name).toList()));
        for (StudyFile.Dataset d : study.datasets()) {
            String at = "datasets." + d.name() + ".";
            if (d.train() != null && !study.measuresModels()) {
                v.put(at + "train", new JsonPrimitive("sha256 " + sha256.apply(d.train())));
            }
            v.put(at + "test", new JsonPrimitive("sha256 " + sha256.apply(d.test())));
            if (!study.measuresModels()) {
                v.put(at + "train_sizes", numbers(study.trainSizes(d)));
                v.put(at + "augmentations", strings(study.augmentations(d).stream().map(a -> a.label()).toList()));
            }
        }
        if (study.measuresModels()) {
            v.put("models", strings(study.models().stream().map(StudyFile.ModelEntry::name).toList()));
            for (StudyFile.ModelEntry m : study.models()) {
                v.put("models." + m.name() + ".sha256", new JsonPrimitive(sha256.apply(m.path())));
            }
        } else {
            List<String> names = new ArrayList<>(study.architectures().stream().map(Arch::id).toList());
            study.modules().forEach(m -> names.add(m.name()));
            v.put("architectures", strings(names));
            for (StudyFile.ModuleArch m : study.modules()) {
                v.put("architectures." + m.name() + ".sha256", strings(m.paths().stream().map(sha256).toList()));
            }
        }
        v.put("seeds", numbers(study.seeds()));
        if (!study.measuresModels()) {
            StudyFile.Training t = study.training();
            given(v, "training.", t.options());
            v.put("training.measure_every", new JsonPrimitive(t.measureEvery()));
            t.perArch().forEach((arch, o) -> given(v, "training.per_arch." + arch + ".", o));
            for (StudyFile.Dataset d : study.datasets()) {
                for (String arch : v.get("architectures").getAsJsonArray().asList().stream().map(JsonElement::getAsString).toList()) {
                    resolved(v, "training[" + d.name() + "/" + arch + "].", training.apply(d, arch), t.measureEvery());
                }
            }
        }
        StudyFile.Measure m = study.measure();
        v.put("measure.probes", new JsonPrimitive(m.probes()));
        v.put("measure.random_probes", new JsonPrimitive(m.randomProbes()));
        v.put("measure.cuts", numbers(m.cuts()));
        v.put("measure.deltas", numbers(m.deltas()));
        v.put("measure.temperatures", numbers(m.temperatures()));
        v.put("measure.interp", new JsonPrimitive(m.interp().cliName()));
        v.put("measure.average", new JsonPrimitive(m.average().cliName()));
        v.put("measure.realisations", new JsonPrimitive(m.realisations()));
        v.put("measure.layers", new JsonPrimitive(m.layers()));
        v.put("measure.backend", new JsonPrimitive(m.backend()));
        // the spectral control adds G_f^spec and R_f^spec to every cell: cells without them must not be averaged with cells that have them
        v.put("measure.spectral", new JsonPrimitive(m.spectral()));
        if (m.attack() != null) {
            // the worst case adds D_f* and R_f* to every trained cell; absent from the records of studies without it
            StudyFile.Attack a = m.attack();
            v.put("measure.attack", new JsonPrimitive("restarts " + a.restarts() + ", steps " + a.steps() + ", target " + a.target().cliName()));
        }
        return new StudyRecord(v);
    }

    /** The options as given (null: the recipe's or the default). */
    private static void given(Map<String, JsonElement> v, String at, org.diffeo4j.train.TrainOptions o) {
        put(v, at + "recipe", o.recipe());
        put(v, at + "epochs", o.epochs());
        put(v, at + "batch", o.batch());
        put(v, at + "optimizer", o.optimizer());
        put(v, at + "lr", o.lr());
        put(v, at + "momentum", o.momentum());
        put(v, at + "weight_decay", o.weightDecay());
        put(v, at + "schedule", o.schedule());
        put(v, at + "stop_at_loss", o.stopAtLoss());
        put(v, at + "min_steps", o.minSteps());
        put(v, at + "select", o.select());
        put(v, at + "validation", o.validation());
        put(v, at + "normalise", o.normalise());
        put(v, at + "random_subset", o.randomSubset());
    }

    /** What an architecture's training resolves to: every value that changes its weights or the checkpoint measured. */
    private static void resolved(Map<String, JsonElement> v, String at, TrainSpec s, int measureEvery) {
        put(v, at + "epochs", s.epochs());
        put(v, at + "batch", s.batch());
        put(v, at + "optimizer", s.optimizer());
        put(v, at + "lr", s.lr());
        put(v, at + "momentum", s.recipe().momentum());
        put(v, at + "weight_decay", s.recipe().weightDecay());
        put(v, at + "schedule", s.recipe().schedule().format());
        put(v, at + "stop_at_loss", Double.isFinite(s.recipe().stopAtLoss()) ? s.recipe().stopAtLoss() : null);
        put(v, at + "min_steps", s.recipe().minSteps());
        put(v, at + "select", s.recipe().select().id());
        put(v, at + "validation", s.recipe().validation());
        put(v, at + "normalise", s.recipe().normaliseText());
        put(v, at + "augment", s.augment().format());
        put(v, at + "random_subset", s.randomSubset());
        put(v, at + "measure_every", measureEvery);
    }

    private static void put(Map<String, JsonElement> v, String key, Object value) {
        v.put(key, value == null ? JsonNull.INSTANCE : value instanceof Number n ? new JsonPrimitive(n)
                : value instanceof Boolean b ? new JsonPrimitive(b) : new JsonPrimitive(value.toString()));
    }

    private static JsonArray strings(List<String> list) {
        JsonArray a = new JsonArray();
        list.forEach(a::add);
        return a;
    }

    private static JsonArray numbers(List<? extends Number> list) {
        JsonArray a = new JsonArray();
        list.forEach(a::add);
        return a;
    }

    /** Grid keys: which cells a study has, not how they are computed. */
    static boolean grid(String key) {
        return key.equals("name") || key.equals("datasets") || key.equals("architectures") || key.equals("models") || key.equals("seeds")
                || key.equals("measure.cuts") || key.equals("measure.deltas") || key.equals("measure.temperatures")
                || key.matches("datasets\\..+\\.(train_sizes|augmentations)");
    }

    /** The options as written in the study's {@code training} object: their effect is in the resolved keys, which {@code --extend} compares. */
    private static boolean given(String key) {
        return key.startsWith("training.");
    }

    /** The record in {@code dir}, or null when it holds none. */
    static StudyRecord read(Path dir) {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            JsonObject o = JsonParser.parseString(Files.readString(f)).getAsJsonObject().getAsJsonObject("study");
            LinkedHashMap<String, JsonElement> v = new LinkedHashMap<>();
            o.entrySet().forEach(e -> v.put(e.getKey(), e.getValue()));
            return new StudyRecord(v);
        } catch (IOException | RuntimeException e) {
            throw new BadInputException("out must hold a readable " + FILE + ", found an unreadable one in " + dir + " (" + Json.firstLine(e)
                    + "): repair it or choose another folder");
        }
    }

    /** Writes this record to {@code dir} (atomically). */
    void write(Path dir) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("note", "what this folder's cells were computed with (diffeo study): a study with another setting is refused; "
                + "--extend adds the cells of new grid values (seeds, sizes, architectures, datasets, augmentations, cuts, strengths) "
                + "whose settings equal these");
        JsonObject study = new JsonObject();
        values.forEach(study::add);
        o.add("study", study);
        Files2.createDirectories(dir);
        Files2.writeString(dir.resolve(FILE), StrictJson.pretty(o, FILE));
    }

    /** The study's name. */
    String name() {
        JsonElement n = values.get("name");
        return n == null || n.isJsonNull() ? "(unnamed)" : n.getAsString();
    }

    /**
     * Why {@code this} (the study being run) may not go into {@code dir}, whose record is {@code folder}: one
     * line naming the first difference, or null when it may. Without {@code extend} every key must be equal;
     * with it, every setting the two records share.
     */
    String refusal(StudyRecord folder, Path dir, boolean extend) {
        Set<String> keys = new LinkedHashSet<>(folder.values.keySet());
        keys.addAll(values.keySet());
        for (String k : ordered(keys, folder)) {
            JsonElement had = folder.values.get(k), now = values.get(k);
            if (had != null && had.equals(now)) {
                continue;
            }
            if (extend && (grid(k) || given(k) || had == null || now == null)) {
                continue; // a grid value, an option whose effect the resolved keys carry, or a setting of cells only one study has
            }
            String hint = extend ? " (--extend adds only cells whose settings equal the folder's: cells with other settings would be averaged with its cells; "
                    + "choose another --out)" : grid(k) ? " (use --extend to add cells)" : " (choose another --out for other settings)";
            return "out " + dir + " holds study \"" + folder.name() + "\" with " + k + " = " + text(had) + "; this study has " + k + " = " + text(now)
                    + hint;
        }
        return null;
    }

    /** This record's keys in its order, then those only the folder's record has. */
    private List<String> ordered(Set<String> keys, StudyRecord folder) {
        List<String> out = new ArrayList<>(values.keySet());
        folder.values.keySet().stream().filter(k -> !values.containsKey(k)).forEach(out::add);
        out.retainAll(keys);
        return out;
    }

    private static String text(JsonElement e) {
        if (e == null) {
            return "(none)";
        }
        return e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : e.toString();
    }

    /**
     * The folder's record after {@code --extend} with {@code newer}: grid lists joined (the folder's values
     * first), every other key as {@code newer} has it, keys only the folder has kept.
     */
    StudyRecord union(StudyRecord newer) {
        LinkedHashMap<String, JsonElement> v = new LinkedHashMap<>(values);
        newer.values.forEach((k, now) -> {
            JsonElement had = v.get(k);
            if (had != null && grid(k) && had.isJsonArray() && now.isJsonArray()) {
                JsonArray joined = had.getAsJsonArray().deepCopy();
                for (JsonElement e : now.getAsJsonArray()) {
                    if (!joined.contains(e)) {
                        joined.add(e);
                    }
                }
                v.put(k, joined);
            } else {
                v.put(k, now);
            }
        });
        return new StudyRecord(v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StudyRecord r && r.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }
}
