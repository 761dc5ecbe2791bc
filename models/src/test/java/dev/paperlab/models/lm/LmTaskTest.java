package dev.paperlab.models.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.paperlab.training.Harness;
import dev.paperlab.training.RunConfig;
import dev.paperlab.training.RunListener;
import dev.paperlab.training.RunState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LmTaskTest {
    private static final String TEXT = "abcabcabd abcabcabd ".repeat(200);

    private static int liveArrays() {
        try (NDManager probe = NDManager.newBaseManager()) {
            return probe.getParentManager().getManagedArrays().size();
        }
    }

    @Test
    void learnsARepetitiveTextWithoutLeakingArrays(@TempDir Path dir) {
        CharVocabulary vocab = CharVocabulary.of(TEXT);
        LmConfig config = new LmConfig(
                vocab.vocabSize(), 16, 1, 32, 2, 1, LmConfig.Kernel.CHUNKED, LmConfig.PositionKind.LEARNED, true, 0f);
        List<Integer> counts = new ArrayList<>();
        RunListener probe = new RunListener() {
            @Override
            public void onStep(RunState state) {
                if (state.step() == 20 || state.step() == 120) {
                    counts.add(liveArrays());
                }
            }
        };
        try (LmTask task = new LmTask(config, new TextCorpus(vocab.encode(TEXT), 0.1), 0.01f, 1.0, "test", null)) {
            RunConfig run = RunConfig.builder()
                    .optOutDir(dir)
                    .optProgress(false)
                    .optMaxSteps(120)
                    .optBatchSize(8)
                    .optLearningRate(3e-3f)
                    .build();
            RunState state = Harness.of(run, probe).fit(task);
            double uniform = Math.log(vocab.vocabSize());
            double val = state.evalMetrics().get("val_loss");
            assertTrue(val < 0.5 * uniform, "val loss " + val + " vs uniform " + uniform);
        }
        assertEquals(counts.get(0), counts.get(1), "live NDArrays at step 20 vs 120");
    }
}
