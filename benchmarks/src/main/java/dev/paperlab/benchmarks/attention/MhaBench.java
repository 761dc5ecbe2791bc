package dev.paperlab.benchmarks.attention;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.transformer.ScaledDotProductAttentionBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.paperlab.framework.attention.AttentionKernel;
import dev.paperlab.framework.attention.FlashAttention;
import dev.paperlab.framework.attention.MultiHeadAttention;
import dev.paperlab.framework.nn.Scalars;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Multi-head self-attention, forward and backward, with the math of the PyTorch peer
 * ({@code attn_torch.py}): batch 8, model size 256, 8 heads of 32, sequence 128 and 512, weights
 * N(0, 0.02^2) and zero biases, loss = sum of the output, the input requiring a gradient, every
 * gradient zeroed before each step. Times paperlab's {@link MultiHeadAttention} with its default
 * (query-chunked), naive and flash kernels, DJL's {@link ScaledDotProductAttentionBlock}, and the
 * peer's own sequence of operations written with DJL NDArray calls (what the engine costs with no
 * block around it), round-robin in one process, all sharing one set of weights.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.paperlab.benchmarks.attention.MhaBench [reps=7]
 * [lengths=128,512]}. Prints one {@code RESULT <name> L=<T> median=<ms> min=<ms> max=<ms>} line
 * per block and length, and the largest difference of each block's output and input gradient
 * from the naive kernel's (all compute the same function).
 */
public final class MhaBench {

    private static final int B = 8;
    private static final int E = 256;
    private static final int H = 8;

