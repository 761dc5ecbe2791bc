package dev.paperlab.models.decoding;

/**
 * How to pick the next token from logits z.
 *
 * @param temperature tau: p = softmax(z / tau); 0 means greedy (argmax)
 * @param topK keep only the k most likely tokens before sampling; 0 = all
 * @param topP keep the smallest set of most likely tokens whose probability reaches p; 1 = all
 */
public record SamplingConfig(float temperature, int topK, float topP) {
    public SamplingConfig {
        if (!(temperature >= 0) || !Float.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top-k must be >= 0 (0 = off), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
        }
    }

    public static SamplingConfig greedy() {
        return new SamplingConfig(0f, 0, 1f);
    }

    public static SamplingConfig temperature(float tau) {
        return new SamplingConfig(tau, 0, 1f);
    }

    public boolean isGreedy() {
        return temperature == 0f;
    }
}
