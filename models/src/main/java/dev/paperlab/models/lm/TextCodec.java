package dev.paperlab.models.lm;

/** Text to token ids and back: characters, bytes or a trained BPE. */
public interface TextCodec {

    int[] encode(String text);

    String decode(int[] ids);

    int vocabSize();

    /** A short name recorded in summaries and checkpoints ("chars", "bytes", "bpe:..."). */
    String describe();
}
