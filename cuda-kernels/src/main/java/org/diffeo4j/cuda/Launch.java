package org.diffeo4j.cuda;

import java.util.List;

/**
 * One kernel launch on a one-dimensional grid.
 *
 * @param kernel the extern "C" name, e.g. {@code diffeo_deform_bilinear}; its module is the .cu file named
 *               after the word behind {@code diffeo_}
 * @param grid blocks, >= 1
 * @param block threads per block, 1 .. {@link LaunchGeometry#MAX_THREADS}
 * @param sharedBytes dynamic shared memory per block
 */
record Launch(String kernel, int grid, int block, int sharedBytes, List<KernelArg> args) {
    Launch {
        if (grid < 1 || block < 1 || block > LaunchGeometry.MAX_THREADS || sharedBytes < 0) {
            throw new IllegalArgumentException("launch of " + kernel + " must have grid >= 1, block in 1.."
                    + LaunchGeometry.MAX_THREADS + ", shared >= 0; found grid " + grid + ", block " + block
                    + ", shared " + sharedBytes);
        }
        args = List.copyOf(args);
    }

    /** The .cu file (module) holding the kernel: {@code diffeo_deform_bilinear} is in deform.cu. */
    String module() {
        String rest = kernel.startsWith("diffeo_") ? kernel.substring("diffeo_".length()) : kernel;
        int end = rest.indexOf('_');
        return end < 0 ? rest : rest.substring(0, end);
    }
}
