package dev.paperlab.models.lm;

import dev.paperlab.models.tokenizer.BpeTokenizer;

/** Token-level LM input: a trained byte-level BPE ({@code bpe train}) as the vocabulary. */
public final class BpeCodec implements TextCodec {
    private final BpeTokenizer tokenizer;

    public BpeCodec(BpeTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    public BpeTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public int[] encode(String text) {
        return tokenizer.encode(text);
    }

    @Override
    public String decode(int[] ids) {
        return tokenizer.decode(ids);
    }

    @Override
    public int vocabSize() {
        return tokenizer.vocabSize();
    }

    @Override
    public String describe() {
        return "bpe";
    }
}
