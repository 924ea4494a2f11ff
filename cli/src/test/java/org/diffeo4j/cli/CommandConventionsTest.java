package org.diffeo4j.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The conventions of every registered subcommand (found by walking the command line, so commands
 * added later are held to them too):
 * <ul>
 * <li>{@code -h} and {@code -V} work;</li>
 * <li>long option names are lower-case words joined by hyphens;</li>
 * <li>a value's placeholder says its kind: PATH (a file), DIR (a folder), N (an integer), X (a
 * number), LIST (a comma list or MIN:MAX:COUNT), NAME (one word of a fixed set), SEED, I/N (part I of N,
 * {@code study --shard}), URL (a Spark master, {@code study --master}), SPEC (a name with key=value settings, as deform --augment diffeo:s_T=1,c_max=10); BOOL (true or false, an optional value: train --random-subset[=false]); MEAN/STD (two comma lists, train --normalise 0.5/0.5);</li>
 * <li>descriptions are sentences ending with a full stop; an option with a default says
 * "Default: ..." (the value picocli really uses, or "all cores"/"1" where it is computed);</li>
 * <li>an option taking several values splits them at commas;</li>
 * <li>an option present in several commands has the same placeholder (or LIST where a command takes
 * a list of them), description and default, except the listed ones whose meaning differs.</li>
 * </ul>
 */
class CommandConventionsTest {
    static final Set<String> LABELS = Set.of("PATH", "DIR", "N", "X", "LIST", "NAME", "SEED", "I/N", "URL", "SPEC", "BOOL", "MEAN/STD");
    /** Options whose default or description legitimately differs between commands, and why. */
    static final Map<String, String> DIFFERENT = Map.of(
            "--backend", "verify defaults to all backends, the others to the best one",
            "--out", "each command has its own folder (measure writes files only when asked)",
            "--cut", "measure takes a list of cut-offs, deform one",
            "--delta", "measure takes a list, deform one value",
            "--temperature", "measure takes a list, deform one value",
            "--data", "measure: the probe images; train: the training images (with labels); layers: the probe that gives shapes",
            "--test", "stripe: the number of test points; train: the test images (with labels)",
            "--augment", "deform shows samples of the augmentation (no default), train applies it (default none)");

    /** Of those, the options whose value is even of another kind (a file in one command, a count in another). */
    static final Set<String> DIFFERENT_KIND = Set.of("--test");

    static List<CommandLine> subcommands() {
        List<CommandLine> list = new ArrayList<>();
        DiffeoCli.commandLine().getSubcommands().forEach((name, cl) -> {
            if (!name.equals("help")) {
                list.add(cl);
            }
        });
        return list;
    }

    @Test
    void everyCommandAnswersHelpAndVersion() {
        assertTrue(subcommands().size() >= 4, "measure, deform, phase, verify at least");
        assertTrue(CliTest.run("-V").out().startsWith("diffeo4j "));
        for (CommandLine c : subcommands()) {
            String name = c.getCommandName();
            CliTest.Run v = CliTest.run(name, "-V");
            assertEquals(0, v.code(), name + " -V: " + v.err());
            assertTrue(v.out().startsWith("diffeo4j "), name + " -V printed: '" + v.out() + "'");
            CliTest.Run h = CliTest.run(name, "--help");
            assertEquals(0, h.code(), name);
            assertTrue(h.out().startsWith("Usage: diffeo " + name), h.out());
            for (String line : c.getCommandSpec().usageMessage().description()) {
                assertTrue(line.endsWith("."), name + "'s description lines must be sentences, found: " + line);
            }
        }
    }

    @Test
    void optionsFollowTheConventions() {
        Map<String, OptionSpec> seen = new LinkedHashMap<>();
        Map<String, String> seenIn = new LinkedHashMap<>();
        int checked = 0;
        for (CommandLine c : subcommands()) {
            CommandSpec spec = c.getCommandSpec();
            for (OptionSpec o : spec.options()) {
                if (o.usageHelp() || o.versionHelp()) {
                    continue;
                }
                String where = spec.name() + " " + o.longestName();
                checked++;
                assertTrue(o.longestName().matches("--[a-z][a-z0-9]*(-[a-z0-9]+)*"), where + ": long names are lower-case-hyphenated");
                String text = String.join(" ", o.description());
                assertTrue(text.endsWith("."), where + ": description must end with a full stop: " + text);
                boolean flag = o.arity().max() == 0;
                if (!flag) {
                    assertTrue(LABELS.contains(o.paramLabel()), where + ": placeholder must be one of " + LABELS + ", found " + o.paramLabel());
                    if (o.defaultValue() != null) {
                        assertTrue(text.endsWith("Default: " + o.defaultValue() + "."), where + ": must end with 'Default: ${DEFAULT-VALUE}.': " + text);
                    }
                    if (o.isMultiValue()) {
                        assertEquals(",", o.splitRegex(), where + ": lists split at commas");
                    }
                }
                OptionSpec before = seen.putIfAbsent(o.longestName(), o);
                if (before != null && !DIFFERENT.containsKey(o.longestName())) {
                    String other = seenIn.get(o.longestName()) + " " + o.longestName();
                    assertEquals(before.paramLabel(), o.paramLabel(), where + " and " + other + ": same placeholder");
                    assertEquals(String.join(" ", before.description()), text, where + " and " + other + ": same description");
                    assertEquals(before.defaultValue(), o.defaultValue(), where + " and " + other + ": same default");
                } else if (before != null) {
                    assertTrue(before.paramLabel().equals(o.paramLabel()) || before.paramLabel().equals("LIST") || o.paramLabel().equals("LIST")
                                    || DIFFERENT_KIND.contains(o.longestName()),
                            where + ": placeholder " + o.paramLabel() + " vs " + before.paramLabel());
                }
                seenIn.putIfAbsent(o.longestName(), spec.name());
            }
        }
        assertTrue(checked > 40, "options checked: " + checked);
    }

