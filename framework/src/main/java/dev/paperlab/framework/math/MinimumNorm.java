package dev.paperlab.framework.math;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/** Minimum-norm least squares {@code x = A^+ b} through EJML's SVD pseudo-inverse. */
final class MinimumNorm {

    private MinimumNorm() {}

    /** {@code argmin ||x||} among the minimisers of {@code ||A x - b||}. */
    static DMatrixRMaj solve(DMatrixRMaj a, DMatrixRMaj b) {
        DMatrixRMaj pinv = new DMatrixRMaj(a.numCols, a.numRows);
        CommonOps_DDRM.pinv(a, pinv);
        DMatrixRMaj x = new DMatrixRMaj(a.numCols, b.numCols);
        CommonOps_DDRM.mult(pinv, b, x);
        return x;
    }
}
