package org.diffeo4j.train.study;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import org.diffeo4j.run.Journal;
import org.diffeo4j.run.RunFailedException;
import org.diffeo4j.validate.BadInputException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * cells.jsonl, the run store's journal of cells: a torn last line (a kill mid-write) is dropped and cut off before the next append,
 * a key is written once, and the summary does not depend on line order.
 */
class CellJournalTest {
    static Cell cell(String arch, int p, long seed, double r, double err) {
        return new Cell("mnist", arch, p, seed, 3, 1.0, 0.0015, err, new Cell.DGR(0.1, 0.1, 1.0), new Cell.DGR(0.1 * r, 0.1, r), Map.of(),
                1000, 5, "runs/x");
    }

    @Test
    void aTornLastLineIsDroppedAndKeysAreWrittenOnce(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("cells.jsonl");
        Journal a = Cell.journal(f);
        Cell.appendMissing(a, List.of(cell("fc", 64, 0, 2.0, 0.2), cell("fc", 64, 0, 2.0, 0.2)));
        assertEquals(1, a.size(), "a unit's cells already there are not appended again");
        assertThrows(RunFailedException.class, () -> a.append(cell("fc", 64, 0, 2.0, 0.2).json().toString()), "a key written twice is a bug");
        String whole = Files.readString(f);
        Files.writeString(f, cell("fc", 128, 0, 1.5, 0.1).json().toString().substring(0, 40), StandardOpenOption.APPEND);
        Journal b = Cell.journal(f);
        assertEquals(1, Cell.cells(b).size());
        Cell.appendMissing(b, List.of(cell("fc", 128, 0, 1.5, 0.1)));
        assertEquals(whole + cell("fc", 128, 0, 1.5, 0.1).json() + "\n", Files.readString(f), "the torn tail is cut off, not glued to");
        assertEquals(2, Cell.cells(Cell.journal(f)).size());
    }

    @Test
    void aLineThatIsNoCellFailsNamingTheLine(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("cells.jsonl");
        Files.writeString(f, "{\"key\": \"x\"}\n" + cell("fc", 64, 0, 2.0, 0.2).json() + "\n");
        BadInputException e = assertThrows(BadInputException.class, () -> Cell.journal(f));
        assertTrue(e.getMessage().contains("line 1 malformed"), e.getMessage());
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
