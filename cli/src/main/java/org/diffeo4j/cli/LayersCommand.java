package org.diffeo4j.cli;

import org.diffeo4j.data.Datasets;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.model.LayerInfo;
import org.diffeo4j.model.Model;
import org.diffeo4j.model.Models;
import org.diffeo4j.validate.BadInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code diffeo layers}: the hidden layers {@code measure --layer} accepts for a model, in model order,
 * with their shapes and their short forms (ONNX node outputs exported by PyTorch: the module name,
 * {@code /features/features.4/Relu_output_0} as {@code features.4}). ONNX Runtime infers the shapes of
 * a graph; runtimes that record none (TorchScript, diffeo train's folders, DL4J) run one forward of a
 * probe: the first image of {@code --data}, else zeros of the model's input shape where it records
 * one, else the first bundled digit (what {@code measure} takes without {@code --data}).
 */
@Command(name = "layers", mixinStandardHelpOptions = true, versionProvider = DiffeoCli.Version.class,
        description = {"List the hidden layers of a model that measure --layer accepts, in model order, with shapes and short forms.",
                "ONNX: every node output (the model is rewritten in memory to return it); TorchScript: modules reachable from the input.",
                "Shapes: ONNX Runtime's inference, else one forward of a probe (the first image of --data, else the first bundled digit)."})
final class LayersCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "PATH", description = "ONNX file (e.g. exported from PyTorch), TorchScript file (.pt), DL4J ModelSerializer zip, or a folder written by diffeo train.")
    Path model;

    @Option(names = "--data", paramLabel = "PATH", description = "Images whose first one is the probe that gives the shapes "
            + "(IDX, CIFAR-10, image folder, .npy). Default: zeros of the model's input shape where it records one, else the first bundled digit.")
    Path data;

    @picocli.CommandLine.Mixin
    ThreadsOption threads;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws java.io.IOException {
        PrintWriter out = spec.commandLine().getOut();
        int t = threads.count();
        ImageBatch given = data == null ? null : Inputs.tagged("--data", () -> Datasets.load(data).images());
        if (given != null && given.count() == 0) {
            throw new BadInputException("--data must hold at least one image for the probe, found none in " + data);
        }
        try (Model m = Inputs.tagged("--model", () -> Models.load(model, org.diffeo4j.model.Options.threads(t)))) {
            String[] from = new String[1];
            List<LayerInfo> known = m.layers(); // ONNX: every shape from ONNX Runtime's inference; others: names only
            List<LayerInfo> layers = known.stream().noneMatch(l -> l.shape().equals("unknown")) ? known
                    : given != null ? m.layers(probe(given, from, "the first image of " + data)) // a size it cannot take: "--model input must be ..." as in measure
                    : withDefaultProbe(m, from, known);
            out.println(m.description());
            if (layers.isEmpty()) {
                out.println("no hidden layers: --layer accepts none for this model");
                return 0;
            }
            int name = "LAYER".length(), shape = "SHAPE".length();
            for (LayerInfo l : layers) {
                name = Math.max(name, l.name().length());
                shape = Math.max(shape, l.shape().length());
            }
            String row = "%-" + name + "s  %-" + shape + "s  %s%n";
            out.printf(row, "LAYER", "SHAPE", "SHORT FORMS");
            for (LayerInfo l : layers) {
                out.printf(row, l.name(), l.shape(), l.aliases().isEmpty() ? "-" : String.join(", ", l.aliases()));
            }
            out.println(layers.size() + " layers; --layer takes a LAYER or one of its SHORT FORMS" + (from[0] == null ? "" : "; shapes from one forward of " + from[0]));
            return 0;
        }
    }

    private static ImageBatch probe(ImageBatch images, String[] from, String what) {
        ImageBatch one = images.slice(0, 1);
        from[0] = what + " " + one.shapeString();
        return one;
    }

    /**
     * Without --data: zeros of the recorded input shape, else the first bundled digit where the channels
     * fit; a model that takes neither keeps the shapes its runtime knows, and says so.
     */
    private List<LayerInfo> withDefaultProbe(Model m, String[] from, List<LayerInfo> known) throws java.io.IOException {
        int[] chw = m.inputShape();
        if (chw[0] > 0 && chw[1] > 0 && chw[2] > 0) {
            return m.layers(probe(ImageBatch.zeros(1, chw[0], chw[1], chw[2]), from, "zeros of the model's input shape"));
        }
        try (Bundled bundle = new Bundled()) {
            ImageBatch digit = Datasets.load(bundle.file(Bundled.IMAGES)).images();
            if (chw[0] > 0 && chw[0] != digit.channels()) {
                spec.commandLine().getErr().println("note: shapes unknown: the model takes " + chw[0] + " channels, the bundled digits have "
                        + digit.channels() + "; give --data with images it takes");
                return known;
            }
            try {
                return m.layers(probe(digit, from, "the first bundled digit"));
            } catch (IllegalArgumentException e) {
                from[0] = null;
                spec.commandLine().getErr().println("note: shapes unknown: the model does not take the bundled digits ("
                        + Models.firstLine(e.getMessage()) + "); give --data with images it takes");
                return known;
            }
        }
    }
}