    private MhaBench() {}

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        String lengths = args.length > 1 ? args[1] : "128,512";
        Engine engine = Engine.getInstance();
        engine.setRandomSeed(42);
        System.out.printf(
                "engine %s %s, OMP_NUM_THREADS=%s%n",
                engine.getEngineName(), engine.getVersion(), System.getenv("OMP_NUM_THREADS"));
        for (String l : lengths.split(",")) {
            run(Integer.parseInt(l.trim()), reps);
        }
    }

    @SuppressWarnings({"checkstyle:LocalVariableName", "checkstyle:ParameterName"}) // paper letters
    private static void run(int T, int reps) {
        try (NDManager manager = NDManager.newBaseManager()) {
            ParameterStore ps = new ParameterStore(manager, false);
            Shape in = new Shape(B, T, E);
            MultiHeadAttention naive = mha(AttentionKernel.naive());
            List<Block> blocks = List.of(
                    mha(AttentionKernel.chunked()),
                    naive,
                    mha(FlashAttention.create()),
                    ScaledDotProductAttentionBlock.builder()
                            .setEmbeddingSize(E)
                            .setHeadCount(H)
                            .optAttentionProbsDropoutProb(0f)
                            .build());
            List<String> names = List.of(
                    "paperlab MHA chunked (default)", "paperlab MHA naive",
                    "paperlab MHA flash", "DJL ScaledDotProductAttentionBlock");
            for (Block b : blocks) {
                b.initialize(manager, DataType.FLOAT32, in);
            }
            Linear[] reference = projections(naive);
            // the peer's initialisation: W ~ N(0, 0.02^2), b = 0
            for (Linear lin : reference) {
                lin.getParameters()
                        .get("weight")
                        .getArray()
                        .set(manager.randomNormal(0f, 0.02f, new Shape(E, E), DataType.FLOAT32)
                                .toFloatArray());
                lin.getParameters().get("bias").getArray().set(new float[E]);
            }
            for (Block b : blocks) {
                Linear[] target = projections(b);
                for (int i = 0; i < 4; i++) {
                    for (Pair<String, Parameter> p : reference[i].getParameters()) {
                        p.getValue()
                                .getArray()
                                .copyTo(target[i]
                                        .getParameters()
                                        .get(p.getKey())
                                        .getArray());
                    }
                }
            }
            NDArray x = manager.randomNormal(in); // (B, T, E)
            x.setRequiresGradient(true);

            List<Timing.Task> tasks = new ArrayList<>();
            for (int i = 0; i < blocks.size(); i++) {
                Block b = blocks.get(i);
                tasks.add(new Timing.Task(names.get(i), () -> step(b, ps, x), reps));
            }
            tasks.add(new Timing.Task(
                    "DJL ops as attn_torch.py (no block)", () -> replicaStep(reference, naive, x, T), reps));
            checkAgreement(blocks, names, ps, x);
            Timing.runRoundRobin(tasks, 5);
            for (Timing.Task t : tasks) {
                System.out.printf(
                        Locale.ROOT,
                        "RESULT %s | L=%d median=%.2f min=%.2f max=%.2f (iters/rep=%d)%n",
                        t.name,
                        T,
                        t.median(),
                        t.min(),
                        t.max(),
                        t.iters);
            }
        }
    }

    private static MultiHeadAttention mha(AttentionKernel kernel) {
        return MultiHeadAttention.builder()
                .setEmbeddingSize(E)
                .setHeads(H)
                .optKernel(kernel)
                .build();
    }

    /** W^Q, W^K, W^V, W^O of either block. */
    private static Linear[] projections(Block b) {
        if (b instanceof MultiHeadAttention m) {
            return new Linear[] {
                m.getQueryProjection(), m.getKeyProjection(), m.getValueProjection(), m.getOutputProjection()
            };
        }
        ScaledDotProductAttentionBlock d = (ScaledDotProductAttentionBlock) b;
        return new Linear[] {
            d.getQueryProjection(), d.getKeyProjection(), d.getValueProjection(), d.getResultProjection()
        };
    }

    /** One training step's work: zero the gradients, forward, loss = sum(y), backward. */
    private static void step(Block block, ParameterStore ps, NDArray x) {
        zeroGradients(block, x);
        try (NDScope scope = new NDScope();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            scope.suppressNotUsedWarning();
            NDArray y = block.forward(ps, new NDList(x), true).head(); // (B, T, E)
            gc.backward(y.sum());
        }
    }

    /**
     * The peer's mha() op for op on DJL NDArrays, with the naive block's parameters: linear,
     * view, transpose / permute, matmul, scale the scores, softmax, matmul, linear.
     */
    @SuppressWarnings({"checkstyle:LocalVariableName", "checkstyle:ParameterName"}) // paper letters
    private static void replicaStep(Linear[] w, Block owner, NDArray x, int L) {
        zeroGradients(owner, x);
        int dk = E / H;
        try (NDScope scope = new NDScope();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            scope.suppressNotUsedWarning();
            NDArray q = project(w[0], x).reshape(B, L, H, dk).transpose(0, 2, 1, 3);
            NDArray k = project(w[1], x).reshape(B, L, H, dk).transpose(0, 2, 3, 1);
            NDArray v = project(w[2], x).reshape(B, L, H, dk).transpose(0, 2, 1, 3);
            NDArray att = Scalars.mul(q.matMul(k), 1.0 / Math.sqrt(dk)).softmax(-1); // (B, H, L, L)
            NDArray y = att.matMul(v).transpose(0, 2, 1, 3).reshape(B, L, E); // (B, L, E)
            gc.backward(project(w[3], y).sum());
        }
    }

    private static NDArray project(Linear lin, NDArray x) {
        return Linear.linear(
                        x,
                        lin.getParameters().get("weight").getArray(),
                        lin.getParameters().get("bias").getArray())
                .head();
    }

    private static void zeroGradients(Block block, NDArray x) {
        zero(x);
        for (Pair<String, Parameter> p : block.getParameters()) {
            zero(p.getValue().getArray());
        }
    }

    private static void zero(NDArray a) {
        try (NDArray g = a.getGradient()) {
            g.subi(g);
        }
    }

    /** Prints each block's largest deviation from the naive kernel in y and dL/dx. */
    private static void checkAgreement(List<Block> blocks, List<String> names, ParameterStore ps, NDArray x) {
        float[][] ys = new float[blocks.size()][];
        float[][] grads = new float[blocks.size()][];
        for (int i = 0; i < blocks.size(); i++) {
            zeroGradients(blocks.get(i), x);
            try (NDScope scope = new NDScope();
                    GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                scope.suppressNotUsedWarning();
                NDArray y = blocks.get(i).forward(ps, new NDList(x), true).head();
                gc.backward(y.sum());
                ys[i] = y.toFloatArray();
                try (NDArray g = x.getGradient()) {
                    grads[i] = g.toFloatArray();
                }
            }
        }
        for (int i = 0; i < blocks.size(); i++) {
            System.out.printf(
                    Locale.ROOT,
                    "check %s: max |y - y_naive| = %.2e, max |dx - dx_naive| = %.2e%n",
                    names.get(i),
                    maxAbsDiff(ys[i], ys[1]),
                    maxAbsDiff(grads[i], grads[1]));
        }
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
