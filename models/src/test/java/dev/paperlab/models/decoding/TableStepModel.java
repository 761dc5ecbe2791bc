package dev.paperlab.models.decoding;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;

/**
 * A toy LM whose next-token logits are a fixed function of (t, previous token), t the number of
 * tokens generated so far; the previous token of the first step is the prompt's last.
 */
final class TableStepModel implements StepModel {

    /** Logits of the next token after {@code prev} at step {@code t}. */
    @FunctionalInterface
    interface Table {
        float[] logits(int t, int prev);
    }

    private final int vocab;
    private final Table table;
    int sessionsOpen;

    TableStepModel(int vocab, Table table) {
        this.vocab = vocab;
        this.table = table;
    }

    /** Logits that are log-probabilities of the given distribution. */
    static float[] logOf(double... probabilities) {
        float[] z = new float[probabilities.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) Math.log(probabilities[i]);
        }
        return z;
    }

    /** log p(next | t, prev) in doubles, the reference for enumerations. */
    double[] logProbs(int t, int prev) {
        float[] z = table.logits(t, prev);
        double max = Double.NEGATIVE_INFINITY;
        for (float x : z) {
            max = Math.max(max, x);
        }
        double sum = 0;
        for (float x : z) {
            sum += Math.exp(x - max);
        }
        double[] out = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            out[i] = z[i] - max - Math.log(sum);
        }
        return out;
    }

    @Override
    public int vocabSize() {
        return vocab;
    }

    @Override
    public Session open(NDManager manager, int[] prompt, int beams) {
        sessionsOpen++;
        int[] last = new int[beams];
        Arrays.fill(last, prompt[prompt.length - 1]);
        return new Session() {
            private int[] prev = last;
            private int t;

            @Override
            public float[][] logits() {
                float[][] out = new float[prev.length][];
                for (int k = 0; k < prev.length; k++) {
                    out[k] = table.logits(t, prev[k]).clone();
                }
                return out;
            }

            @Override
            public void advance(int[] origins, int[] tokens) {
                prev = tokens.clone();
                t++;
            }

            @Override
            public void close() {
                sessionsOpen--;
            }
        };
    }
}
