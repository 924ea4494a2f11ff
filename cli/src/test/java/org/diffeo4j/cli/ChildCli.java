package org.diffeo4j.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line in a child JVM (this test class path), for signals and kills a test JVM cannot take itself. */
final class ChildCli {
    private ChildCli() {
    }

    /** Starts {@code diffeo args...}; stdout and stderr go to {@code out.txt}/{@code err.txt} in {@code logs}. */
    static Process start(Path logs, Path tmp, String... args) throws IOException {
        return start(null, logs, tmp, args);
    }

    /** As {@link #start(Path, Path, String...)}, under {@code umask} (octal, as the shell takes it; null: this JVM's). */
    static Process start(String umask, Path logs, Path tmp, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>();
        if (umask != null) { // the shell sets the umask, then becomes the JVM
            cmd.addAll(List.of("/bin/sh", "-c", "umask " + umask + " && exec \"$0\" \"$@\""));
        }
        cmd.addAll(List.of(java, "-Xmx1g", "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + tmp,
                "-Djava.awt.headless=true", DiffeoCli.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        // The class path goes in the environment: a long java command line crashes ONNX Runtime (see cli/pom.xml).
        pb.environment().put("CLASSPATH", cp.replace(File.pathSeparator + File.pathSeparator, File.pathSeparator));
        pb.redirectOutput(logs.resolve("out.txt").toFile());
        pb.redirectError(logs.resolve("err.txt").toFile());
        return pb.start();
    }

    /** Sends {@code signal} ("INT", "TERM") to {@code p}. */
    static void signal(Process p, String signal) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start().waitFor();
    }
}
