package dev.paperlab.datasets.shards;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;
import java.util.Arrays;

/**
 * Next-token windows of a {@link TokenSequence} as a DJL {@link RandomAccessDataset}: record
 * {@code i} is {@code x = tokens[i, i+T)} and {@code y = tokens[i+1, i+T+1)}, each a (T) int
 * array, for every start {@code i} in {@code [0, size - T)}. Over {@link TokenShards} a record is
 * read from the memory-mapped shards when asked for, so DJL's samplers and batchifiers stream a
 * corpus of any size.
 */
public final class TokenWindowDataset extends RandomAccessDataset {
    private final TokenSequence tokens;
    private final int context;

    private TokenWindowDataset(Builder builder) {
        super(builder);
        this.tokens = builder.tokens;
        this.context = builder.context;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Record get(NDManager manager, long index) {
        if (index < 0 || index >= availableSize()) {
            throw new IllegalArgumentException("window " + index + " is not in [0, " + availableSize() + ")");
        }
        int[] w = new int[context + 1];
        tokens.read(index, w, 0, context + 1);
        return new Record(
                new NDList(manager.create(Arrays.copyOfRange(w, 0, context))),
                new NDList(manager.create(Arrays.copyOfRange(w, 1, context + 1))));
    }

    @Override
    protected long availableSize() {
        return tokens.size() - context;
    }

    @Override
    public void prepare(Progress progress) {
        // nothing to download or load: tokens are read on demand
    }

    /** Builder: {@code setTokens}, {@code setContext} and DJL's {@code setSampling} are required. */
    public static final class Builder extends BaseBuilder<Builder> {
        private TokenSequence tokens;
        private int context = -1;

        private Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        /** The token stream, e.g. {@link TokenShards#open}. */
        public Builder setTokens(TokenSequence tokens) {
            this.tokens = tokens;
            return this;
        }

        /** Window length T. */
        public Builder setContext(int context) {
            this.context = context;
            return this;
        }

        public TokenWindowDataset build() {
            if (tokens == null) {
                throw new IllegalArgumentException("tokens are not set, expected a TokenSequence");
            }
            if (context < 1 || tokens.size() < context + 1L) {
                throw new IllegalArgumentException(
                        "context " + context + " must be >= 1 and leave one window in " + tokens.size() + " tokens");
            }
            return new TokenWindowDataset(this);
        }
    }
}