    /**
     * An option whose description is laid out in lines of its own (a list of forms, as --augment's) keeps
     * them: each line fits the help's description column, so picocli never wraps one into the next with
     * its 2-space continuation indent (issue 21: train and deform --augment printed a ragged block).
     */
    @Test
    void helpLinesLaidOutByHandAreNotWrapped() {
        List<String> wrapped = new ArrayList<>();
        int multi = 0;
        for (CommandLine c : subcommands()) {
            String[] help = c.getUsageMessage(CommandLine.Help.Ansi.OFF).split("\n");
            for (OptionSpec o : c.getCommandSpec().options()) {
                if (o.description().length < 2) {
                    continue;
                }
                multi++;
                String head = o.longestName() + (o.arity().max() == 0 ? "" : "=" + o.paramLabel());
                int at = -1;
                for (int i = 0; i < help.length && at < 0; i++) {
                    if (help[i].strip().startsWith(head) || help[i].contains(", " + head)) {
                        at = i;
                    }
                }
                assertTrue(at >= 0, c.getCommandName() + " " + head + " not found in its help");
                int column = help[at].indexOf(head) + head.length();
                while (column < help[at].length() && help[at].charAt(column) == ' ') {
                    column++;
                }
                for (int i = at + 1; i < help.length && help[i].length() > column && help[i].substring(0, column).isBlank(); i++) {
                    if (help[i].length() > column + 2 && help[i].substring(column, column + 2).isBlank() && help[i].charAt(column + 2) != ' ') {
                        wrapped.add(c.getCommandName() + " " + head + ": '" + help[i].strip() + "'");
                    }
                }
            }
        }
        assertTrue(multi >= 2, "options with hand-laid descriptions checked: " + multi);
        assertTrue(wrapped.isEmpty(), "description lines wrapped by picocli (shorten them to the column):\n" + String.join("\n", wrapped));
    }

    /**
     * README's command summary is the commands' own synopses, generated: the block between the
     * usage markers must equal them, so it cannot drift from the code. On a mismatch the expected
     * block is written to target/readme-usage.txt to paste in.
     */
    @Test
    void readmeSummaryIsTheCommandsOwnSynopsis() throws IOException {
        StringBuilder expected = new StringBuilder("```\n");
        for (CommandLine c : subcommands()) {
            expected.append(c.getHelp().synopsis(0));
        }
        expected.append("```\n");
        Path readme = Path.of(System.getProperty("diffeo4j.root", "..")).resolve("README.md");
        String text = Files.readString(readme);
        String begin = "<!-- usage: generated from the commands' help, checked by CommandConventionsTest -->\n", end = "<!-- usage: end -->";
        int a = text.indexOf(begin), b = text.indexOf(end);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/readme-usage.txt"), begin + expected + end + "\n");
        assertTrue(a >= 0 && b > a, "README.md must hold the usage markers; the block to paste is in cli/target/readme-usage.txt");
        assertEquals(expected.toString(), text.substring(a + begin.length(), b),
                "README.md's command summary differs from the commands' help; paste cli/target/readme-usage.txt");
    }

    /**
     * What the README and the launcher tell a new user agree with each other and with the code
     * (issue 21): one download size, a build counter that counts modules ("[INFO] Building NAME
     * VERSION [i/n]", not the "Building jar:" lines, which made 21 of a 12-module reactor), and no
     * claim that ONNX hidden layers must be re-exported as extra outputs (any node output is read).
     */
    @Test
    void theReadmeAndTheLauncherSayWhatIsTrue() throws IOException {
        Path root = Path.of(System.getProperty("diffeo4j.root", ".."));
        String readme = Files.readString(root.resolve("README.md")), launcher = Files.readString(root.resolve("diffeo"));
        java.util.regex.Matcher r = java.util.regex.Pattern.compile("about (\\d+) MB of libraries").matcher(readme);
        java.util.regex.Matcher l = java.util.regex.Pattern.compile("size=\"~(\\d+) MB\"").matcher(launcher);
        assertTrue(r.find() && l.find(), "README's 'about N MB of libraries' and the launcher's size=\"~N MB\"");
        assertEquals(r.group(1), l.group(1), "README and ./diffeo name the same download size");
        assertTrue(launcher.contains("Building .* \\[[0-9]*/[0-9]*\\]$"), "./diffeo counts module banners only");
        String stability = Files.readString(root.resolve("docs/stability.md"));
        for (String claim : List.of("exposes hidden layers only as extra outputs", "export the hidden tensors as extra outputs")) {
            assertTrue(!readme.contains(claim) && !stability.contains(claim), "README.md or docs/stability.md still says: " + claim);
        }
    }
}
