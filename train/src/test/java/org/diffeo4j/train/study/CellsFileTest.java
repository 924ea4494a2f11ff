package org.diffeo4j.train.study;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** cells.jsonl: a torn last line (a kill mid-write) is dropped, a key is kept once, and the summary does not depend on line order. */
class CellsFileTest {
    static Cell cell(String arch, int p, long seed, double r, double err) {
        return new Cell("mnist", arch, p, seed, 3, 1.0, 0.0015, err, new Cell.DGR(0.1, 0.1, 1.0), new Cell.DGR(0.1 * r, 0.1, r), Map.of(),
                1000, 5, "runs/x");
    }

    @Test
    void aTornLastLineIsDroppedAndKeysAreKeptOnce(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("cells.jsonl");
        CellsFile a = new CellsFile(f);
        a.append(cell("fc", 64, 0, 2.0, 0.2));
        a.append(cell("fc", 64, 0, 2.0, 0.2));
        String whole = Files.readString(f);
        Files.writeString(f, cell("fc", 128, 0, 1.5, 0.1).json().toString().substring(0, 40), StandardOpenOption.APPEND);
        CellsFile b = new CellsFile(f);
        assertEquals(1, b.cells().size());
        assertEquals(whole, Files.readString(f), "the torn tail is cut off");
        b.append(cell("fc", 128, 0, 1.5, 0.1));
        assertEquals(2, new CellsFile(f).cells().size());
        assertEquals(2, Files.readAllLines(f).size());
    }

    @Test
    void theSummaryIsTheSameWhateverTheOrderOfTheCells() {
        List<Cell> cells = List.of(cell("fc", 64, 0, 2.0, 0.2), cell("fc", 64, 1, 8.0, 0.3), cell("lenet", 64, 0, 0.5, 0.1),
                cell("lenet", 64, 1, 0.5, 0.05));
        StudySummary s = StudySummary.of(cells, Map.of("mnist", 2000));
        StudySummary t = StudySummary.of(List.of(cells.get(3), cells.get(1), cells.get(2), cells.get(0)), Map.of("mnist", 2000));
        assertEquals(s.json("x", 4), t.json("x", 4));
        StudySummary.Entry fc = s.entries().get(0);
        assertEquals(4.0, fc.rTrained(), 1e-12, "geometric mean of 2 and 8");
        assertEquals(0.25, fc.testError(), 1e-12);
        assertTrue(s.json("x", 4).contains("\"fit\""));
        assertEquals(2, s.fits().get(0).law().n());
    }
}
