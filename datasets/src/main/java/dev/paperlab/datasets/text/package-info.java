/** Text corpora utilities: near-duplicate removal with a Bloom filter over word shingles. */
package dev.paperlab.datasets.text;
