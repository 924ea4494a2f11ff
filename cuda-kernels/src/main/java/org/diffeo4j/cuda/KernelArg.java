package org.diffeo4j.cuda;

/**
 * One kernel argument as the driver passes it: a type tag and the value's bits. Tags follow the
 * kernels' C types: {@code P} pointer (a device address), {@code I} int, {@code L} 64-bit integer,
 * {@code D} double. The CPU emulator checks the tags against each kernel's signature.
 */
record KernelArg(char tag, long bits) {
    static KernelArg pointer(long address) {
        return new KernelArg('P', address);
    }

    static KernelArg i32(int value) {
        return new KernelArg('I', value);
    }

    static KernelArg i64(long value) {
        return new KernelArg('L', value);
    }

    static KernelArg f64(double value) {
        return new KernelArg('D', Double.doubleToRawLongBits(value));
    }
}
