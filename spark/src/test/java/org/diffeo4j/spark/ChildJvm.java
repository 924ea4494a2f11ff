package org.diffeo4j.spark;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A child JVM on this test's class path with Spark's JDK 17 openings, bound to the loopback interface. */
final class ChildJvm {
    private ChildJvm() {
    }

    /** This test JVM's class path. */
    static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
                .replace(File.pathSeparator + File.pathSeparator, File.pathSeparator);
    }

    /**
     * Starts {@code main} with {@code args}; arguments starting with -D go to the JVM (Spark reads
     * spark.* system properties). Output and errors go to {@code log}, temporary files under {@code tmp}.
     */
    static Process start(Path log, Path tmp, Map<String, String> env, String main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-Djava.io.tmpdir=" + Files.createDirectories(tmp), "-Djava.awt.headless=true", "-Dspark.ui.enabled=false",
                "-Dspark.driver.host=127.0.0.1"));
        for (String o : System.getProperty("diffeo4j.spark.opens", "").split(" ")) {
            if (!o.isEmpty()) {
                cmd.add(o);
            }
        }
        List<String> own = new ArrayList<>();
        for (String a : args) {
            (a.startsWith("-D") ? cmd : own).add(a);
        }
        cmd.add(main);
        cmd.addAll(own);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        // The class path goes in the environment: the command line stays short (see cli/pom.xml on ONNX Runtime).
        pb.environment().put("CLASSPATH", classPath());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        return pb.start();
    }
}
