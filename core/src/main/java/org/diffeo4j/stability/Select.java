package org.diffeo4j.stability;

/** In-place selection of the k-th smallest value (Hoare's quickselect, median-of-three pivot). */
final class Select {
    private Select() {
    }

    /** The value of rank {@code k} (0-based) among {@code v[0 .. n)}; reorders that range. */
    static double kth(double[] v, int n, int k) {
        if (k < 0 || k >= n) {
            throw new IllegalArgumentException("rank must lie in [0, " + n + "), found " + k);
        }
        int lo = 0, hi = n - 1;
        while (hi > lo) {
            int mid = (lo + hi) >>> 1;
            // Order v[lo], v[mid], v[hi] so the pivot is their median (guards sorted input).
            if (v[mid] < v[lo]) {
                swap(v, mid, lo);
            }
            if (v[hi] < v[lo]) {
                swap(v, hi, lo);
            }
            if (v[hi] < v[mid]) {
                swap(v, hi, mid);
            }
            double pivot = v[mid];
            int i = lo, j = hi;
            while (i <= j) {
                while (v[i] < pivot) {
                    i++;
                }
                while (v[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    swap(v, i++, j--);
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return v[k];
            }
        }
        return v[k];
    }

    private static void swap(double[] v, int a, int b) {
        double t = v[a];
        v[a] = v[b];
        v[b] = t;
    }
}
