package org.diffeo4j.cli;

import org.diffeo4j.model.LayerInfo;
import org.diffeo4j.model.Model;
import org.diffeo4j.model.Models;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code diffeo layers}: the hidden layers {@code measure --layer} accepts for a model, in model order,
 * with their shapes where the runtime knows them and their short forms (ONNX node outputs exported
 * by PyTorch: the module name, {@code /features/features.4/Relu_output_0} as {@code features.4}).
 */
@Command(name = "layers", mixinStandardHelpOptions = true, versionProvider = DiffeoCli.Version.class,
        description = {"List the hidden layers of a model that measure --layer accepts, in model order, with shapes and short forms.",
                "ONNX: every node output (the model is rewritten in memory to return it); TorchScript: modules reachable from the input."})
final class LayersCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "PATH", description = "ONNX file (e.g. exported from PyTorch), TorchScript file (.pt), DL4J ModelSerializer zip, or a folder written by diffeo train.")
    Path model;

    @picocli.CommandLine.Mixin
    ThreadsOption threads;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int t = threads.count();
        try (Model m = Inputs.tagged("--model", () -> Models.load(model, org.diffeo4j.model.Options.threads(t)))) {
            List<LayerInfo> layers = m.layers();
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
            out.println(layers.size() + " layers; --layer takes a LAYER or one of its SHORT FORMS");
            return 0;
        }
    }
}
