/** Reusable building blocks with no knowledge of any particular model. */
package dev.paperlab.framework;
