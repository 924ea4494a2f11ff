package org.diffeo4j.run;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.diffeo4j.validate.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run folder: the lock names its holder, kept runs are never replaced, a refused claim leaves the folder as it was, the manifest's times. */
class RunStoreFolderTest {
    @TempDir
    Path dir;

    @Test
    void aSecondRunIntoALockedFolderIsRefusedNamingTheHolder() {
        Path out = dir.resolve("o");
        Instant started = Instant.parse("2026-12-08T06:00:00Z");
        try (RunFolder first = RunFolder.open(out, "--out", "study", "study", List.of("cells.jsonl"), false, started)) {
            BadInputException e = assertThrows(BadInputException.class, () -> RunFolder.open(out, "--out", "study", "study", List.of(), false, Instant.now()));
            assertEquals("--out must not be in use by another run, found " + out + " locked by diffeo study (process " + ProcessHandle.current().pid()
                    + ", started 2026-12-08T06:00:00Z); wait for it to finish or choose another folder", e.getMessage());
        }
        RunFolder.open(out, "--out", "study", "study", List.of(), false, Instant.now()).close(); // released
    }

    @Test
    void aKeptRunIsNeitherReplacedNorTakesOverAnotherRunsFolder() throws IOException {
        Path out = dir.resolve("t");
        try (RunFolder f = RunFolder.open(out, "--out", "train", "train", List.of("train.json"), false, Instant.now())) {
            Files.writeString(out.resolve("train.json"), "{}");
            f.commit();
        }
        BadInputException e = assertThrows(BadInputException.class, () -> RunFolder.open(out, "--out", "phase", "k", List.of()));
        assertTrue(e.getMessage().startsWith("--out must be a new folder or one holding this phase run, found " + out + " holding a diffeo train run"),
                e.getMessage());
        assertTrue(Files.exists(out.resolve("train.json")), "the training is kept");
        assertEquals("complete", RunFolder.manifest(out).state(), "the refused run left the manifest as it was");

        Path m = dir.resolve("m");
        try (RunFolder f = RunFolder.open(m, "--out", "measure", "k", List.of())) {
            f.write("stability.json", "{}");
            f.commit();
        }
        assertThrows(BadInputException.class, () -> RunFolder.open(m, "--out", "train", "train", List.of(), false, Instant.now()));
        assertTrue(Files.exists(m.resolve("stability.json")));
        try (RunFolder f = RunFolder.open(m, "--out", "phase", "p", List.of())) { // replaceable over replaceable: the earlier files go
            f.write("phase.json", "{}");
            f.commit();
        }
        assertFalse(Files.exists(m.resolve("stability.json")));
    }

    @Test
    void anAbandonedClaimLeavesNothingBehind() throws IOException {
        Path fresh = dir.resolve("fresh");
        RunFolder.open(fresh, "--out", "study", "study", List.of(), false, Instant.now()).abandon();
        assertFalse(Files.exists(fresh), "a folder the claim created is removed");
        Path used = Files.createDirectories(dir.resolve("used"));
        Files.writeString(used.resolve("mine.txt"), "x");
        RunFolder.open(used, "--out", "study", "study", List.of(), false, Instant.now()).abandon();
        assertEquals(List.of("mine.txt"), List.of(used.toFile().list()));
    }

    @Test
    void theManifestHoldsTheCommandsStartTheFinishAndTheProvenance() throws IOException {
        Path out = dir.resolve("p");
        Provenance.Builder b = Provenance.start("phase").threads(2).seed(7).detail("samples", 4);
        try (RunFolder f = RunFolder.open(out, "--out", "phase", "k", List.of(), true, b.started())) {
            f.write("phase.json", "{}");
            f.commit(b.finish());
        }
        JsonObject m = JsonParser.parseString(Files.readString(out.resolve(RunFolder.MANIFEST))).getAsJsonObject();
        assertEquals(b.started().toString(), m.get("started").getAsString());
        assertTrue(!Instant.parse(m.get("finished").getAsString()).isBefore(b.started()));
        JsonObject p = m.getAsJsonObject("provenance");
        assertEquals("phase", p.get("command").getAsString());
        assertEquals(7, p.getAsJsonArray("seeds").get(0).getAsInt());
        assertEquals(4, p.get("samples").getAsInt());
        for (String k : List.of("versions", "backend", "device", "engine", "threads", "inputs", "started", "finished", "seconds")) {
            assertTrue(p.has(k), "every provenance has " + k + ": " + p);
        }
    }

