package dev.paperlab.training.optim;

import ai.djl.ndarray.NDManager;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.function.Function;

/** An optimizer whose state (moments, step counts) can be checkpointed for an exact resume. */
public interface StatefulOptimizer {

    /**
     * Writes the state. DJL parameter ids are random per process, so state is keyed by the
     * parameter's stable name, given by {@code idToName}.
     */
    void saveState(DataOutputStream out, Function<String, String> idToName) throws IOException;

    /**
     * Restores the state written by {@link #saveState}; {@code nameToId} maps stable names back to
     * this process's parameter ids; arrays are created on {@code manager}.
     */
    void loadState(NDManager manager, DataInputStream in, Function<String, String> nameToId) throws IOException;
}
