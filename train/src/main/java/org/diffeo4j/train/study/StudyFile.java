package org.diffeo4j.train.study;

import org.diffeo4j.validate.BadInputException;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import org.diffeo4j.attack.Target;
import org.diffeo4j.augment.Augmentation;
import org.diffeo4j.interp.Interpolation;
import org.diffeo4j.stability.Average;
import org.diffeo4j.train.Arch;
import org.diffeo4j.train.TrainOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A study: a grid over datasets x architectures x training-set sizes x augmentations x seeds to train
 * and measure, or a list of existing models to measure. Parsed from JSON (format: docs/study.md) with relative
 * paths resolved against the file's folder; unknown keys and bad values are one-line errors naming
 * the key.
 *
 * @param architectures empty when {@code models} is given, and the other way round
 * @param augmentations how each network is trained (key {@code augmentations}, default {@code ["none"]})
 */
public record StudyFile(String name, List<Dataset> datasets, List<Arch> architectures, List<Integer> trainSizes, List<Long> seeds,
                        Training training, Measure measure, List<ModelEntry> models, String source, List<Augmentation> augmentations,
                        List<ModuleArch> modules) {
    /** Built-in architectures only. */
    public StudyFile(String name, List<Dataset> datasets, List<Arch> architectures, List<Integer> trainSizes, List<Long> seeds,
                     Training training, Measure measure, List<ModelEntry> models, String source, List<Augmentation> augmentations) {
        this(name, datasets, architectures, trainSizes, seeds, training, measure, models, source, augmentations, List.of());
    }

    /**
     * An architecture from PyTorch in {@code architectures}: {@code {"name": "mynet", "path": "mynet_init.pt"}}, or
     * {@code "paths"} with one file per seed (in the order of {@code seeds}): an untrained TorchScript module
     * each unit trains from its file's initial weights ({@code diffeo train --arch FILE.pt}).
     *
     * @param locations the paths as the study file writes them
     */
    public record ModuleArch(String name, List<Path> paths, List<String> locations) {
        /** The file of the unit with {@code seed}, the {@code index}-th of the study's seeds. */
        public Path file(int index) {
            return paths.size() == 1 ? paths.get(0) : paths.get(index);
        }
    }
    /** Without augmentations (every network trained on the plain images). */
    public StudyFile(String name, List<Dataset> datasets, List<Arch> architectures, List<Integer> trainSizes, List<Long> seeds,
                     Training training, Measure measure, List<ModelEntry> models, String source) {
        this(name, datasets, architectures, trainSizes, seeds, training, measure, models, source, List.of(Augmentation.NONE));
    }

    /**
     * A dataset: training and test images (labels from the matching label file, class folders or
     * CIFAR batches), and optionally its own train sizes (datasets differ in size) and augmentations
     * (a horizontal flip keeps a shirt a shirt but not a 3 a 3).
     *
     * @param trainSizes empty: the study's
     * @param augmentations empty: the study's
     */
    public record Dataset(String name, Path train, Path test, List<Integer> trainSizes, List<Augmentation> augmentations) {
        /** With the study's augmentations. */
        public Dataset(String name, Path train, Path test, List<Integer> trainSizes) {
            this(name, train, test, trainSizes, List.of());
        }
    }

    /**
     * An existing model to measure instead of training one.
     *
     * @param location the path as the study file writes it (what the cells record, the same wherever
     *                 the model is read from)
     */
    public record ModelEntry(String name, Path path, String location) {
    }

    /**
     * How each cell trains: the options of {@code diffeo train} ({@link TrainOptions}, keys in snake case),
     * resolved per architecture and dataset by {@link TrainOptions#resolve}. Unlike {@code diffeo train},
     * a study draws each seed's own random subset of P images unless {@code random_subset} is false.
     */
    public record Training(TrainOptions options, int measureEvery, java.util.Map<String, TrainOptions> perArch) {
        public Training(TrainOptions options) {
            this(options, 0, java.util.Map.of());
        }

        public Training(TrainOptions options, int measureEvery) {
            this(options, measureEvery, java.util.Map.of());
        }

        /**
         * The options of architecture {@code name}: its {@code training.per_arch} entry over the study's
         * (issue 20: the cheap nets need more epochs than the costly ones to converge).
         */
        public TrainOptions of(String name) {
            TrainOptions own = perArch.get(name);
            return own == null ? options : own.over(options);
        }

        /** The epochs given (null: the recipe's). */
        public Integer epochs() {
            return options.epochs();
        }
    }

    /** How each cell measures: the options of {@code diffeo measure}. */
    public record Measure(int probes, boolean randomProbes, List<Integer> cuts, List<Double> deltas, List<Double> temperatures,
                          Interpolation interp, Average average, int realisations, boolean layers, String backend, boolean spectral,
                          Attack attack) {
        /** Without the spectral control. */
        public Measure(int probes, boolean randomProbes, List<Integer> cuts, List<Double> deltas, List<Double> temperatures,
                       Interpolation interp, Average average, int realisations, boolean layers, String backend) {
            this(probes, randomProbes, cuts, deltas, temperatures, interp, average, realisations, layers, backend, false);
        }

        /** Without the worst case. */
        public Measure(int probes, boolean randomProbes, List<Integer> cuts, List<Double> deltas, List<Double> temperatures,
                       Interpolation interp, Average average, int realisations, boolean layers, String backend, boolean spectral) {
            this(probes, randomProbes, cuts, deltas, temperatures, interp, average, realisations, layers, backend, spectral, null);
        }
    }

    /**
     * {@code measure.attack}: the trained net's worst-case D_f* and R_f* = D_f* / G_f per cell, as {@code diffeo attack
     * --restarts R --steps S --target T --seed SEED} on the cell's probes (gradient method where the net gives gradients).
     */
    public record Attack(int restarts, int steps, Target target) {
        public Attack {
            if (restarts < 1 || steps < 1 || target == null) {
                throw new BadInputException("measure.attack restarts and steps must be >= 1 and target distance or margin, found "
                        + restarts + ", " + steps + ", " + target);
            }
        }
    }

    /**
     * Turns a location written in a study file (datasets[].train, .test, models[].path) into the local
     * path a run reads. {@link #local} resolves relative paths against the study file's folder; an
     * engine that runs elsewhere (the Spark engine, issue 16) maps them to the copies its tasks read.
     */
    @FunctionalInterface
    public interface Locator {
        /** The local path of {@code text}, found under the study key {@code key} (for error messages). */
        Path locate(String key, String text);

        /** Relative paths against {@code base}; {@code file:} URIs as their path; other URIs refused. */
        static Locator local(Path base) {
            return (key, text) -> {
                if (isUri(text)) {
                    java.net.URI u = java.net.URI.create(text);
                    if (!"file".equalsIgnoreCase(u.getScheme())) {
                        throw new BadInputException(key + " must be a local path or a file: URI (" + u.getScheme()
                                + ": and other Hadoop URIs need --engine spark), found " + text);
                    }
                    return Path.of(u).normalize();
                }
                return base.resolve(text).normalize();
            };
        }
    }

    /** True for a URI with a scheme of two or more letters (hdfs://, s3a://, file:/), not a Windows drive. */
    public static boolean isUri(String text) {
        return text.matches("[A-Za-z][A-Za-z0-9+.-]+:.*");
    }

    /** Reads and validates {@code file}. */
    public static StudyFile read(Path file) {
        return read(file, Locator.local(file.toAbsolutePath().getParent()));
    }

    /** Reads and validates {@code file}, its locations resolved by {@code locator}. */
    public static StudyFile read(Path file, Locator locator) {
        JsonObject o;
        try {
            o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        } catch (IOException e) {
            throw new BadInputException("study FILE must be a readable JSON file, found " + file + " ("
                    + (e instanceof java.nio.file.FileSystemException f ? org.diffeo4j.run.FileProblems.why(f) : e.getMessage()) + ")");
        } catch (JsonParseException | IllegalStateException e) {
            throw new BadInputException("study must be a JSON object, found " + file + " (" + Json.firstLine(e) + ")");
        }
        return parse(o, locator, file.toString());
    }

    /** Validates a parsed study; {@code base} is the folder relative paths resolve against. */
    static StudyFile parse(JsonObject o, Path base, String source) {
        return parse(o, Locator.local(base), source);
    }

    /** Validates a study given as JSON text, its locations resolved by {@code locator}. */
    public static StudyFile parse(String json, Locator locator, String source) {
        try {
            return parse(JsonParser.parseString(json).getAsJsonObject(), locator, source);
        } catch (JsonParseException | IllegalStateException e) {
            throw new BadInputException("study must be a JSON object, found " + source + " (" + Json.firstLine(e) + ")");
        }
    }

    private static StudyFile parse(JsonObject o, Locator locator, String source) {
        Json.known(o, "study", Set.of("name", "datasets", "architectures", "train_sizes", "seeds", "training", "measure", "models",
                "augmentations"));
        String name = Json.string(o, "name", null);
        List<Dataset> datasets = new ArrayList<>();
        for (JsonElement e : Json.array(o, "datasets", true)) {
            JsonObject d = Json.object(e, "datasets[]");
            Json.known(d, "datasets[]", Set.of("name", "train", "test", "train_sizes", "augmentations"));
            Path train = d.has("train") ? locator.locate("datasets[].train", Json.string(d, "train", null)) : null;
            List<Integer> own = new ArrayList<>();
            for (JsonElement p : Json.array(d, "train_sizes", false)) {
                own.add(Json.positiveInt(p, "datasets[].train_sizes[]"));
            }
            datasets.add(new Dataset(Json.string(d, "name", null), train, locator.locate("datasets[].test", Json.string(d, "test", null)),
                    List.copyOf(own), d.has("augmentations") ? augmentations(d, "datasets[].augmentations") : List.of()));
        }
        if (datasets.isEmpty()) {
            throw new BadInputException("datasets must list at least one dataset, found none");
        }
        List<ModelEntry> models = new ArrayList<>();
        if (o.has("models")) {
            for (JsonElement e : Json.array(o, "models", true)) {
                JsonObject m = Json.object(e, "models[]");
                Json.known(m, "models[]", Set.of("name", "path"));
                String location = Json.string(m, "path", null);
                models.add(new ModelEntry(Json.string(m, "name", null), locator.locate("models[].path", location), location));
            }
        }
        List<Arch> archs = new ArrayList<>();
        List<ModuleArch> modules = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        if (models.isEmpty()) {
            for (JsonElement e : Json.array(o, "architectures", true)) {
                if (e.isJsonObject()) {
                    modules.add(moduleArch(e.getAsJsonObject(), locator));
                } else {
                    archs.add(Arch.parse(Json.asString(e, "architectures[]")));
                }
            }
            boolean allOwn = datasets.stream().allMatch(d -> !d.trainSizes().isEmpty());
            for (JsonElement e : Json.array(o, "train_sizes", !allOwn)) {
                sizes.add(Json.positiveInt(e, "train_sizes[]"));
            }
            for (Dataset d : datasets) {
                if (d.train() == null) {
                    throw new BadInputException("datasets[].train must be given when architectures are trained, found none for " + d.name());
                }
            }
            if ((archs.isEmpty() && modules.isEmpty()) || (sizes.isEmpty() && !allOwn)) {
                throw new BadInputException("architectures and train_sizes must each list at least one value, found "
                        + (archs.size() + modules.size()) + " and " + sizes.size());
            }
        } else if (o.has("architectures") || o.has("train_sizes") || o.has("training") || o.has("augmentations")
                || datasets.stream().anyMatch(d -> !d.augmentations().isEmpty())) {
            throw new BadInputException("models must not be combined with architectures, train_sizes, training or augmentations "
                    + "(models are measured, not trained)");
        }
        List<Long> seeds = new ArrayList<>();
        for (JsonElement e : Json.array(o, "seeds", models.isEmpty())) {
            seeds.add(Json.asLong(e, "seeds[]"));
        }
        if (seeds.isEmpty()) {
            seeds.add(0L);
        }
        for (ModuleArch m : modules) {
            if (m.paths().size() != 1 && m.paths().size() != seeds.size()) {
                throw new BadInputException("architectures[].paths must hold one file per seed (" + seeds.size() + "), found "
                        + m.paths().size() + " for " + m.name());
            }
        }
        List<String> names = new ArrayList<>(archs.stream().map(Arch::id).toList());
        modules.forEach(m -> names.add(m.name()));
        Training training = training(o);
        for (String k : training.perArch().keySet()) {
            if (!names.contains(k)) {
                throw new BadInputException("training.per_arch must name architectures of the study " + names + ", found '" + k + "'");
            }
        }
        if (seeds.stream().distinct().count() != seeds.size() || sizes.stream().distinct().count() != sizes.size()
                || names.stream().distinct().count() != names.size()) {
            throw new BadInputException("seeds, train_sizes and architectures must not repeat a value, found " + seeds + ", " + sizes + ", " + archs);
        }
        return new StudyFile(name, datasets, archs, sizes, seeds, training, measure(o), models, source,
                o.has("augmentations") ? augmentations(o, "augmentations") : List.of(Augmentation.NONE), List.copyOf(modules));
    }

    /** {"name": N, "path": P} or {"name": N, "paths": [P, ...]}: a TorchScript module to train. */
    private static ModuleArch moduleArch(JsonObject m, Locator locator) {
        Json.known(m, "architectures[]", Set.of("name", "path", "paths"));
        String name = Json.string(m, "name", null);
        if (name == null || name.isBlank() || name.matches(".*[^A-Za-z0-9._+-].*")) {
            throw new BadInputException("architectures[].name must be letters, digits, '.', '_', '+' or '-', found '" + name + "'");
        }
        List<String> locations = new ArrayList<>();
        if (m.has("path") == m.has("paths")) {
            throw new BadInputException("architectures[] must give a TorchScript file as path or one per seed as paths, found "
                    + (m.has("path") ? "both" : "neither") + " for " + name);
        }
        if (m.has("path")) {
            locations.add(Json.string(m, "path", null));
        } else {
            for (JsonElement e : Json.array(m, "paths", true)) {
                locations.add(Json.asString(e, "architectures[].paths[]"));
            }
        }
        List<Path> paths = new ArrayList<>();
        for (String l : locations) {
            Path p = locator.locate("architectures[].path", l);
            if (!java.nio.file.Files.isRegularFile(p)) {
                throw new BadInputException("architectures[].path must be a TorchScript file, found no file at " + p + " for " + name);
            }
            paths.add(p);
        }
        return new ModuleArch(name, List.copyOf(paths), List.copyOf(locations));
    }

    /** {@code key}: option strings of {@code diffeo train --augment} (none repeated), at least one. */
    private static List<Augmentation> augmentations(JsonObject o, String key) {
        List<Augmentation> augs = new ArrayList<>();
        for (JsonElement e : Json.array(o, key.substring(key.lastIndexOf('.') + 1), true)) {
            try {
                augs.add(Augmentation.parse(Json.asString(e, key + "[]")));
            } catch (IllegalArgumentException x) {
                throw new BadInputException(key + "[]: " + x.getMessage(), x);
            }
        }
        if (augs.isEmpty() || augs.stream().map(Augmentation::label).distinct().count() != augs.size()) {
            throw new BadInputException(key + " must list at least one augmentation, none repeated, found "
                    + augs.stream().map(Augmentation::label).toList());
        }
        return List.copyOf(augs);
    }

    private static Training training(JsonObject o) {
        JsonObject t = o.has("training") ? Json.object(o.get("training"), "training") : new JsonObject();
        Json.known(t, "training", Set.of("recipe", "epochs", "batch", "optimizer", "lr", "momentum", "weight_decay", "schedule", "stop_at_loss",
                "min_steps", "select", "validation", "normalise", "random_subset", "measure_every", "per_arch"));
        java.util.Map<String, TrainOptions> perArch = new java.util.TreeMap<>();
        if (t.has("per_arch")) {
            for (java.util.Map.Entry<String, JsonElement> e : Json.object(t.get("per_arch"), "training.per_arch").entrySet()) {
                JsonObject own = Json.object(e.getValue(), "training.per_arch." + e.getKey());
                Json.known(own, "training.per_arch." + e.getKey(), Set.of("epochs", "batch", "optimizer", "lr", "momentum", "weight_decay",
                        "schedule", "stop_at_loss", "min_steps", "select", "validation"));
                perArch.put(e.getKey(), options(own));
            }
        }
        String recipe = t.has("recipe") ? Json.string(t, "recipe", null) : null;
        if (recipe != null && !TrainOptions.RECIPES.contains(recipe.toLowerCase(java.util.Locale.ROOT))) {
            throw new BadInputException("training.recipe must be one of " + TrainOptions.RECIPES + ", found '" + recipe + "'");
        }
        if (recipe == null && !t.has("epochs")) {
            // runs before recipes: 10 epochs of Adam 1e-3 in batches of 64
            t.addProperty("epochs", 10);
        }
        TrainOptions opts = options(t).over(new TrainOptions(recipe, null, null, null, null, null, null, null, null, null, null, null, null,
                null, Json.bool(t, "random_subset", true)));
        // every value checked now, for each architecture, rather than when a unit starts
        for (Arch a : Arch.values()) {
            opts.resolve(a, 1, 0, org.diffeo4j.train.PaperRecipe.Data.OTHER, Augmentation.NONE, "training.");
        }
        for (java.util.Map.Entry<String, TrainOptions> e : perArch.entrySet()) {
            Arch a = Arch.values()[0];
            try {
                a = Arch.parse(e.getKey());
            } catch (IllegalArgumentException notBuiltIn) {
                // a PyTorch architecture's name: resolved as the conv nets are
            }
            e.getValue().over(opts).resolve(a, 1, 0, org.diffeo4j.train.PaperRecipe.Data.OTHER, Augmentation.NONE, "training.per_arch." + e.getKey() + ".");
        }
        int every = t.has("measure_every") ? (int) Json.number(t, "measure_every", 0) : 0;
        if (every < 0) {
            throw new BadInputException("training.measure_every must be >= 0, found " + every);
        }
        return new Training(opts, every, java.util.Collections.unmodifiableMap(perArch));
    }

    /** The options of {@code diffeo train} a training object gives (absent keys null). */
    private static TrainOptions options(JsonObject t) {
        return new TrainOptions(null, t.has("epochs") ? Json.positiveInt(t, "epochs", 10) : null,
                t.has("batch") ? Json.positiveInt(t, "batch", 64) : null, t.has("optimizer") ? Json.string(t, "optimizer", "adam") : null,
                t.has("lr") ? Json.number(t, "lr", 1e-3) : null, t.has("momentum") ? Json.number(t, "momentum", 0.9) : null,
                t.has("weight_decay") ? Json.number(t, "weight_decay", 0) : null, t.has("schedule") ? Json.string(t, "schedule", "constant") : null,
                t.has("stop_at_loss") ? Json.number(t, "stop_at_loss", 0) : null,
                t.has("min_steps") ? (long) Json.number(t, "min_steps", 0) : null, t.has("select") ? Json.string(t, "select", "last") : null,
                t.has("validation") ? (int) Json.number(t, "validation", 0) : null, t.has("normalise") ? Json.string(t, "normalise", "none") : null,
                null, null);
    }

    private static Measure measure(JsonObject o) {
        JsonObject m = o.has("measure") ? Json.object(o.get("measure"), "measure") : new JsonObject();
        Json.known(m, "measure", Set.of("probes", "random_probes", "cuts", "deltas", "temperatures", "interp", "average", "realisations",
                "layers", "backend", "spectral", "attack"));
        List<Integer> cuts = new ArrayList<>();
        for (JsonElement e : m.has("cuts") ? Json.array(m, "cuts", true) : List.of((JsonElement) new com.google.gson.JsonPrimitive(3))) {
            cuts.add(Json.positiveInt(e, "measure.cuts[]"));
        }
        List<Double> deltas = new ArrayList<>(), temps = new ArrayList<>();
        if (m.has("temperatures")) {
            for (JsonElement e : Json.array(m, "temperatures", true)) {
                temps.add(Json.asDouble(e, "measure.temperatures[]"));
            }
        }
        if (m.has("deltas") || temps.isEmpty()) {
            for (JsonElement e : m.has("deltas") ? Json.array(m, "deltas", true) : List.of((JsonElement) new com.google.gson.JsonPrimitive(1.0))) {
                deltas.add(Json.asDouble(e, "measure.deltas[]"));
            }
        }
        Interpolation interp;
        Average average;
        try {
            interp = Interpolation.parse(Json.string(m, "interp", "bilinear"));
            average = Average.parse(Json.string(m, "average", "median"));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("measure." + e.getMessage());
        }
        Attack attack = attack(m);
        if (attack != null && !deltas.isEmpty() && !temps.isEmpty()) {
            throw new BadInputException("measure.attack needs either deltas or temperatures (diffeo attack takes one), found both");
        }
        return new Measure(Json.positiveInt(m, "probes", 500), Json.bool(m, "random_probes", false), cuts, deltas, temps, interp, average,
                Json.positiveInt(m, "realisations", 1), Json.bool(m, "layers", false), Json.string(m, "backend", "auto"),
                Json.bool(m, "spectral", false), attack);
    }

    /** {@code measure.attack}: absent or false (none), true (defaults), or {restarts, steps, target}. */
    private static Attack attack(JsonObject m) {
        if (!m.has("attack") || m.get("attack").isJsonPrimitive() && m.get("attack").getAsJsonPrimitive().isBoolean()) {
            return m.has("attack") && m.get("attack").getAsBoolean() ? new Attack(1, 10, Target.DISTANCE) : null;
        }
        JsonObject a = Json.object(m.get("attack"), "measure.attack");
        Json.known(a, "measure.attack", Set.of("restarts", "steps", "target"));
        try {
            return new Attack(Json.positiveInt(a, "restarts", 1), Json.positiveInt(a, "steps", 10), Target.parse(Json.string(a, "target", "distance")));
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage().startsWith("measure.") ? e.getMessage() : "measure.attack." + e.getMessage());
        }
    }

    /**
     * One training run (or one model measured) with one seed: what a shard or an engine's task
     * computes. It yields one cells.jsonl line per (cut, strength).
     *
     * @param arch null when a model is measured
     * @param model null when an architecture is trained
     * @param trainSize 0 for a model
     */
    public record Unit(Dataset dataset, Arch arch, ModelEntry model, int trainSize, long seed, Augmentation augmentation, ModuleArch module,
                       Path moduleFile) {
        /** Trained without augmentation (or a model measured). */
        public Unit(Dataset dataset, Arch arch, ModelEntry model, int trainSize, long seed) {
            this(dataset, arch, model, trainSize, seed, Augmentation.NONE);
        }

        /** A built-in architecture (or a model measured). */
        public Unit(Dataset dataset, Arch arch, ModelEntry model, int trainSize, long seed, Augmentation augmentation) {
            this(dataset, arch, model, trainSize, seed, augmentation, null, null);
        }

        public Unit {
            augmentation = augmentation == null ? Augmentation.NONE : augmentation;
        }

        /** The arch id, module name or model name, as the cells record it. */
        public String name() {
            return arch != null ? arch.id() : module != null ? module.name() : model.name();
        }

        /** Whether the unit trains an architecture (built-in or a module), as opposed to measuring a model. */
        public boolean trains() {
            return model == null;
        }

        /** The augmentation as the cells record it: its {@link Augmentation#label()}, {@code none} when none. */
        public String augment() {
            return augmentation.label();
        }
    }

    /**
     * Every unit in the study's canonical order, datasets x (architectures x train sizes x augmentations,
     * or models) x seeds, seeds innermost and augmentations just outside them: the order a local run
     * follows and {@link Shard} deals from (without augmentations, the order of studies before them).
     */
    public List<Unit> units() {
        List<Unit> all = new ArrayList<>();
        for (Dataset d : datasets) {
            if (measuresModels()) {
                for (ModelEntry m : models) {
                    for (long seed : seeds) {
                        all.add(new Unit(d, null, m, 0, seed));
                    }
                }
                continue;
            }
            for (Arch a : architectures) {
                for (int p : trainSizes(d)) {
                    for (Augmentation aug : augmentations(d)) {
                        for (long seed : seeds) {
                            all.add(new Unit(d, a, null, p, seed, aug));
                        }
                    }
                }
            }
            // modules after the built-in architectures: studies without modules keep their order (and shards)
            for (ModuleArch m : modules) {
                for (int p : trainSizes(d)) {
                    for (Augmentation aug : augmentations(d)) {
                        for (int i = 0; i < seeds.size(); i++) {
                            all.add(new Unit(d, null, null, p, seeds.get(i), aug, m, m.file(i)));
                        }
                    }
                }
            }
        }
        return all;
    }

    /** The cells.jsonl keys {@code u} writes, one per (cut, strength). */
    public List<String> keys(Unit u) {
        List<String> keys = new ArrayList<>();
        for (int cut : measure.cuts()) {
            if (measure.deltas().isEmpty()) {
                for (double t : measure.temperatures()) {
                    keys.add(Cell.key(u.dataset().name(), u.name(), u.trainSize(), u.seed(), cut, Double.NaN, t, u.augment()));
                }
            } else {
                for (double delta : measure.deltas()) {
                    keys.add(Cell.key(u.dataset().name(), u.name(), u.trainSize(), u.seed(), cut, delta, Double.NaN, u.augment()));
                }
            }
        }
        return keys;
    }

    /** The augmentations of {@code d}: its own, else the study's. */
    public List<Augmentation> augmentations(Dataset d) {
        return d.augmentations().isEmpty() ? augmentations : d.augmentations();
    }

    /** The train sizes of {@code d}: its own, else the study's. */
    public List<Integer> trainSizes(Dataset d) {
        return d.trainSizes().isEmpty() ? trainSizes : d.trainSizes();
    }

    /** True when the study measures existing models instead of training. */
    public boolean measuresModels() {
        return !models.isEmpty();
    }
}
