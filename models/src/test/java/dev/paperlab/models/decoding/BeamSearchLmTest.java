package dev.paperlab.models.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.paperlab.models.lm.DecoderLm;
import dev.paperlab.models.lm.LmConfig;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Beam search on a random transformer, through its KV cache. */
class BeamSearchLmTest {

    private static DecoderLm model(NDManager manager, LmConfig config) {
        Engine.getInstance().setRandomSeed(3);
        DecoderLm lm = DecoderLm.builder().optConfig(config).build();
        lm.initialize(manager, DataType.FLOAT32, new Shape(1, config.context()));
        lm.applyGptInit(manager);
        // larger weights than GPT-2's init so that the next-token distributions are far from flat
        lm.getParameters().values().forEach(p -> p.getArray().muli(8));
        return lm;
    }

    private static LmConfig config(LmConfig.HeadGrouping kind, int kvHeads, LmConfig.PositionKind position) {
        return new LmConfig(13, 16, 2, 32, 4, kvHeads, LmConfig.Kernel.CHUNKED, position, true, 0f);
    }

    @Test
    void oneBeamEqualsGreedyGenerationAcrossContextCrops() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DecoderLm lm = model(manager, config(LmConfig.HeadGrouping.MHA, 4, LmConfig.PositionKind.LEARNED));
            int[] prompt = {1, 7, 3};
            int newTokens = 30; // past the context of 16: both crop and re-prefill
            int before = manager.getManagedArrays().size();
            Generator.Sequence greedy =
                    Generator.sequence(lm, manager, prompt, newTokens, SamplingConfig.greedy(), new Random(0));
            assertEquals(before, manager.getManagedArrays().size(), "generation left arrays behind");
            BeamSearch.Result r = BeamSearch.search(new LmStepModel(lm), manager, prompt, BeamConfig.of(1, newTokens));
            assertEquals(before, manager.getManagedArrays().size(), "beam search left arrays behind");
            assertArrayEquals(greedy.tokens(), r.best().tokens());
            assertEquals(greedy.logProb(), r.best().logProb(), 1e-4);
        }
    }

    /** The same model with no cache: every step re-runs each beam's whole sequence. */
    private static StepModel recomputing(DecoderLm lm) {
        return new StepModel() {
            @Override
            public int vocabSize() {
                return lm.config().vocabSize();
            }

            @Override
            public Session open(NDManager manager, int[] prompt, int beams) {
                int[][] seqs = new int[beams][];
                Arrays.fill(seqs, prompt);
                return new Session() {
                    private int[][] current = seqs;

                    @Override
                    public float[][] logits() {
                        float[][] out = new float[current.length][];
                        try (NDManager step = manager.newSubManager()) {
                            ParameterStore ps = new ParameterStore(step, false);
                            for (int k = 0; k < current.length; k++) {
                                NDArray x = step.create(current[k], new Shape(1, current[k].length));
                                out[k] = lm.forward(ps, x, null, 0, false)
                                        .get(new NDIndex(0, -1))
                                        .toFloatArray();
                            }
                        }
                        return out;
                    }

                    @Override
                    public void advance(int[] origins, int[] tokens) {
                        int[][] next = new int[origins.length][];
                        for (int k = 0; k < origins.length; k++) {
                            int[] from = current[origins[k]];
                            next[k] = Arrays.copyOf(from, from.length + 1);
                            next[k][from.length] = tokens[k];
                        }
                        current = next;
                    }

                    @Override
                    public void close() {}
                };
            }
        };
    }

    @Test
    void batchedBeamsWithReorderedCachesEqualRecomputingEveryBeam() {
        for (LmConfig config : new LmConfig[] {
            config(LmConfig.HeadGrouping.MHA, 4, LmConfig.PositionKind.LEARNED),
            config(LmConfig.HeadGrouping.GQA, 2, LmConfig.PositionKind.ROPE)
        }) {
            try (NDManager manager = NDManager.newBaseManager()) {
                DecoderLm lm = model(manager, config);
                int[] prompt = {4, 2};
                BeamConfig beam = new BeamConfig(4, 10, 0.8, BeamConfig.EarlyStopping.NEVER, 12, 4);
                BeamSearch.Result cached = BeamSearch.search(new LmStepModel(lm), manager, prompt, beam);
                BeamSearch.Result reference = BeamSearch.search(recomputing(lm), manager, prompt, beam);
                assertEquals(reference.steps(), cached.steps());
                assertEquals(reference.hypotheses().size(), cached.hypotheses().size());
                for (int i = 0; i < reference.hypotheses().size(); i++) {
                    BeamSearch.Hypothesis want = reference.hypotheses().get(i);
                    BeamSearch.Hypothesis got = cached.hypotheses().get(i);
                    assertArrayEquals(want.tokens(), got.tokens(), "kv heads " + config.kvHeads() + " rank " + i);
                    assertEquals(want.score(), got.score(), 1e-4, "kv heads " + config.kvHeads() + " rank " + i);
                }
            }
        }
    }
}
