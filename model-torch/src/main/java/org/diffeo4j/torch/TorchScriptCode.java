package org.diffeo4j.torch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One class of a TorchScript archive's code (the Python-like source torch.jit.save writes under
 * {@code code/} and libtorch compiles again on load): its submodules and what its {@code forward}
 * does with them. Only the shapes the TorchScript printer writes are read; anything else is "not a
 * chain", never guessed.
 */
final class TorchScriptCode {
    private static final Pattern ATTRIBUTE = Pattern.compile("^  (\\w+) : (__torch__\\.[\\w.]+)$");
    private static final Pattern ANNOTATION = Pattern.compile("^  __annotations__\\[\"([^\"]+)\"] = (__torch__\\.[\\w.]+)$");
    private static final Pattern BIND_ATTR = Pattern.compile("^(\\w+) = (\\w+)\\.(\\w+)$");
    private static final Pattern BIND_GETATTR = Pattern.compile("^(\\w+) = getattr\\((\\w+), \"([^\"]+)\"\\)$");
    /** A scripted forward that only hands over to another method: {@code return (self)._forward_impl(x, )}. */
    private static final Pattern DELEGATE = Pattern.compile("^return \\((\\w+)\\)\\.(\\w+)\\((\\w+), \\)$");
    private static final Pattern CALL = Pattern.compile("\\((\\w+)\\)\\.forward\\(");

    /** The class body's lines (indented two spaces), the "class X(Module):" line excluded. */
    private final List<String> body;

    TorchScriptCode(List<String> body) {
        this.body = List.copyOf(body);
    }

    /** The class named {@code simpleName} in a code file, or empty when the file has none. */
    static Optional<TorchScriptCode> find(String file, String simpleName) {
        List<String> lines = file.lines().toList(), body = new ArrayList<>();
        int start = lines.indexOf("class " + simpleName + "(Module):");
        if (start < 0) {
            return Optional.empty();
        }
        for (int i = start + 1; i < lines.size() && (lines.get(i).startsWith(" ") || lines.get(i).isEmpty()); i++) {
            body.add(lines.get(i));
        }
        return Optional.of(new TorchScriptCode(body));
    }

