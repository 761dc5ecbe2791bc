package dev.paperlab.framework.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.paperlab.framework.attention.AttentionKernel;
import dev.paperlab.framework.attention.FlashAttention;
import dev.paperlab.framework.position.RopeConvention;
import org.junit.jupiter.api.Test;

class TransformerBlockTest {

    @Test
    void builderNamesTheValuesThatDoNotFitTogether() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> TransformerBlock.builder()
                        .setEmbeddingSize(250)
                        .setHeads(8)
                        .build());
        assertEquals("embedding size 250 is not divisible by 8 heads", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> TransformerBlock.builder()
                        .setEmbeddingSize(32)
                        .setHeads(4)
                        .optKvHeads(3)
                        .build());
        assertEquals("4 query heads are not divisible by 3 key/value heads", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> TransformerBlock.builder()
                        .setEmbeddingSize(12)
                        .setHeads(4)
                        .optRotary(RopeConvention.HALF_SPLIT)
                        .build());
        assertEquals("RoPE needs an even head size, got 3 (embedding size 12 / 4 heads)", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> TransformerBlock.builder()
                        .setEmbeddingSize(8)
                        .setHeads(2)
                        .optHiddenSize(0)
                        .build());
        assertEquals("MLP hidden size must be >= 1, got 0", e.getMessage());
    }

    /** Causal: the output at t depends on inputs up to t only, with any kernel and grouping. */
    @Test
    void outputAtTIgnoresLaterPositionsAndKernelsAgree() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray[] outs = new NDArray[2];
            AttentionKernel[] kernels = {AttentionKernel.naive(), FlashAttention.withBlocks(3, 2)};
            NDArray x = manager.randomNormal(new Shape(2, 7, 16));
            NDArray changed = x.duplicate();
            changed.set(new NDIndex(":, 4:"), 5f);
            for (int i = 0; i < 2; i++) {
                Engine.getInstance().setRandomSeed(1);
                TransformerBlock block = TransformerBlock.builder()
                        .setEmbeddingSize(16)
                        .setHeads(4)
                        .optKvHeads(2)
                        .optKernel(kernels[i])
                        .optRotary(RopeConvention.HALF_SPLIT)
                        .build();
                block.initialize(manager, DataType.FLOAT32, x.getShape());
                ParameterStore ps = new ParameterStore(manager, false);
                outs[i] = block.forward(ps, x, null, false);
                NDArray other = block.forward(ps, changed, null, false);
                NDIndex past = new NDIndex(":, :4");
                assertEquals(
                        0f, outs[i].get(past).sub(other.get(past)).abs().max().getFloat(), 1e-6f);
                assertTrue(outs[i].get(new NDIndex(":, 4:"))
                                .sub(other.get(new NDIndex(":, 4:")))
                                .abs()
                                .max()
                                .getFloat()
                        > 1e-3);
            }
            // same parameters (same seed), kernels differ only in float32 summation order
            assertEquals(0f, outs[0].sub(outs[1]).abs().max().getFloat(), 1e-5f);
        }
    }

    @Test
    void postNormOutputIsLayerNormalisedAndEqualsTheFormulaFromTheSameSublayers() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(new Shape(2, 5, 16)).mul(3f).add(1f);
            Engine.getInstance().setRandomSeed(2);
            TransformerBlock post = TransformerBlock.builder()
                    .setEmbeddingSize(16)
                    .setHeads(4)
                    .optPostNorm(true)
                    .build();
            post.initialize(manager, DataType.FLOAT32, x.getShape());
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray y = post.forward(ps, x, null, false); // (B, T, E)
            // LN2 at init has gain 1, bias 0: every position leaves with mean 0 and variance 1
            // (up to LayerNorm's eps 1e-5 in the variance)
            assertEquals(0f, y.mean(new int[] {2}).abs().max().getFloat(), 1e-5f);
            assertEquals(1f, y.pow(2).mean(new int[] {2}).min().getFloat(), 1e-3f);
            // the pre-norm block with the same parameters differs: its output is x plus branches
            Engine.getInstance().setRandomSeed(2);
            TransformerBlock pre =
                    TransformerBlock.builder().setEmbeddingSize(16).setHeads(4).build();
            pre.initialize(manager, DataType.FLOAT32, x.getShape());
            NDArray z = pre.forward(ps, x, null, false);
            assertTrue(z.mean(new int[] {2}).abs().max().getFloat() > 0.1f);
        }
    }
}
