package org.diffeo4j.cli;

import org.diffeo4j.run.RunFolder;

import org.diffeo4j.SharedFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad inputs across every command, each run through the command line: exit 2, one line on stderr
 * starting "error: " that names the argument and contains the expected words, nothing on stdout, no
 * stack trace, and nothing new in the output folder (nor the folder itself when it did not exist).
 */
class BadInputSuiteTest {
    @TempDir
    static Path fx;

    /** One case: the argument it is about, the words the message must contain, the command line. */
    record Case(String argument, String fragment, String... args) {
        @Override
        public String toString() {
            return String.join(" ", args).replace(fx.toString(), "FX") + " -> " + fragment;
        }
    }

    static Path nhwc, float255, negative, nan, rgb, zeros, corruptPng, corruptOnnx, twoInputs, scalarOutput, binary, malformed, aFile,
            locked, idxTruncated, corruptTorchScript, eagerPickle, gray32, textPt, oneImage, study, trailing, linked, initNet,
            moduleStudy, modelsStudy;

    @BeforeAll
    static void fixtures() throws IOException {
        nhwc = NpyFiles.write(fx.resolve("nhwc.npy"), "<f4", new int[]{20, 28, 28, 1}, k -> (k % 7) / 7.0);
        float255 = NpyFiles.write(fx.resolve("f255.npy"), "<f4", new int[]{20, 1, 28, 28}, k -> k % 256);
        negative = NpyFiles.write(fx.resolve("neg.npy"), "<f4", new int[]{20, 1, 28, 28}, k -> (k % 10) / 10.0 - 0.4);
        nan = NpyFiles.write(fx.resolve("nan.npy"), "<f4", new int[]{4, 1, 28, 28}, k -> k == 900 ? Double.NaN : 0.5);
        rgb = NpyFiles.write(fx.resolve("rgb.npy"), "<f4", new int[]{4, 3, 32, 32}, k -> 0.5);
        zeros = NpyFiles.write(fx.resolve("zeros.npy"), "<i8", new int[]{4, 2, 28, 28}, k -> 0);
        corruptPng = Files.writeString(fx.resolve("corrupt.png"), "this is not a PNG");
        corruptOnnx = Files.write(fx.resolve("corrupt.onnx"), new byte[]{8, 1, 2, 3, 4, 5});
        twoInputs = Files.write(fx.resolve("two-inputs.onnx"), org.diffeo4j.onnx.TinyOnnx.twoInputs());
        scalarOutput = Files.write(fx.resolve("scalar-output.onnx"), org.diffeo4j.onnx.TinyOnnx.scalarOutput());
        binary = Files.write(fx.resolve("binary.json"), new byte[]{(byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0xc3, 0x28});
        malformed = Files.writeString(fx.resolve("malformed.json"), "{\"kind\": ");
        aFile = Files.writeString(fx.resolve("a-file"), "not a folder");
        locked = Files.createDirectories(fx.resolve("locked"));
        idxTruncated = Files.write(fx.resolve("cut-images-idx3-ubyte"), new byte[]{0, 0, 8, 3, 0, 0, 0, 9, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2});
        Files.createDirectories(fx.resolve("folder"));
        eagerPickle = eagerPickle();
        gray32 = NpyFiles.write(fx.resolve("gray32.npy"), "<f4", new int[]{4, 1, 32, 32}, k -> 0.5);
        textPt = Files.writeString(fx.resolve("text.pt"), "a text file, not a model");
        oneImage = NpyFiles.write(fx.resolve("one.npy"), "<f4", new int[]{1, 1, 28, 28}, k -> (k % 5) / 5.0);
        trailing = Files.writeString(fx.resolve("trailing.json"), "{\"kind\": 1}}");
        // an output folder holding a symbolic link: a run would write through it, outside the folder (issue 21 item 8)
        linked = Files.createDirectories(fx.resolve("linked"));
        Files.createSymbolicLink(linked.resolve("stability.jsonl"), Files.writeString(fx.resolve("precious.txt"), "not diffeo's"));
        // the descriptor of a net at initialisation that diffeo train writes (init/): batch statistics
        initNet = Files.createDirectories(fx.resolve("init"));
        Files.writeString(initNet.resolve("model.json"), "{\"format\":\"diffeo4j-djl-net\",\"arch\":\"resnet\",\"seed\":0,\"batch_statistics\":true,"
                + "\"depth\":18,\"input\":[1,28,28],\"classes\":10,\"epochs\":0,\"parameters\":701178}\n");
        // 2 architectures x 2 sizes x 2 seeds: 8 units.
        study = Files.writeString(fx.resolve("study.json"), """
                {"name": "bad-input", "datasets": [{"name": "mnist", "train": "%s", "test": "%s"}],
                 "architectures": ["fc", "lenet"], "train_sizes": [64, 128], "seeds": [1, 2], "augmentations": ["none"],
                 "training": {"epochs": 1, "batch": 32, "optimizer": "adam", "lr": 0.001},
                 "measure": {"probes": 20, "cuts": [3], "deltas": [1.0]}}
                """.formatted(mnistTrain(), mnist()));
        // a study measuring one model, a corrupt ONNX file
        modelsStudy = Files.writeString(fx.resolve("models-study.json"), """
                {"name": "bad-models", "datasets": [{"name": "mnist", "train": "%s", "test": "%s"}],
                 "models": [{"name": "broken", "path": "%s"}], "seeds": [1],
                 "measure": {"probes": 20, "cuts": [3], "deltas": [1.0]}}
                """.formatted(mnistTrain(), mnist(), corruptOnnx));
        // a study whose one architecture is a TorchScript file that is not a module (a text file named .pt)
        moduleStudy = Files.writeString(fx.resolve("module-study.json"), """
                {"name": "bad-module", "datasets": [{"name": "mnist", "train": "%s", "test": "%s"}],
                 "architectures": [{"name": "mine", "path": "%s"}], "train_sizes": [64], "seeds": [1],
                 "training": {"epochs": 1, "batch": 32, "optimizer": "adam", "lr": 0.001},
                 "measure": {"probes": 20, "cuts": [3], "deltas": [1.0]}}
                """.formatted(mnistTrain(), mnist(), textPt));
        corruptTorchScript = fx.resolve("corrupt.pt");
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(Files.newOutputStream(corruptTorchScript))) {
            for (String e : new String[]{"net/data.pkl", "net/code/__torch__.py"}) { // the layout, not the content, of torch.jit.save
                z.putNextEntry(new java.util.zip.ZipEntry(e));
                z.write("not TorchScript".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
    }

    /** What torch.save(model) writes: PyTorch's zip layout with a pickle but no TorchScript code. */
    static Path eagerPickle() throws IOException {
        Path p = fx.resolve("eager.pt");
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(Files.newOutputStream(p))) {
            for (String e : new String[]{"eager/data.pkl", "eager/data/0", "eager/version"}) {
                z.putNextEntry(new java.util.zip.ZipEntry(e));
                z.write(new byte[]{(byte) 0x80, 2, ')', '.'});
                z.closeEntry();
            }
        }
        return p;
    }

    static String torchModel(String name) {
        return SharedFiles.testData().resolve("torch").resolve(name).toString();
    }

    static String mnistTrain() {
        return SharedFiles.root().resolve("data/mnist/train-images-idx3-ubyte.gz").toString();
    }

    static String[] with(String[] args, String last) {
        String[] all = Arrays.copyOf(args, args.length + 1);
        all[args.length] = last;
        return all;
    }

    static String mnist() {
        return SharedFiles.root().resolve("data/mnist/t10k-images-idx3-ubyte.gz").toString();
    }

    static Stream<Case> cases() {
        String f = fx.toString();
        List<Case> c = new ArrayList<>();
        // measure: numbers and words
        c.add(new Case("--probes", "--probes must be >= 3", "measure", "--probes", "2"));
        c.add(new Case("--probes", "--probes must be >= 2", "measure", "--probes", "1", "--average", "mean"));
        c.add(new Case("--probes", "--probes must be between 3 and the 500 images available in the bundled digits", "measure", "--probes", "5000"));
        c.add(new Case("--data", "--data must hold at least 3 images for --probes", "measure", "--data", oneImage.toString()));
        c.add(new Case("--cut", "--cut must be <= 27 for 28-pixel images", "measure", "--cut", "1000"));
        c.add(new Case("--cut", "--cut must be >= 1, found 0", "measure", "--cut", "0"));
        c.add(new Case("--cut", "--cut must be >= 2 for a temperature from delta", "measure", "--cut", "1"));
        c.add(new Case("--cut", "--cut must be a list of integers", "measure", "--cut", "3,x"));
        c.add(new Case("--delta", "--delta must be a finite number > 0, found 0.0", "measure", "--delta", "0"));
        c.add(new Case("--delta", "--delta log range MIN:MAX:COUNT needs", "measure", "--delta", "1:0.5:3"));
        c.add(new Case("--delta", "--delta must be small enough that its temperature", "measure", "--delta", "1e308"));
        c.add(new Case("--temperature", "--temperature must be a finite number > 0, found NaN", "measure", "--temperature", "NaN"));
        c.add(new Case("--temperature", "mutually exclusive", "measure", "--delta", "1", "--temperature", "0.001"));
        c.add(new Case("--interp", "--interp must be bilinear, gaussian or nearest, found 'cubic'", "measure", "--interp", "cubic"));
        c.add(new Case("--average", "--average must be median or mean", "measure", "--average", "mode"));
        c.add(new Case("--realisations", "--realisations must be >= 1, found 0", "measure", "--realisations", "0"));
        c.add(new Case("--format", "--format must be table or json", "measure", "--format", "xml"));
        c.add(new Case("--noise", "--noise must be gaussian or spectral, found 'other'", "measure", "--noise", "other", "--out", f + "/noise-out"));
        c.add(new Case("--backend", "--backend must be one of", "measure", "--backend", "nonesuch"));
        c.add(new Case("--threads", "--threads must be >= 1, found 0", "measure", "--threads", "0"));
        c.add(new Case("--mean", "--mean and --std must be given together", "measure", "--mean", "0.1"));
        c.add(new Case("--mean", "--mean and std must have 1 value (the images have 1 channel), found 2", "measure", "--mean", "0.1,0.2", "--std", "0.3,0.4"));
        c.add(new Case("--std", "--std must be finite numbers > 0", "measure", "--mean", "0.1", "--std", "0"));
        c.add(new Case("--seed", "--seed", "measure", "--seed", "abc"));
        c.add(new Case("--layout", "--layout must be nchw or nhwc", "measure", "--layout", "hwc"));
        c.add(new Case("--no-such-option", "Unknown option: '--no-such-option'", "measure", "--no-such-option"));
        // measure: data
        c.add(new Case("--data", "channels-last (N, H, W, C)", "measure", "--data", nhwc.toString()));
        c.add(new Case("--data", "pixel values must lie in [0, 1]", "measure", "--data", float255.toString()));
        c.add(new Case("--data", "pixel values must lie in [0, 1]", "measure", "--data", negative.toString()));
        c.add(new Case("--data", "pixels must be finite numbers, found NaN", "measure", "--data", nan.toString()));
        c.add(new Case("--data", "--data must be an existing file or folder", "measure", "--data", f + "/missing.npy"));
        c.add(new Case("--data", "corrupt IDX file", "measure", "--data", idxTruncated.toString()));
        c.add(new Case("--data", "must hold PNG or JPEG images", "measure", "--data", f + "/folder"));
        c.add(new Case("--model", "--model input must be images of shape [B, 1, 28, 28], found data of shape [4, 3, 32, 32]",
                "measure", "--data", rgb.toString(), "--probes", "4"));
        c.add(new Case("--model", "--model input must be images of shape [B, 1, 28, 28], found data of shape [4, 2, 28, 28]",
                "measure", "--data", zeros.toString(), "--probes", "4"));
        // measure: models
        c.add(new Case("--model", "--model must be an existing model file", "measure", "--model", f + "/none.onnx"));
        c.add(new Case("--model", "--model must be an ONNX file that ONNX Runtime can load", "measure", "--model", corruptOnnx.toString()));
        c.add(new Case("--model", "--model must take a single image input", "measure", "--model", twoInputs.toString()));
        c.add(new Case("--model", "--model output must be [B, K] with K >= 1", "measure", "--model", scalarOutput.toString()));
        c.add(new Case("--layer", "--layer must name hidden layers of the model, found 'nosuch', but its layers are ",
                "measure", "--layer", "nosuch"));
        c.add(new Case("--model", "--model must be a TorchScript file that libtorch can load", "measure", "--model", corruptTorchScript.toString()));
        c.add(new Case("--model", "--model input must be images of shape [B, 1, ?, ?], found data of shape [4, 3, 32, 32]",
                "measure", "--model", torchModel("lenet.pt"), "--data", rgb.toString(), "--probes", "4"));
        c.add(new Case("--model", "--model input must be images lenet.pt can take, found data of shape [4, 1, 32, 32] (libtorch failed",
                "measure", "--model", torchModel("lenet.pt"), "--data", gray32.toString(), "--probes", "4"));
        c.add(new Case("--model", "--model must be a TorchScript file (torch.jit.trace or torch.jit.script, then torch.jit.save), found a torch.save file",
                "measure", "--model", eagerPickle.toString()));
        c.add(new Case("--layer", "--layer must name hidden layers of the model, found 'layer2.0.downsample', but its layers are conv1, bn1",
                "measure", "--model", torchModel("resnet_bn.pt"), "--layer", "layer2.0.downsample"));
        c.add(new Case("--layer", "--layer must name hidden layers of the model, found 'features.9', but its layers are ",
                "measure", "--model", torchModel("lenet.onnx"), "--layer", "features.9"));
        c.add(new Case("--model", "--model must be an existing model file", "layers", "--model", f + "/none.pt"));
        c.add(new Case("--model", "--model must be a TorchScript file (torch.jit.save writes a zip archive), found", "measure", "--model", textPt.toString()));
        c.add(new Case("--model", "--model must be a TorchScript file (torch.jit.save writes a zip archive), found", "layers", "--model", textPt.toString()));
        c.add(new Case("--model", "--model input must be images of shape [B, 1, ?, ?], found data of shape [1, 3, 32, 32]",
                "layers", "--model", torchModel("lenet.pt"), "--data", rgb.toString()));
        c.add(new Case("--data", "--data must be an existing file or folder", "layers", "--model", torchModel("lenet.pt"), "--data", f + "/missing.npy"));
        c.add(new Case("--threads", "--threads must be >= 1, found 0", "layers", "--model", torchModel("lenet.pt"), "--threads", "0"));
        // measure: output folder
        c.add(new Case("--out", "--out must be a folder, found a file at", "measure", "--out", aFile.toString()));
        c.add(new Case("--out", "--out must be a writable folder", "measure", "--out", "/proc/diffeo-test/out"));
        c.add(new Case("--out", "--out must be a folder that can be created", "measure", "--out", aFile + "/sub"));
        c.add(new Case("--out", "--out must not be in use by another run", "measure", "--probes", "20", "--out", locked.toString()));
        // attack: its own options, then the measurement's inputs it shares
        c.add(new Case("--target", "--target must be distance or margin, found 'logits'", "attack", "--target", "logits"));
        c.add(new Case("--method", "--method must be auto, gradient or derivative-free, found 'newton'", "attack", "--method", "newton"));
        c.add(new Case("--method", "--method must be derivative-free or auto for this model (ONNX lenet_visible.onnx", "attack", "--method", "gradient"));
        c.add(new Case("--steps", "--steps must be >= 1 (at least one ascent step from each typical draw), found 0", "attack", "--steps", "0"));
        c.add(new Case("--restarts", "--restarts must be >= 1, found -1", "attack", "--restarts", "-1"));
        c.add(new Case("--cut", "--cut must be >= 1, found 0", "attack", "--cut", "0"));
        c.add(new Case("--cut", "--cut must be <= 27 for 28-pixel images", "attack", "--cut", "3,40"));
        c.add(new Case("--cut", "--cut must be >= 2 for a temperature from delta", "attack", "--cut", "1"));
        c.add(new Case("--delta", "--delta must be a finite number > 0, found 0.0", "attack", "--delta", "1,0"));
        c.add(new Case("--temperature", "--temperature must be a finite number > 0, found -0.001", "attack", "--temperature", "-1e-3"));
        c.add(new Case("--probes", "--probes must be >= 3", "attack", "--probes", "2"));
        c.add(new Case("--probes", "--probes must be between 3 and the 500 images available in the bundled digits", "attack", "--probes", "501"));
        c.add(new Case("--average", "--average must be median or mean", "attack", "--average", "mode"));
        c.add(new Case("--format", "--format must be table or json", "attack", "--format", "csv"));
        c.add(new Case("--threads", "--threads must be >= 1, found 0", "attack", "--threads", "0"));
        c.add(new Case("--model", "--model must be an existing model file", "attack", "--model", f + "/none.pt"));
        c.add(new Case("--model", "--model must take a single image input", "attack", "--model", twoInputs.toString()));
        c.add(new Case("--model", "--model must give every image outputs of its own", "attack", "--model", initNet.toString(),
                "--data", mnist()));
        c.add(new Case("--data", "--data must be an existing file or folder", "attack", "--data", f + "/missing.npy"));
        c.add(new Case("--data", "pixel values must lie in [0, 1]", "attack", "--data", float255.toString()));
        c.add(new Case("--model", "--model input must be images of shape [B, 1, 28, 28], found data of shape [4, 3, 32, 32]",
                "attack", "--data", rgb.toString(), "--probes", "4"));
        c.add(new Case("--out", "--out must be a folder, found a file at", "attack", "--out", aFile.toString()));
        c.add(new Case("--out", "--out must not be in use by another run", "attack", "--probes", "3", "--steps", "1", "--restarts", "1",
                "--out", locked.toString()));
        // deform --coefficients
        c.add(new Case("--coefficients", "--coefficients must be a coefficients.json written by diffeo attack, found " + f + "/none.json (no such file)",
                "deform", "--coefficients", f + "/none.json"));
        c.add(new Case("--coefficients", "--coefficients must be a coefficients.json written by diffeo attack, found " + malformed
                + " (not readable as JSON)", "deform", "--coefficients", malformed.toString()));
        c.add(new Case("--cut", "--cut must be left out with --coefficients", "deform", "--coefficients", malformed.toString(), "--cut", "5"));
        // deform
        c.add(new Case("--cut", "--cut must be >= 1, found 0", "deform", "--cut", "0"));
        c.add(new Case("--cut", "--cut must be <= 27 for 28-pixel images", "deform", mnist(), "--cut", "40"));
        c.add(new Case("--cut", "--cut must be >= 2 for a temperature from delta", "deform", "--cut", "1"));
        c.add(new Case("--delta", "--delta must be a finite number > 0, found 0.0", "deform", "--delta", "0"));
        c.add(new Case("--temperature", "--temperature must be a finite number > 0, found -1.0", "deform", "--temperature", "-1"));
        c.add(new Case("--count", "--count must be >= 1, found 0", "deform", "--count", "0"));
        c.add(new Case("--interp", "--interp must be bilinear, gaussian or nearest", "deform", "--interp", "cubic"));
        c.add(new Case("--grid-cuts", "--grid-cuts must be >= 1, found 0", "deform", "--grid-cuts", "0,2"));
        c.add(new Case("--grid-temperatures", "--grid-temperatures must be a finite number > 0, found 0.0", "deform", "--grid-temperatures", "0,1"));
        c.add(new Case("--index", "--index must lie in [0, 1999]", "deform", mnist(), "--index", "5000"));
        c.add(new Case("--index", "--index must be a list of integers", "deform", mnist(), "--index", "a-b"));
        c.add(new Case("IMAGE", "IMAGE must be a PNG/JPEG, IDX or NPY file, found a folder", "deform", f + "/folder"));
        c.add(new Case("IMAGE", "image must be PNG or JPEG", "deform", corruptPng.toString()));
        c.add(new Case("IMAGE", "IMAGE file", "deform", f + "/missing.png"));
        c.add(new Case("IMAGE", "channels-last (N, H, W, C)", "deform", nhwc.toString()));
        c.add(new Case("IMAGE", "pixel values must lie in [0, 1]", "deform", float255.toString()));
        c.add(new Case("--out", "--out must be a folder, found a file at", "deform", "--out", aFile.toString()));
        c.add(new Case("--threads", "--threads must be >= 1, found 0", "deform", "--threads", "0"));
        c.add(new Case("--augment", "--augment must be diffeo[:s_T=..,r_T=..,s_c=..,r_c=..,c_min=..,c_max=..], found 'elastic'", "deform", "--augment", "elastic"));
        c.add(new Case("--augment", "--augment r_c must be a finite number > 0, found 0.0", "deform", "--augment", "diffeo:r_c=0"));
        c.add(new Case("--augment", "--augment c_max must be <= 17 for images of width 28", "deform", mnist(), "--augment", "diffeo:c_max=20"));
        c.add(new Case("--augment", "--delta must be left out with --augment", "deform", "--augment", "diffeo", "--delta", "1"));
        // train --augment (parsed before any data is read or the engine started)
        String[] train = {"train", "--arch", "lenet", "--data", mnistTrain(), "--test", mnist(), "--train-size", "10", "--epochs", "1", "--augment"};
        c.add(new Case("--augment", "--augment must be none or parts joined by + among diffeo[:...], adversarial-diffeo[:...], shift[:pixels=N], flip[:p=X], found 'elastic'",
                with(train, "elastic")));
        c.add(new Case("--augment", "--augment shift pixels must be an integer, found 'x'", with(train, "shift:pixels=x+flip")));
        c.add(new Case("--augment", "--augment must name each of diffeo, shift, flip at most once", with(train, "flip+flip:p=0.2")));
        c.add(new Case("--augment", "--augment c_max must be <= 17 for images of width 28", with(train, "diffeo:c_max=20+flip")));
        c.add(new Case("--augment", "--augment c_max must be <= 17 for images of width 28", with(train, "adversarial-diffeo:c_max=20")));
        c.add(new Case("--augment", "--augment adversarial-diffeo steps must be in [1, 1000], found 0", with(train, "adversarial-diffeo:steps=0")));
        c.add(new Case("--augment", "--augment must hold one of diffeo and adversarial-diffeo", with(train, "diffeo+adversarial-diffeo")));
        // train: the recipe's options (issue 20), checked before any data is read or the engine started
        String[] plain = {"train", "--arch", "lenet", "--data", mnistTrain(), "--test", mnist(), "--train-size", "10", "--epochs", "1"};
        c.add(new Case("--recipe", "--recipe must be one of [paper, none], found 'authors'", with(with(plain, "--recipe"), "authors")));
        c.add(new Case("--momentum", "--momentum must be a finite number >= 0, found -0.5", with(with(plain, "--momentum"), "-0.5")));
        c.add(new Case("--weight-decay", "--weight-decay must be a finite number >= 0, found -1.0E-4", with(with(plain, "--weight-decay"), "-1e-4")));
        c.add(new Case("--schedule", "--schedule must be constant, cosine or cosine:FRACTION with FRACTION > 0, found 'linear'",
                with(with(plain, "--schedule"), "linear")));
        c.add(new Case("--stop-at-loss", "--stop-at-loss must be a finite number >= 0, found -1.0", with(with(plain, "--stop-at-loss"), "-1")));
        c.add(new Case("--min-steps", "--min-steps must be >= 0, found -3", with(with(plain, "--min-steps"), "-3")));
        c.add(new Case("--select", "--select must be one of [last, best-validation, best-test], found 'best'", with(with(plain, "--select"), "best")));
        c.add(new Case("--validation", "--validation must be >= 1 with select best-validation", with(with(plain, "--select"), "best-validation")));
        c.add(new Case("--validation", "--validation must be <= 7990 (the images of", with(with(plain, "--validation"), "7991")));
        c.add(new Case("--normalise", "--normalise must be none or MEAN/STD", with(with(plain, "--normalise"), "0.5")));
        String[] withArch = {"train", "--data", mnistTrain(), "--test", mnist(), "--train-size", "10", "--epochs", "1", "--arch"};
        c.add(new Case("--arch", "--arch must be a TorchScript module saved with torch.jit.save, found " + textPt, with(withArch, textPt.toString())));
        c.add(new Case("--arch", "--arch must be a TorchScript module saved with torch.jit.save, found " + eagerPickle,
                with(withArch, eagerPickle.toString())));
        c.add(new Case("--arch", "--arch must be a built-in architecture or a TorchScript file (.pt), found no file at", with(withArch, f + "/missing.pt")));
        c.add(new Case("--epochs", "--epochs must be given (or --recipe paper, whose default is 250), found none",
                "train", "--arch", "lenet", "--data", mnistTrain(), "--test", mnist(), "--train-size", "10"));
        // phase
        c.add(new Case("--samples", "--samples must be >= 1, found 0", "phase", "--samples", "0"));
        c.add(new Case("--size", "--size must be >= 2, found 1", "phase", "--size", "1"));
        c.add(new Case("--cuts", "--cuts must be >= 1, found 0", "phase", "--cuts", "0,2"));
        c.add(new Case("--temperatures", "--temperatures must be finite numbers >= 0, found -1.0", "phase", "--temperatures", "-1,1"));
        c.add(new Case("--temperatures", "--temperatures must be numbers like", "phase", "--temperatures", "1e-3,x"));
        c.add(new Case("--threads", "--threads must be >= 1, found 0", "phase", "--threads", "0"));
        c.add(new Case("--out", "--out must be a folder, found a file at", "phase", "--out", aFile.toString()));
        // verify
        c.add(new Case("--backend", "--backend must be one of", "verify", "--backend", "nonesuch"));
        c.add(new Case("--threads", "--threads must be >= 1, found 0", "verify", "--backend", "java", "--threads", "0"));
        c.add(new Case("FILE", "FILE reference file " + binary + " must be JSON, found binary content", "verify", binary.toString()));
        c.add(new Case("FILE", "must be JSON, found malformed JSON at line 1 column 10", "verify", malformed.toString()));
        c.add(new Case("FILE", "reference file " + trailing + " must be JSON, found malformed JSON at line 1 column 13", "verify", trailing.toString()));
        // study and stripe
        c.add(new Case("--out", "--out must be a folder, found a file at", "study", study.toString(), "--out", aFile.toString()));
        c.add(new Case("--shard", "--shard must be I/N with N <= 8", "study", study.toString(), "--shard", "1/100"));
        c.add(new Case("--shard", "--shard must be I/N with N <= 8", "study", study.toString(), "--shard", "50/100"));
        c.add(new Case("--train-sizes", "--train-sizes must be >= 2 each (P, the training points), found 1", "stripe", "--train-sizes", "1"));
        c.add(new Case("FILE", "must be a readable file, found none", "verify", f + "/missing.json"));
        // issue 21: the run store's refusals, and options of stripe, study and train the suite did not try
        String symlink = "--out must hold no symbolic link (diffeo never writes through one), found stability.jsonl -> ";
        c.add(new Case("--out", symlink, "measure", "--probes", "20", "--out", linked.toString()));
        c.add(new Case("--out", symlink, "stripe", "--out", linked.toString()));
        c.add(new Case("--out", symlink, "study", study.toString(), "--out", linked.toString()));
        c.add(new Case("--out", symlink, with(with(plain, "--out"), linked.toString())));
        c.add(new Case("--out", symlink, "deform", "--out", linked.toString()));
        c.add(new Case("--seeds", "--seeds must be >= 1, found 0", "stripe", "--seeds", "0"));
        c.add(new Case("--train-sizes", "--train-sizes must be a list of integers like 1,2,5 or 0-9, found '64,x'", "stripe", "--train-sizes", "64,x"));
        c.add(new Case("--threads", "--threads must be >= 1, found 0", "stripe", "--threads", "0"));
        c.add(new Case("--extend", "--extend must be used without --shard, --merge and --plot-only", "study", study.toString(), "--extend", "--shard", "1/2"));
        c.add(new Case("--engine", "--engine must be local or spark, found nonesuch", "study", study.toString(), "--engine", "nonesuch"));
        c.add(new Case("--master", "--master must be used with --engine spark, found --engine local", "study", study.toString(), "--master", "local[2]"));
        c.add(new Case("--plot-only", "--shard, --merge and --plot-only must be used one at a time", "study", study.toString(), "--shard", "1/2",
                "--plot-only"));
        c.add(new Case("FILE", "study FILE must be a readable JSON file, found " + f + "/missing-study.json (no such file or folder)",
                "study", f + "/missing-study.json"));
        c.add(new Case("--shard", "--shard must be I/N with 1 <= I <= N, found 0/2", "study", study.toString(), "--shard", "0/2"));
        c.add(new Case("--threads", "--threads must be >= 1, found 0", "study", study.toString(), "--threads", "0"));
        // checked before the folder is made (it used to write runs/ and the record, then fail at the unit)
        c.add(new Case("models", "models entry broken: model must be an ONNX file that ONNX Runtime can load, found " + corruptOnnx,
                "study", modelsStudy.toString(), "--out", f + "/models-study-out"));
        c.add(new Case("architectures", "architectures entry mine must be a TorchScript module saved with torch.jit.save, found " + textPt,
                "study", moduleStudy.toString(), "--out", f + "/module-study-out"));
        c.add(new Case("--batch", "--batch must be >= 1, found 0", with(with(plain, "--batch"), "0")));
        c.add(new Case("--optimizer", "--optimizer must be adam or sgd, found 'foo'", with(with(plain, "--optimizer"), "foo")));
        c.add(new Case("--lr", "--lr must be a finite number > 0, found -1.0", with(with(plain, "--lr"), "-1")));
        c.add(new Case("--threads", "--threads must be >= 1, found 0", with(with(plain, "--threads"), "0")));
        c.add(new Case("--train-size", "--train-size must be >= 1, found 0", "train", "--arch", "lenet", "--data", mnistTrain(), "--test", mnist(),
                "--train-size", "0", "--epochs", "1"));
        c.add(new Case("--count", "Invalid value for option '--count': 'x' is not an int", "deform", "--count", "x"));
        c.add(new Case("--size", "Invalid value for option '--size': 'x' is not an int", "phase", "--size", "x"));
        c.add(new Case("--threads", "Invalid value for option '--threads': 'x' is not an int", "verify", "--backend", "java", "--threads", "x"));
        c.add(new Case("--data", "--data must be an existing file or folder, found nothing at", "layers", "--model", torchModel("lenet.pt"), "--data",
                f + "/missing-folder/"));
        return c.stream();
    }

    @Test
    void theSuiteIsLargeAndCoversEveryCommand() {
        List<Case> all = cases().toList();
        assertTrue(all.size() >= 120, "at least 120 bad inputs (issue 21), found " + all.size());
        assertEquals(all.size(), all.stream().map(c -> Arrays.asList(c.args())).distinct().count(), "every case distinct");
        Set<String> commands = all.stream().map(c -> c.args()[0]).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(List.of("attack", "deform", "layers", "measure", "phase", "stripe", "study", "train", "verify")), commands);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isOneErrorLineAndWritesNothing(Case c) throws IOException {
        Path out = Files.createTempDirectory(fx, "run").resolve("out");
        List<String> args = new ArrayList<>(Arrays.asList(c.args()));
        boolean hasOut = args.contains("--out");
        if (!hasOut && !args.get(0).equals("verify") && !args.get(0).equals("layers")) { // they write no files
            args.add("--out");
            args.add(out.toString());
        }
        Set<String> before = listing(fx);
        CliTest.Run r;
        if (c.args()[c.args().length - 1].equals(locked.toString())) {
            try (FileChannel ch = FileChannel.open(locked.resolve(RunFolder.LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock held = ch.lock()) {
                r = CliTest.run(args.toArray(String[]::new));
            }
            Files.delete(locked.resolve(RunFolder.LOCK));
        } else {
            r = CliTest.run(args.toArray(String[]::new));
        }
        assertEquals(2, r.code(), r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), "exactly one line on stderr: " + r.err());
        assertTrue(lines.get(0).startsWith("error: "), r.err());
        assertTrue(lines.get(0).contains(c.argument()), "the message names " + c.argument() + ": " + r.err());
        assertTrue(lines.get(0).contains(c.fragment()), "expected '" + c.fragment() + "' in: " + r.err());
        assertFalse(lines.get(0).matches(".*\\b[A-Z][A-Za-z]*(Exception|Error)\\b.*"), "no Java exception names: " + r.err());
        assertFalse(lines.get(0).matches(".*(JsonReader|Strictness|Json[A-Z][a-z]+|path \\$).*"), "no parser's own hints or types: " + r.err());
        assertTrue(r.out().isEmpty(), "nothing on stdout: " + r.out());
        assertFalse(Files.exists(out), "no output folder may be created on bad input");
        Set<String> after = listing(fx);
        after.removeIf(p -> p.startsWith(out.getParent().getFileName().toString()));
        before.removeIf(p -> p.startsWith(out.getParent().getFileName().toString()));
        assertEquals(before, after, "nothing new beside the fixtures");
    }

    private static Set<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p).toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
