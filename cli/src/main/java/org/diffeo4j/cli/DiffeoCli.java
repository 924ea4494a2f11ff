package org.diffeo4j.cli;

import org.diffeo4j.validate.BadInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;

/** {@code diffeo}: maximum-entropy diffeomorphisms and relative stability (Petrini et al. 2021). */
@Command(name = "diffeo", mixinStandardHelpOptions = true, versionProvider = DiffeoCli.Version.class,
        description = "Maximum-entropy diffeomorphisms of images and the relative stability R_f = D_f / G_f "
                + "(Petrini, Favero, Geiger, Wyart, NeurIPS 2021).",
        subcommands = {MeasureCommand.class, AttackCommand.class, DeformCommand.class, PhaseCommand.class, StripeCommand.class, VerifyCommand.class, LayersCommand.class,
                TrainCommand.class, StudyCommand.class, CommandLine.HelpCommand.class})
public final class DiffeoCli implements Runnable {
    /** Exit code of a finished run whose checks failed, or of a failure of the run or a runtime. */
    public static final int EXIT_FAILURE = 1;
    /** Exit code of bad usage or bad input. */
    public static final int EXIT_USAGE = 2;
    /** Exit codes after SIGINT and SIGTERM (128 + the signal number, as shells report them). */
    public static final int EXIT_SIGINT = 130;
    public static final int EXIT_SIGTERM = 143;
    /** System property set by {@code --verbose}: model runtimes then let their own log output through. */
    public static final String VERBOSE_PROPERTY = org.diffeo4j.model.Options.VERBOSE_PROPERTY;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces of errors and the model runtimes' own log output.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: "
                + String.join(", ", spec.subcommands().keySet().stream().filter(n -> !n.equals("help")).toList()));
    }

    public static void main(String[] args) {
        if (verbose(args)) {
            System.setProperty(VERBOSE_PROPERTY, "true");
        }
        // One cache for JavaCPP's unpacked natives (native backend, ND4J), whichever loads first.
        if (System.getProperty("org.bytedeco.javacpp.cachedir") == null) {
            System.setProperty("org.bytedeco.javacpp.cachedir", Path.of(System.getProperty("user.home"), ".cache", "diffeo4j", "javacpp").toString());
        }
        Progress.useTerminal(Terminal.stderrIsTerminal());
        Interruption.install();
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** The command line with every subcommand, as {@link #run} builds it (for tests that walk the options). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new DiffeoCli());
        cl.setUsageHelpWidth(HELP_WIDTH); // fixed, so README's copy of the help (checked by a test) matches any terminal
        return cl;
    }

    /** Columns of the help text. */
    static final int HELP_WIDTH = 100;

    /** Runs with the given streams and returns the exit code (for tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return execute(commandLine(), args, out, err);
    }

    /** Executes {@code cl} with the project's error handling: the exit code follows from the kind of failure. */
    static int execute(CommandLine cl, String[] args, PrintWriter out, PrintWriter err) {
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("error: " + oneLine(ex.getMessage()).replaceFirst("^Error: ", "") + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            if (verbose(a)) {
                ex.printStackTrace(err);
            }
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            int code = exitCode(ex);
            String msg = Errors.describe(ex);
            if (code == EXIT_USAGE) {
                msg = Errors.withOption(msg, line.getCommandSpec());
            } else if (ex instanceof IllegalArgumentException) {
                // not ours: a runtime's (DJL's, libtorch's) own complaint mid-run is a failure of the run, not bad input
                msg = "run failed: " + msg;
            }
            err.println("error: " + msg);
            if (verbose(args)) {
                ex.printStackTrace(err);
            }
            err.flush();
            return code;
        });
        int code;
        try {
            code = cl.execute(args);
        } catch (Error e) { // picocli hands only Exceptions to the handler; OutOfMemoryError and kin land here
            err.println("error: " + Errors.describe(e));
            if (verbose(args)) {
                e.printStackTrace(err);
            }
            code = EXIT_FAILURE;
        }
        out.flush();
        err.flush();
        return code;
    }

    /**
     * The exit code of a failure, from its type alone (picocli's {@code IExitCodeExceptionMapper} role):
     * {@link BadInputException} is bad input, 2; anything else, a runtime's own
     * {@link IllegalArgumentException} included, is a failure of the run, 1.
     */
    static int exitCode(Throwable e) {
        return e instanceof BadInputException ? EXIT_USAGE : EXIT_FAILURE;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').strip();
    }

    private static boolean verbose(String[] args) {
        for (String a : args) {
            if (a.equals("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /** Version from the jar manifest, or "dev"; every subcommand answers {@code -V} with it. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = DiffeoCli.class.getPackage().getImplementationVersion();
            return new String[]{"diffeo4j " + (v == null ? "0.1.0-SNAPSHOT" : v) + " (Java " + Runtime.version() + ")"};
        }
    }
}
