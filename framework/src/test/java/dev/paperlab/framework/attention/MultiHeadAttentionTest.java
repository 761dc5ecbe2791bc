package dev.paperlab.framework.attention;

import static dev.paperlab.framework.attention.AttentionTesting.maxAbsDiff;
import static dev.paperlab.framework.attention.AttentionTesting.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.transformer.ScaledDotProductAttentionBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MultiHeadAttentionTest {

    private static final int E = 32;
    private static final int H = 4;

    private NDManager manager;
    private ParameterStore ps;

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(5);
        manager = NDManager.newBaseManager();
        ps = new ParameterStore(manager, false);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private MultiHeadAttention.Builder mha() {
        return MultiHeadAttention.builder().setEmbeddingSize(E).setHeads(H);
    }

    private <T extends Block> T init(T block, long b, long t) {
        block.initialize(manager, DataType.FLOAT32, new Shape(b, t, E));
        return block;
    }

    private NDArray run(Block block, NDArray... inputs) {
        return block.forward(ps, new NDList(inputs), false).head();
    }

    private static void copyLinear(Linear from, Linear to) {
        for (Pair<String, Parameter> p : from.getParameters()) {
            p.getValue().getArray().copyTo(to.getParameters().get(p.getKey()).getArray());
        }
    }

    private static void copyAll(MultiHeadAttention from, MultiHeadAttention to) {
        copyLinear(from.getQueryProjection(), to.getQueryProjection());
        copyLinear(from.getKeyProjection(), to.getKeyProjection());
        copyLinear(from.getValueProjection(), to.getValueProjection());
        copyLinear(from.getOutputProjection(), to.getOutputProjection());
    }

    @Test
    void matchesDjlScaledDotProductAttentionBlock() {
        ScaledDotProductAttentionBlock djl = init(
                ScaledDotProductAttentionBlock.builder()
                        .setEmbeddingSize(E)
                        .setHeadCount(H)
                        .optAttentionProbsDropoutProb(0f)
                        .build(),
                2,
                6);
        MultiHeadAttention ours = init(mha().build(), 2, 6);
        copyLinear(djl.getQueryProjection(), ours.getQueryProjection());
        copyLinear(djl.getKeyProjection(), ours.getKeyProjection());
        copyLinear(djl.getValueProjection(), ours.getValueProjection());
        copyLinear(djl.getResultProjection(), ours.getOutputProjection());
        NDArray x = randn(manager, 2, 6, E);
        assertTrue(maxAbsDiff(run(djl, x), run(ours, x)) <= 1e-5);

        // DJL's mask: (B, T, S) with 1 to keep; ours broadcasts (B, 1, T, S) booleans
        NDArray keep = Attention.causalMask(manager, 6, 6).exp(); // 1 on and below the diagonal
        NDArray djlMask = keep.expandDims(0).repeat(0, 2); // (2, 6, 6)
        djlMask.set(new NDIndex("1, :, 4:"), 0f); // second sequence padded after 4 tokens
        NDArray ourMask = djlMask.expandDims(1).toType(DataType.BOOLEAN, false);
        float err = maxAbsDiff(run(djl, x, djlMask), run(ours, x, ourMask));
        assertTrue(err <= 1e-5, "masked error " + err);
    }

    @Test
    void explicitKvHeadsEqualToHeadsIsMultiHeadAttention() {
        MultiHeadAttention plain = init(mha().build(), 2, 5);
        MultiHeadAttention grouped = init(mha().optKvHeads(H).build(), 2, 5);
        copyAll(plain, grouped);
        NDArray x = randn(manager, 2, 5, E);
        assertArrayEquals(run(plain, x).toFloatArray(), run(grouped, x).toFloatArray());
        // converting to as many key/value heads as query heads changes nothing either
        MultiHeadAttention converted = GroupedQueryConversion.meanPool(plain, H, manager);
        assertArrayEquals(run(plain, x).toFloatArray(), run(converted, x).toFloatArray());
    }

    @Test
    void meanPoolIsExactWhenHeadsWithinAGroupAreIdentical() {
        MultiHeadAttention source = init(mha().optCausal(true).build(), 2, 7);
        int d = E / H;
        // make heads 2g and 2g + 1 of K and V identical
        for (Linear proj : new Linear[] {source.getKeyProjection(), source.getValueProjection()}) {
            for (Pair<String, Parameter> p : proj.getParameters()) {
                NDArray a = p.getValue().getArray();
                for (int g = 0; g < H / 2; g++) {
                    NDIndex first = new NDIndex("{}:{}", 2 * g * d, (2 * g + 1) * d);
                    NDIndex second = new NDIndex("{}:{}", (2 * g + 1) * d, (2 * g + 2) * d);
                    a.set(second, a.get(first));
                }
            }
        }
        MultiHeadAttention gqa = GroupedQueryConversion.meanPool(source, 2, manager);
        assertEquals(2, gqa.kvHeads());
        NDArray x = randn(manager, 2, 7, E);
        assertTrue(maxAbsDiff(run(source, x), run(gqa, x)) <= 1e-6);
    }

    @Test
    void meanPoolAveragesEachGroupsHeads() {
        MultiHeadAttention source = init(mha().build(), 1, 3);
        MultiHeadAttention mqa = GroupedQueryConversion.meanPool(source, 1, manager);
        int d = E / H;
        float[] w = source.getKeyProjection()
                .getParameters()
                .get("weight")
                .getArray()
                .toFloatArray();
        float[] pooled =
                mqa.getKeyProjection().getParameters().get("weight").getArray().toFloatArray();
        assertEquals(d * E, pooled.length);
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < E; c++) {
                float mean = 0;
                for (int h = 0; h < H; h++) {
                    mean += w[(h * d + r) * E + c] / H;
                }
                assertEquals(mean, pooled[r * E + c], 1e-6);
            }
        }
        float[] q0 = source.getQueryProjection()
                .getParameters()
                .get("weight")
                .getArray()
                .toFloatArray();
        float[] q1 = mqa.getQueryProjection()
                .getParameters()
                .get("weight")
                .getArray()
                .toFloatArray();
        assertArrayEquals(q0, q1);
        assertThrows(IllegalArgumentException.class, () -> GroupedQueryConversion.meanPool(source, 3, manager));
    }

    @Test
    void flashKernelMatchesNaiveInsideTheBlockWithGradients() {
        for (int kvHeads : new int[] {H, 2, 1}) {
            MultiHeadAttention naive = init(
                    mha().optKvHeads(kvHeads)
                            .optCausal(true)
                            .optKernel(AttentionKernel.naive())
                            .build(),
                    2,
                    11);
            MultiHeadAttention flash = init(
                    mha().optKvHeads(kvHeads)
                            .optCausal(true)
                            .optKernel(FlashAttention.withBlocks(4, 3))
                            .build(),
                    2,
                    11);
            copyAll(naive, flash);
            NDArray x = randn(manager, 2, 11, E);
            NDArray dy = randn(manager, 2, 11, E);
            NDArray[] outs = new NDArray[2];
            MultiHeadAttention[] blocks = {naive, flash};
            for (int i = 0; i < 2; i++) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    outs[i] = blocks[i].forward(ps, new NDList(x), true).head();
                    gc.backward(outs[i].mul(dy).sum());
                }
            }
            assertTrue(maxAbsDiff(outs[0], outs[1]) <= 1e-5, "Hkv=" + kvHeads);
            for (Pair<String, Parameter> p : naive.getParameters()) {
                NDArray g0 = p.getValue().getArray().getGradient();
                NDArray g1 = flash.getParameters().get(p.getKey()).getArray().getGradient();
                float err = maxAbsDiff(g0, g1);
                assertTrue(err <= 1e-4, "Hkv=" + kvHeads + " " + p.getKey() + " grad error " + err);
            }
        }
    }

    @Test
    void incrementalDecodingWithCacheEqualsFullCausalForward() {
        for (AttentionKernel kernel : new AttentionKernel[] {
            AttentionKernel.naive(), AttentionKernel.chunked(1), FlashAttention.withBlocks(2, 3)
        }) {
            for (int kvHeads : new int[] {H, 2}) {
                MultiHeadAttention block = init(
                        mha().optKvHeads(kvHeads)
                                .optCausal(true)
                                .optKernel(kernel)
                                .build(),
                        2,
                        9);
                NDArray x = randn(manager, 2, 9, E);
                NDArray full = run(block, x);
                try (KvCache cache = block.newCache(manager, 2, 12)) {
                    NDList steps = new NDList();
                    // a prompt of 3 tokens at once, then one token per step
                    steps.add(block.forward(ps, x.get(":, 0:3"), null, cache, false));
                    for (int t = 3; t < 9; t++) {
                        steps.add(block.forward(ps, x.get(new NDIndex(":, {}:{}", t, t + 1)), null, cache, false));
                    }
                    assertEquals(9, cache.length());
                    NDArray incremental = NDArrays.concat(steps, 1);
                    float err = maxAbsDiff(full, incremental);
                    assertTrue(err <= 1e-5, kernel + " Hkv=" + kvHeads + " error " + err);
                }
            }
        }
    }

    @Test
    void cacheMemoryShrinksByHeadsOverKvHeads() {
        MultiHeadAttention full = mha().build();
        MultiHeadAttention gqa = mha().optKvHeads(2).build();
        MultiHeadAttention mqa = mha().optKvHeads(1).build();
        long bytes = full.cacheBytes(3, 100);
        assertEquals(2L * 3 * H * 100 * (E / H) * 4, bytes); // K and V, float32
        assertEquals(H / 2, bytes / gqa.cacheBytes(3, 100));
        assertEquals(H, bytes / mqa.cacheBytes(3, 100));
        try (KvCache cache = gqa.newCache(manager, 3, 100)) {
            assertEquals(gqa.cacheBytes(3, 100), cache.bytes());
            assertEquals(100, cache.capacity());
            assertEquals(0, cache.length());
        }
    }

    @Test
    void cacheRejectsOverflowAndMismatchedShapes() {
        try (KvCache cache = KvCache.allocate(manager, 1, 2, 4, 8, DataType.FLOAT32)) {
            NDArray three = manager.zeros(new Shape(1, 2, 3, 8));
            cache.append(three, three);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cache.append(three, three));
            assertTrue(e.getMessage().contains("capacity 4"), e.getMessage());
            NDArray wrongHeads = manager.zeros(new Shape(1, 3, 1, 8));
            assertThrows(IllegalArgumentException.class, () -> cache.append(wrongHeads, wrongHeads));
        }
    }

    @Test
    void causalBlockOutputAtTIgnoresLaterTokens() {
        for (AttentionKernel kernel :
                new AttentionKernel[] {AttentionKernel.naive(), FlashAttention.withBlocks(3, 2)}) {
            MultiHeadAttention block =
                    init(mha().optKvHeads(2).optCausal(true).optKernel(kernel).build(), 2, 10);
            NDArray x = randn(manager, 2, 10, E);
            NDArray changed = x.duplicate();
            changed.set(new NDIndex(":, 6:"), randn(manager, 2, 4, E).mul(5));
            NDIndex upTo5 = new NDIndex(":, 0:6");
            float err = maxAbsDiff(run(block, x).get(upTo5), run(block, changed).get(upTo5));
            assertTrue(err <= 1e-6, kernel + " leak " + err);
            // position 6 itself does change
            assertTrue(maxAbsDiff(run(block, x).get(":, 6"), run(block, changed).get(":, 6")) > 1e-3);
        }
    }

    @Test
    void flashDropoutActsOnlyInTraining() {
        MultiHeadAttention block = init(
                mha().optDropout(0.5f)
                        .optKernel(FlashAttention.withBlocks(2, 2))
                        .build(),
                2,
                6);
        NDArray x = randn(manager, 2, 6, E);
        NDArray eval = block.forward(ps, new NDList(x), false).head();
        MultiHeadAttention noDropout =
                init(mha().optKernel(AttentionKernel.naive()).build(), 2, 6);
        copyAll(block, noDropout);
        assertTrue(maxAbsDiff(eval, run(noDropout, x)) <= 1e-5);
        NDArray train = block.forward(ps, new NDList(x), true).head();
        assertTrue(maxAbsDiff(eval, train) > 1e-3);
    }

    @Test
    void dropoutActsOnlyInTraining() {
        MultiHeadAttention block = init(mha().optDropout(0.5f).build(), 2, 6);
        NDArray x = randn(manager, 2, 6, E);
        NDArray eval1 = block.forward(ps, new NDList(x), false).head();
        NDArray eval2 = block.forward(ps, new NDList(x), false).head();
        assertArrayEquals(eval1.toFloatArray(), eval2.toFloatArray());
        NDArray train = block.forward(ps, new NDList(x), true).head();
        assertTrue(maxAbsDiff(eval1, train) > 1e-3);
    }

    @Test
    void forwardLeavesOnlyItsOutputBehind() {
        MultiHeadAttention block = init(mha().optKvHeads(2).optCausal(true).build(), 2, 6);
        try (NDManager sub = manager.newSubManager()) {
            NDArray x = randn(sub, 2, 6, E);
            int before = sub.getManagedArrays().size();
            block.forward(ps, new NDList(x), false);
            assertEquals(before + 1, sub.getManagedArrays().size());
        }
    }

    @Test
    void badConfigurationNamesTheValues() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> MultiHeadAttention.builder()
                        .setEmbeddingSize(250)
                        .setHeads(8)
                        .build());
        assertEquals("embedding size 250 is not divisible by 8 heads", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> mha().optKvHeads(3).build());
        assertEquals("4 query heads are not divisible by 3 key/value heads", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> mha().optKvHeads(8).build());
        assertThrows(IllegalArgumentException.class, () -> mha().optKvHeads(0).build());
        assertThrows(IllegalArgumentException.class, () -> mha().optDropout(1f).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> MultiHeadAttention.builder().setEmbeddingSize(E).build());
        MultiHeadAttention block = init(mha().build(), 1, 3);
        NDArray wrong = manager.zeros(new Shape(1, 3, E + 1));
        e = assertThrows(IllegalArgumentException.class, () -> run(block, wrong));
        assertTrue(e.getMessage().contains("(1, 3, 33)"), e.getMessage());
    }
}
