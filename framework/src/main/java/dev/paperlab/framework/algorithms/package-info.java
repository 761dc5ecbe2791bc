/** Classic algorithms used across the framework; one sub-package per algorithm family. */
package dev.paperlab.framework.algorithms;
