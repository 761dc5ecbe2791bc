package dev.paperlab.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardMovesTest {
    private static List<Documents.Hash> docs(int n) {
        List<Documents.Hash> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Documents.hash("document number " + i));
        }
        return out;
    }

    @Test
    void assignmentIsStableAcrossRuns() {
        List<Documents.Hash> docs = docs(2_000);
        var a = CorpusStages.ring(7, 128);
        var b = CorpusStages.ring(7, 128);
        for (Documents.Hash h : docs) {
            assertEquals(CorpusStages.shardOf(a, h), CorpusStages.shardOf(b, h));
        }
    }

    @Test
    void addingAShardMovesAboutOneOverNOfTheDocumentsAllToTheNewShard() {
        for (int k : new int[] {1, 4, 8, 15}) {
            ShardMoves m = ShardMoves.measure(docs(20_000), k, 128);
            assertTrue(m.allToNewShard(), "k = " + k);
            // With V = 128 points per shard the new shard's arc has relative spread about
            // 1/sqrt(V) = 0.09; 0.3 is more than three of those (plus 20,000-document sampling noise).
            assertEquals(m.expected(), m.moved(), 0.3 * m.expected(), "k = " + k + ": " + m);
            assertTrue(m.largestLoad() < 1.4, "k = " + k + ": " + m);
        }
    }
}
