/**
 * Position information for attention models.
 *
 * <ul>
 *   <li>{@link dev.paperlab.framework.position.RotaryEmbedding}: rotary position embedding (Su et
 *       al., "RoFormer: Enhanced Transformer with Rotary Position Embedding", 2021), in the
 *       half-split (GPT-NeoX, Hugging Face Llama) and interleaved (Meta Llama, GPT-J) {@link
 *       dev.paperlab.framework.position.RopeConvention conventions}; {@link
 *       dev.paperlab.framework.position.Rope} is its functional form.
 *   <li>{@link dev.paperlab.framework.position.SinusoidalEncoding}: fixed sinusoidal encodings
 *       (Vaswani et al., "Attention Is All You Need", 2017), also the timestep embedding of
 *       denoising diffusion models (Ho et al., 2020).
 * </ul>
 */
package dev.paperlab.framework.position;