    /** Submodule attribute -> its qualified class, in declaration order. */
    Map<String, String> submodules() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String l : body) {
            Matcher m = ATTRIBUTE.matcher(l);
            if (!m.matches()) {
                m = ANNOTATION.matcher(l);
            }
            if (m.matches()) {
                out.put(m.group(1), m.group(2));
            }
        }
        return out;
    }

    /** True when forward takes one Tensor besides self and returns a Tensor (so it can be called alone). */
    boolean forwardTakesOneTensor() {
        return signature("forward").map(s -> s.params().size() == 1 && s.params().get(0).endsWith(": Tensor") && s.returns().equals("Tensor"))
                .orElse(false);
    }

    /**
     * The submodules forward calls one after the other on its input before doing anything else:
     * each call's argument is the previous call's result (the first's is forward's input). For a
     * Sequential, or a forward like {@code classifier(features(x))}, that is every child; for
     * torchvision's ResNet it stops at {@code torch.flatten}; for a residual block at its first
     * child. Each listed child's output is then exactly the value forward computes there.
     */
    List<String> chainPrefix() {
        return chainPrefix("forward", 0);
    }

    private List<String> chainPrefix(String method, int hops) {
        Optional<Signature> sig = signature(method);
        if (sig.isEmpty() || sig.get().params().size() != 1) {
            return List.of();
        }
        String current = sig.get().params().get(0).split(":")[0].strip();
        List<String> statements = statements(sig.get().bodyStart());
        Matcher d = statements.size() == 1 ? DELEGATE.matcher(statements.get(0)) : null;
        if (d != null && d.matches() && d.group(1).equals(sig.get().self()) && d.group(3).equals(current) && hops < 3) {
            return chainPrefix(d.group(2), hops + 1); // torchvision's forward -> _forward_impl, when scripted
        }
        Map<String, String> local = new LinkedHashMap<>(); // local variable -> submodule attribute
        Map<String, String> modules = submodules();
        List<String> chain = new ArrayList<>();
        for (String statement : statements) {
            Matcher b = BIND_ATTR.matcher(statement);
            if (!b.matches()) {
                b = BIND_GETATTR.matcher(statement);
            }
            if (b.matches() && b.group(2).equals(sig.get().self()) && modules.containsKey(b.group(3))) {
                local.put(b.group(1), b.group(3));
                continue;
            }
            boolean ret = statement.startsWith("return ");
            int eq = statement.indexOf(" = ");
            String target = ret ? null : eq > 0 ? statement.substring(0, eq) : null;
            if (!ret && (target == null || !target.matches("\\w+"))) {
                break;
            }
            String rhs = ret ? statement.substring("return ".length()) : statement.substring(eq + 3);
            List<String> calls = new ArrayList<>();
            Matcher c = CALL.matcher(rhs);
            int at = 0;
            while (c.find(at) && c.start() == at && local.containsKey(c.group(1))) {
                calls.add(local.get(c.group(1)));
                at = c.end();
            }
            String suffix = ", )".repeat(calls.size());
            if (calls.isEmpty() || !rhs.endsWith(suffix) || !rhs.substring(at, rhs.length() - suffix.length()).equals(current)) {
                break;
            }
            Collections.reverse(calls); // (b).forward((a).forward(x, ), ): a runs first
            chain.addAll(calls);
            if (ret) {
                break;
            }
            current = target;
        }
        return chain;
    }

    /**
     * A method's name for itself (scripted code keeps the author's, e.g. {@code s}), its parameters
     * after that ("x: Tensor"), return type, and the index of its first body line.
     */
    private record Signature(String self, List<String> params, String returns, int bodyStart) {
    }

    private Optional<Signature> signature(String method) {
        int start = -1;
        for (int i = 0; i < body.size(); i++) {
            if (body.get(i).startsWith("  def " + method + "(")) {
                start = i;
                break;
            }
        }
        if (start < 0) {
            return Optional.empty();
        }
        StringBuilder head = new StringBuilder();
        int i = start;
        while (i < body.size()) {
            head.append(body.get(i).strip()).append(' ');
            if (body.get(i).endsWith(":") && balanced(head)) {
                break;
            }
            i++;
        }
        String h = head.toString().strip();
        int open = h.indexOf('('), close = h.lastIndexOf(") -> ");
        if (close < 0) {
            return Optional.empty();
        }
        List<String> params = new ArrayList<>(splitTopLevel(h.substring(open + 1, close)));
        if (params.isEmpty()) {
            return Optional.empty();
        }
        String self = params.remove(0).split(":")[0].strip();
        String returns = h.substring(close + 5, h.length() - 1).strip();
        return Optional.of(new Signature(self, params, returns, i + 1));
    }

    /** Body statements of forward from line {@code from}, continuation lines joined. */
    private List<String> statements(int from) {
        List<String> out = new ArrayList<>();
        StringBuilder s = new StringBuilder();
        for (int i = from; i < body.size() && body.get(i).startsWith("    "); i++) {
            s.append(s.length() == 0 ? "" : " ").append(body.get(i).strip());
            if (balanced(s)) {
                out.add(s.toString());
                s.setLength(0);
            }
        }
        return out;
    }

    private static boolean balanced(CharSequence s) {
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            depth += c == '(' || c == '[' ? 1 : c == ')' || c == ']' ? -1 : 0;
        }
        return depth == 0;
    }

    private static List<String> splitTopLevel(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0, from = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            depth += c == '(' || c == '[' ? 1 : c == ')' || c == ']' ? -1 : 0;
            if (c == ',' && depth == 0) {
                out.add(s.substring(from, i).strip());
                from = i + 1;
            }
        }
        if (!s.substring(from).isBlank()) {
            out.add(s.substring(from).strip());
        }
        return out;
    }
}
