package org.diffeo4j.onnx;

import org.diffeo4j.SharedFiles;
import org.diffeo4j.model.Model;
import org.diffeo4j.model.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrtTempFolderTest {
    /** A process that loads an ONNX model leaves nothing in its temporary folder once it exits. */
    @Test
    void aProcessThatLoadedAModelLeavesNoFolderBehind(@TempDir Path tmp) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
                LoadOnce.class.getName(), SharedFiles.root().resolve("models/lenet_visible.onnx").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child did not exit");
        assertEquals(0, p.exitValue(), out);
        // The child saw ONNX Runtime's folder inside our tmp while it ran (so the check below is not vacuous).
        assertTrue(out.contains("folder " + tmp), out);
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList(), "left in java.io.tmpdir after exit");
        }
    }

    /** The folder is found in this JVM too, and holds the extracted libraries while the JVM runs. */
    @Test
    void theExtractionFolderIsFound() {
        try (Model m = Models.load(SharedFiles.root().resolve("models/lenet_visible.onnx"))) {
            Path folder = OrtTempFolder.extractionFolder();
            assertNotNull(folder, "ONNX Runtime's tempDirectory field was not found");
            assertTrue(folder.getFileName().toString().startsWith("onnxruntime-java"), folder.toString());
        }
    }

    /** Child-JVM entry: loads the model once, prints the extraction folder, exits normally. */
    public static final class LoadOnce {
        public static void main(String[] args) {
            try (Model m = Models.load(Path.of(args[0]))) {
                Path folder = OrtTempFolder.extractionFolder();
                System.out.println("folder " + folder + " exists " + (folder != null && Files.isDirectory(folder)));
            }
        }
    }
}
