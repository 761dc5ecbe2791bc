/** Small single-purpose listeners of the harness; each is a DJL {@code TrainingListener}. */
package dev.paperlab.training.listeners;
