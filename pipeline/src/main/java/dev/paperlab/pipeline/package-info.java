/**
 * Corpus preparation on Apache Spark: normalisation, exact and near-duplicate removal, BPE
 * training from distributed pre-token counts, encoding, consistent-hash sharding into token
 * shards; the same stages on one machine ({@link dev.paperlab.pipeline.LocalCorpus}) as the
 * reference the distributed job must equal.
 */
package dev.paperlab.pipeline;
