/**
 * The attention family.
 *
 * <ul>
 *   <li>{@link dev.paperlab.framework.attention.Attention}: scaled dot-product attention,
 *       softmax(QK^T / sqrt(d_k) + M) V, with causal and padding masks (Vaswani, Shazeer, Parmar,
 *       Uszkoreit, Jones, Gomez, Kaiser and Polosukhin, 2017, "Attention Is All You Need").
 *   <li>{@link dev.paperlab.framework.attention.MultiHeadAttention}: the multi-head block of the
 *       same paper, generalised to grouped-query attention (Ainslie, Lee-Thorp, de Jong,
 *       Zemlyanskiy, Lebrón and Sanghai, 2023, "GQA: Training Generalized Multi-Query Transformer
 *       Models from Multi-Head Checkpoints"); one key/value head is multi-query attention
 *       (Shazeer, 2019, "Fast Transformer Decoding: One Write-Head is All You Need").
 *   <li>{@link dev.paperlab.framework.attention.GroupedQueryConversion}: the mean-pooling
 *       conversion of a multi-head checkpoint (Ainslie et al., 2023, §2.1).
 *   <li>{@link dev.paperlab.framework.attention.KvCache}: keys and values kept across steps of
 *       incremental decoding.
 *   <li>{@link dev.paperlab.framework.attention.FlashAttention}: tiled exact attention with an
 *       online softmax and a recomputing backward pass (Dao, Fu, Ermon, Rudra and Ré, 2022,
 *       "FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness",
 *       Algorithms 1 and 2; deferred normalisation as in Dao, 2023, "FlashAttention-2").
 *   <li>{@link dev.paperlab.framework.attention.AttentionKernel}: the interface behind which the
 *       naive, the query-chunked (after Rabe and Staats, 2021, "Self-attention Does Not Need
 *       O(n^2) Memory", splitting queries only) and the tiled computation are interchangeable;
 *       {@link dev.paperlab.framework.attention.AttentionInputs} is the one input validation
 *       they all call.
 * </ul>
 *
 * <p>Dimension letters throughout: B batch, H query heads, Hkv key/value heads, T query length,
 * S key length, D head size, E model size.
 */
package dev.paperlab.framework.attention;
