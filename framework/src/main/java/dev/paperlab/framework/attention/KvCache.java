package dev.paperlab.framework.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Keys and values of the positions decoded so far, for incremental (one token at a time)
 * decoding: each step projects only its new tokens and attends to everything cached.
 *
 * <p>Both buffers (B, Hkv, capacity, D) are allocated once, so a step copies only its new
 * positions in place instead of concatenating the whole history again. The memory is
 * {@code 2 * B * Hkv * capacity * D * bytesPerElement}; with grouped-query attention Hkv is
 * smaller than the number of query heads H, which shrinks the cache by H / Hkv (Ainslie et al.,
 * 2023). Dimension letters as in {@link Attention}.
 */
public final class KvCache implements AutoCloseable {

    private final NDArray keys; // (B, Hkv, capacity, D)
    private final NDArray values; // (B, Hkv, capacity, D)
    private int length;

    private KvCache(NDArray keys, NDArray values) {
        this.keys = keys;
        this.values = values;
    }

    /**
     * Allocates an empty cache.
     *
     * @param manager owner of the buffers
     * @param batch B
     * @param kvHeads Hkv
     * @param capacity the most positions it can hold
     * @param headSize D
     * @param dataType element type
     * @return an empty cache
     */
    public static KvCache allocate(
            NDManager manager, long batch, int kvHeads, int capacity, int headSize, DataType dataType) {
        if (batch < 1 || kvHeads < 1 || capacity < 1 || headSize < 1) {
            throw new IllegalArgumentException("cache sizes must be positive; got batch "
                    + batch
                    + ", kvHeads "
                    + kvHeads
                    + ", capacity "
                    + capacity
                    + ", headSize "
                    + headSize);
        }
        Shape shape = new Shape(batch, kvHeads, capacity, headSize);
        return new KvCache(manager.zeros(shape, dataType), manager.zeros(shape, dataType));
    }

    /**
     * Bytes of a cache holding {@code length} positions: {@code 2 * B * Hkv * length * D *
     * bytesPerElement}.
     *
     * @param batch B
     * @param kvHeads Hkv
     * @param length positions
     * @param headSize D
     * @param dataType element type
     * @return the size in bytes
     */
    public static long bytesFor(long batch, int kvHeads, long length, int headSize, DataType dataType) {
        return 2L * batch * kvHeads * length * headSize * dataType.getNumOfBytes();
    }

    /**
     * Appends the keys and values of new positions.
     *
     * @param k new keys (B, Hkv, t, D)
     * @param v new values (B, Hkv, t, D)
     * @return this cache
     */
    public KvCache append(NDArray k, NDArray v) {
        Shape cacheShape = keys.getShape();
        Shape ks = k.getShape();
        boolean fits = ks.dimension() == 4
                && ks.equals(v.getShape())
                && ks.get(0) == cacheShape.get(0)
                && ks.get(1) == cacheShape.get(1)
                && ks.get(3) == cacheShape.get(3);
        if (!fits) {
            throw new IllegalArgumentException("new keys "
                    + ks
                    + " and values "
                    + v.getShape()
                    + " do not match the cache (B, Hkv, capacity, D) "
                    + cacheShape);
        }
        long end = length + ks.get(2);
        if (end > cacheShape.get(2)) {
            throw new IllegalArgumentException(
                    "cache capacity " + cacheShape.get(2) + " exceeded: holds " + length + ", appending " + ks.get(2));
        }
        NDIndex slot = new NDIndex(":, :, {}:{}", length, end);
        keys.set(slot, k);
        values.set(slot, v);
        length = (int) end;
        return this;
    }

    /**
     * Reorders the cached sequences along the batch: row {@code b} becomes the old row {@code
     * batchIndices[b]} (rows may repeat). Beam search calls this each step so that every beam
     * continues the cache of the beam it was extended from.
     *
     * @param batchIndices (B) int64 or int32 row indices into the current batch
     * @return this cache
     */
    public KvCache reorder(NDArray batchIndices) {
        long batch = keys.getShape().get(0);
        if (batchIndices.getShape().dimension() != 1 || batchIndices.size() != batch) {
            throw new IllegalArgumentException("batch indices must be a vector of the batch size " + batch
                    + ", got shape " + batchIndices.getShape());
        }
        long[] indices = switch (batchIndices.getDataType()) {
            case INT64 -> batchIndices.toLongArray();
            case INT32 ->
                Arrays.stream(batchIndices.toIntArray()).asLongStream().toArray();
            default ->
                throw new IllegalArgumentException(
                        "batch indices must be int32 or int64, got " + batchIndices.getDataType());
        };
        for (long i : indices) {
            if (i < 0 || i >= batch) {
                throw new IllegalArgumentException("batch index " + i + " is outside [0, " + batch + ")");
            }
        }
        if (length == 0) {
            return this;
        }
        NDIndex filled = new NDIndex(":, :, 0:{}", length);
        try (NDManager scratch = keys.getManager().newSubManager()) {
            NDIndex rows = new NDIndex("{}", scratch.create(indices)); // int64 copy on the scratch
            for (NDArray buffer : new NDArray[] {keys, values}) {
                // gather first, then write: every source row is read before any is overwritten
                NDArray picked = buffer.get(scratch, filled).get(scratch, rows); // (B, Hkv, length, D)
                buffer.set(filled, picked);
            }
        }
        return this;
    }

    /**
     * Returns the cached keys; close the returned view when done.
     *
     * @return keys (B, Hkv, length, D)
     */
    public NDArray keys() {
        return keys.get(new NDIndex(":, :, 0:{}", length));
    }

    /**
     * Returns the cached values; close the returned view when done.
     *
     * @return values (B, Hkv, length, D)
     */
    public NDArray values() {
        return values.get(new NDIndex(":, :, 0:{}", length));
    }

    /**
     * Returns the number of cached positions.
     *
     * @return the length
     */
    public int length() {
        return length;
    }

    /**
     * Returns the most positions the cache can hold.
     *
     * @return the capacity
     */
    public int capacity() {
        return (int) keys.getShape().get(2);
    }

    /**
     * Returns the bytes held by both buffers.
     *
     * @return the allocated size in bytes
     */
    public long bytes() {
        return (keys.size() + values.size()) * keys.getDataType().getNumOfBytes();
    }

    @Override
    public void close() {
        keys.close();
        values.close();
    }
}
