package org.diffeo4j.torch;

import java.io.InputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A TorchScript file (the zip torch.jit.save writes) read for its modules, and rewritten in memory
 * with one method per reachable module added to the root class, so that libtorch, which compiles the
 * archive's code on load, can run that module alone: DJL calls methods of the root module only.
 *
 * <p>A module is reachable when it is in the {@link TorchScriptCode#chainPrefix chain prefix} of a
 * reachable parent (the root is reachable) and its forward takes and returns one Tensor: then its
 * input is known (the previous module's output, or its parent's input) and its output is exactly
 * the value the whole forward computes there. Nested containers are followed {@value #DEPTH} levels.
 */
final class TorchScriptArchive {
    static final int DEPTH = 4;
    /** Prefix of the methods added to the root class. */
    static final String METHOD = "diffeo4j_module_";

    /** A module that can be run alone: dotted name, its parent's name ("" for the root's children), its method. */
    record Reachable(String name, String parent, int position, String method) {
    }

    private final Map<String, byte[]> entries;
    private final String prefix;
    private final String rootClass;

    private TorchScriptArchive(Map<String, byte[]> entries, String prefix, String rootClass) {
        this.entries = entries;
        this.prefix = prefix;
        this.rootClass = rootClass;
    }

    /**
     * Reads the archive by its central directory (torch.jit.save writes stored entries with data
     * descriptors, which a streaming zip reader refuses); a one-line error when it is not a TorchScript zip.
     */
    static TorchScriptArchive read(Path path) {
        String what = path.toString();
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(path.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                try (InputStream in = zip.getInputStream(e)) {
                    entries.put(e.getName(), in.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("model must be a TorchScript file (torch.jit.save), found " + what + " (" + e.getMessage() + ")");
        }
        String pkl = entries.keySet().stream().filter(n -> n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - 9).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("model must be a TorchScript file (torch.jit.save), found " + what
                        + " (no data.pkl in the archive)"));
        String prefix = pkl.substring(0, pkl.length() - "data.pkl".length());
        if (entries.keySet().stream().noneMatch(n -> n.startsWith(prefix + "code/"))) {
            throw new IllegalArgumentException("model must be a TorchScript file (torch.jit.trace or torch.jit.script, then torch.jit.save), "
                    + "found a torch.save file of a Python model at " + what + " (it has no TorchScript code to run)");
        }
        return new TorchScriptArchive(entries, prefix, rootClass(entries.get(pkl)).orElse(null));
    }

    /**
     * True when the zip is PyTorch's (a top folder with data.pkl): TorchScript when it also has code/,
     * else a torch.save file, which this adapter takes too so that its refusal says what it is.
     */
    static boolean looksLikeOne(List<String> names) {
        return names.stream().anyMatch(n -> n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - 9);
    }

    /** The root's qualified class ("__torch__.LeNet"), from the pickle's first GLOBAL opcode. */
    private static Optional<String> rootClass(byte[] pkl) {
        // protocol 2: PROTO 2, then GLOBAL 'c' "module\nname\n"
        if (pkl.length < 4 || (pkl[0] & 0xff) != 0x80 || pkl[2] != 'c') {
            return Optional.empty();
        }
        String s = new String(pkl, 3, Math.min(pkl.length - 3, 512), StandardCharsets.UTF_8);
        String[] parts = s.split("\n", 3);
        return parts.length < 3 ? Optional.empty() : Optional.of(parts[0] + "." + parts[1]);
    }

    /** The code of a qualified class, if the archive has it. */
    Optional<TorchScriptCode> code(String qualified) {
        int dot = qualified.lastIndexOf('.');
        byte[] file = entries.get(prefix + "code/" + qualified.substring(0, dot).replace('.', '/') + ".py");
        return file == null ? Optional.empty() : TorchScriptCode.find(new String(file, StandardCharsets.UTF_8), qualified.substring(dot + 1));
    }

    /** Every reachable module, parents before children, in forward order within a parent. */
    List<Reachable> reachable() {
        List<Reachable> out = new ArrayList<>();
        if (rootClass != null) {
            code(rootClass).ifPresent(c -> follow(c, "", 1, out));
        }
        return out;
    }

    private void follow(TorchScriptCode parent, String parentName, int depth, List<Reachable> out) {
        Map<String, String> classes = parent.submodules();
        int position = 0;
        for (String attr : parent.chainPrefix()) {
            Optional<TorchScriptCode> child = code(classes.get(attr));
            if (child.isEmpty() || !child.get().forwardTakesOneTensor()) {
                return; // its input is known but not the next one's
            }
            String name = parentName.isEmpty() ? attr : parentName + "." + attr;
            out.add(new Reachable(name, parentName, position++, METHOD + out.size()));
            if (depth < DEPTH) {
                follow(child.get(), name, depth + 1, out);
            }
        }
    }

    /** Why no module is reachable, for the message when none is: empty when some are. */
    String noLayersReason() {
        if (rootClass == null) {
            return "its root class could not be read from data.pkl";
        }
        if (code(rootClass).isEmpty()) {
            return "its code has no class " + rootClass;
        }
        return reachable().isEmpty() ? "its forward does not start by calling a submodule on its input" : "";
    }

    /**
     * The archive with a method per reachable module added to the root class:
     * {@code def diffeo4j_module_3(self, x: Tensor) -> Tensor: return getattr(getattr(self, "features"), "4").forward(x, )}.
     * Stored (uncompressed) entries, as torch.jit.save writes them; the root file's debug info is
     * dropped (it maps source offsets for error messages only, and libtorch loads without it).
     */
    byte[] withMethods(List<Reachable> modules) {
        int dot = rootClass.lastIndexOf('.');
        String file = prefix + "code/" + rootClass.substring(0, dot).replace('.', '/') + ".py";
        List<String> lines = new ArrayList<>(new String(entries.get(file), StandardCharsets.UTF_8).lines().toList());
        int at = lines.indexOf("class " + rootClass.substring(dot + 1) + "(Module):") + 1;
        while (at < lines.size() && (lines.get(at).startsWith(" ") || lines.get(at).isEmpty())) {
            at++;
        }
        List<String> methods = new ArrayList<>();
        for (Reachable r : modules) {
            String target = "self";
            for (String part : r.name().split("\\.")) {
                target = "getattr(" + target + ", \"" + part + "\")";
            }
            methods.add("  def " + r.method() + "(self: " + rootClass + ",");
            methods.add("    x: Tensor) -> Tensor:");
            methods.add("    return (" + target + ").forward(x, )");
        }
        lines.addAll(at, methods);
        Map<String, byte[]> patched = new LinkedHashMap<>(entries);
        patched.put(file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        patched.remove(file + ".debug_pkl");
        return zip(patched);
    }

    private static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry z = new ZipEntry(e.getKey());
                z.setMethod(ZipEntry.STORED);
                z.setSize(e.getValue().length);
                CRC32 crc = new CRC32();
                crc.update(e.getValue());
                z.setCrc(crc.getValue());
                out.putNextEntry(z);
                out.write(e.getValue());
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