    /**
     * Issue 21 item 8: a symbolic link anywhere inside --out is refused before anything is written, naming it: the
     * file it points to is never written through (here a journal linked to a file outside the folder, and a link
     * deep in a study's runs/).
     */
    @Test
    void aFolderHoldingASymbolicLinkIsRefusedAndNothingIsWrittenThroughIt() throws IOException {
        Path outside = Files.writeString(dir.resolve("precious.txt"), "not diffeo's");
        Path out = Files.createDirectories(dir.resolve("linked"));
        Files.createSymbolicLink(out.resolve("stability.jsonl"), outside);
        BadInputException e = assertThrows(BadInputException.class, () -> RunFolder.check(out, "--out", 0));
        assertEquals("--out must hold no symbolic link (diffeo never writes through one), found stability.jsonl -> " + outside + " in " + out
                + "; replace the link by the file or folder it points to, or choose another folder", e.getMessage());
        assertThrows(BadInputException.class, () -> RunFolder.open(out, "--out", "measure", "k", List.of("stability.jsonl")));
        assertEquals(List.of("stability.jsonl"), List.of(out.toFile().list()), "no lock file or manifest written");
        assertEquals("not diffeo's", Files.readString(outside));

        Path study = Files.createDirectories(dir.resolve("study/runs/mnist"));
        Files.createSymbolicLink(study.resolve("lenet-p64-s0"), Files.createDirectories(dir.resolve("elsewhere")));
        e = assertThrows(BadInputException.class, () -> RunFolder.open(dir.resolve("study"), "--out", "study", "study", List.of(), false, Instant.now()));
        assertTrue(e.getMessage().contains("found runs/mnist/lenet-p64-s0 -> " + dir.resolve("elsewhere")), e.getMessage());

        // --out itself may be a link to a folder: what is inside it is what counts
        Path real = Files.createDirectories(dir.resolve("real"));
        Path alias = Files.createSymbolicLink(dir.resolve("alias"), real);
        try (RunFolder f = RunFolder.open(alias, "--out", "phase", "k", List.of())) {
            f.write("phase.json", "{}");
            f.commit();
        }
        assertTrue(Files.isRegularFile(real.resolve("phase.json")));
    }

    /** The journal never appends through a link, even one made after the folder was checked. */
    @Test
    void theJournalDoesNotAppendThroughALink() throws IOException {
        Path outside = Files.writeString(dir.resolve("other.jsonl"), "");
        Path log = dir.resolve("cells.jsonl");
        Journal j = Journal.open(log, line -> line);
        Files.createSymbolicLink(log, outside);
        assertThrows(java.io.UncheckedIOException.class, () -> j.append("{\"k\":1}"));
        assertEquals("", Files.readString(outside));
    }

    /** Files and folders the run store creates are rw-r--r-- and rwxr-xr-x (under the test's umask; the CLI test runs under umask 000). */
    @Test
    void whatTheStoreCreatesIsNotWorldWritable() throws IOException {
        Path out = dir.resolve("perm/deep");
        try (RunFolder f = RunFolder.open(out, "--out", "measure", "k", List.of("stability.jsonl"))) {
            Journal.open(out.resolve("stability.jsonl"), line -> line).append("{}");
            f.write("stability.json", "{}");
            f.commit();
        }
        try (var s = Files.walk(dir.resolve("perm"))) {
            for (Path p : s.toList()) {
                assertFalse(Files.getPosixFilePermissions(p).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE), p.toString());
            }
        }
    }
}
