package org.diffeo4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** {@code diffeo}: maximum-entropy diffeomorphisms and relative stability (Petrini et al. 2021). */
@Command(name = "diffeo", mixinStandardHelpOptions = true, versionProvider = DiffeoCli.Version.class,
        description = "Maximum-entropy diffeomorphisms of images and the relative stability R_f = D_f / G_f "
                + "(Petrini, Favero, Geiger, Wyart, NeurIPS 2021).",
        subcommands = {MeasureCommand.class, DeformCommand.class, PhaseCommand.class, VerifyCommand.class, LayersCommand.class, CommandLine.HelpCommand.class})
public final class DiffeoCli implements Runnable {
    /** Exit code of a finished run whose checks failed, or of an unexpected failure. */
    public static final int EXIT_FAILURE = 1;
    /** Exit code of bad usage or bad input. */
    public static final int EXIT_USAGE = 2;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: measure, deform, phase or verify");
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs with the given streams and returns the exit code (for tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new DiffeoCli());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("error: " + ex.getMessage());
            err.println("(see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            if (verbose(a)) {
                ex.printStackTrace(err);
            }
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            boolean input = ex instanceof IllegalArgumentException || ex instanceof IllegalStateException;
            String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            err.println("error: " + (input ? msg : ex.getClass().getSimpleName() + ": " + msg).replace('\n', ' '));
            if (verbose(args)) {
                ex.printStackTrace(err);
            }
            err.flush();
            return input ? EXIT_USAGE : EXIT_FAILURE;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static boolean verbose(String[] args) {
        for (String a : args) {
            if (a.equals("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /** Version from the jar manifest, or "dev". */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = DiffeoCli.class.getPackage().getImplementationVersion();
            return new String[]{"diffeo4j " + (v == null ? "0.1.0-SNAPSHOT" : v) + " (Java " + Runtime.version() + ")"};
        }
    }
}
