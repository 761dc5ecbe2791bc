package dev.paperlab.models.decoding;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.paperlab.framework.attention.KvCache;
import dev.paperlab.models.lm.DecoderLm;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link DecoderLm} as a {@link StepModel}: all K beams run as one batch (B = K) through the
 * per-layer KV caches, so a step is one forward of K tokens. Before each step the caches are
 * reordered along the batch ({@link KvCache#reorder}) so that every beam continues the cache of
 * the beam it came from. When the context is full, the window is cropped to its last half and
 * re-run, exactly as {@link Generator} does. Each step runs in its own sub-manager and an
 * {@link NDScope}: the scope also frees what the forward attaches to the parameters' manager
 * (views of the embeddings), which the sub-manager alone would keep until the model is closed.
 */
public final class LmStepModel implements StepModel {
    private final DecoderLm lm;

    public LmStepModel(DecoderLm lm) {
        this.lm = lm;
    }

    @Override
    public int vocabSize() {
        return lm.config().vocabSize();
    }

    @Override
    public Session open(NDManager manager, int[] prompt, int beams) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("prompt must hold at least one token");
        }
        if (beams < 1) {
            throw new IllegalArgumentException("beams must be >= 1, got " + beams);
        }
        return new LmSession(manager, prompt, beams);
    }

    private final class LmSession implements Session {
        private final NDManager scope;
        private final ParameterStore ps;
        private final int beams;
        private final int context = lm.config().context();
        private int[][] history; // (K, length): prompt and generated tokens of each beam
        private List<KvCache> caches;
        private int offset;
        private float[][] logits;

        LmSession(NDManager manager, int[] prompt, int beams) {
            this.scope = manager.newSubManager();
            this.ps = new ParameterStore(scope, false);
            this.beams = beams;
            this.history = new int[beams][];
            Arrays.fill(history, prompt);
            prefill(Math.min(prompt.length, context));
        }

        @Override
        public float[][] logits() {
            return logits;
        }

        @Override
        public void advance(int[] origins, int[] tokens) {
            if (origins.length != beams || tokens.length != beams) {
                throw new IllegalArgumentException(
                        "expected " + beams + " origins and tokens, got " + origins.length + " and " + tokens.length);
            }
            int[][] next = new int[beams][];
            for (int k = 0; k < beams; k++) {
                int[] from = history[origins[k]];
                next[k] = Arrays.copyOf(from, from.length + 1);
                next[k][from.length] = tokens[k];
            }
            history = next;
            if (offset == context) {
                prefill(Math.min(history[0].length, context / 2));
                return;
            }
            try (NDManager step = scope.newSubManager();
                    NDScope created = new NDScope()) {
                if (!isIdentity(origins)) {
                    NDArray rows =
                            step.create(Arrays.stream(origins).asLongStream().toArray()); // (K)
                    caches.forEach(c -> c.reorder(rows));
                }
                NDArray fed = step.create(tokens, new Shape(beams, 1)); // (K, 1)
                logits = lastLogits(lm.forward(ps, fed, caches, offset, false)); // (K, 1, V)
            }
            offset++;
        }

        /** Fresh caches holding the last {@code window} tokens of every beam. */
        private void prefill(int window) {
            if (caches != null) {
                caches.forEach(KvCache::close);
            }
            caches = lm.newCaches(scope, beams);
            int[] flat = new int[beams * window];
            for (int k = 0; k < beams; k++) {
                int[] h = history[k];
                System.arraycopy(h, h.length - window, flat, k * window, window);
            }
            try (NDManager step = scope.newSubManager();
                    NDScope created = new NDScope()) {
                NDArray fed = step.create(flat, new Shape(beams, window)); // (K, T)
                logits = lastLogits(lm.forward(ps, fed, caches, 0, false)); // (K, T, V)
            }
            offset = window;
        }

        private float[][] lastLogits(NDArray all) {
            int v = vocabSize();
            float[] flat = all.get(new NDIndex(":, -1, :")).toFloatArray(); // (K, V)
            float[][] rows = new float[beams][];
            for (int k = 0; k < beams; k++) {
                rows[k] = Arrays.copyOfRange(flat, k * v, (k + 1) * v);
            }
            return rows;
        }

        private boolean isIdentity(int[] origins) {
            for (int k = 0; k < origins.length; k++) {
                if (origins[k] != k) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void close() {
            scope.close();
        }
    }
}
