package dev.paperlab.models.decoding;

import ai.djl.ndarray.NDManager;

/**
 * A language model seen one decoding step at a time, for a fixed number of parallel sequences
 * (beams). {@link BeamSearch} needs nothing else, so it can be tested on a table-driven model as
 * well as run on a transformer ({@link LmStepModel}, with its KV cache).
 */
public interface StepModel {

    /** V, the number of token ids. */
    int vocabSize();

    /**
     * Starts {@code beams} copies of the same prompt.
     *
     * @param manager owner of whatever the session allocates (it frees it on close)
     * @param prompt at least one token id
     * @param beams K, the number of parallel sequences
     * @return the session, positioned after the prompt
     */
    Session open(NDManager manager, int[] prompt, int beams);

    /** K sequences being extended together; close it to free its state. */
    interface Session extends AutoCloseable {

        /** Next-token logits of every sequence, (K, V). */
        float[][] logits();

        /**
         * One step: the new sequence {@code k} is the old sequence {@code origins[k]} followed by
         * {@code tokens[k]} (origins may repeat, and drop old sequences).
         */
        void advance(int[] origins, int[] tokens);

        @Override
        void close();
    }
}
