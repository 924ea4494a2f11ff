package org.diffeo4j.cuda;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@link Device} backed by the CPU emulator of the kernels (src/test/cpp, built by Maven into
 * target/emu/cuda-emu): the real .cu sources run under g++ with fibers for GPU threads, so the whole
 * host side — launch geometry, shared-memory tiles, chunking, argument lists (checked against
 * each kernel's C signature) — is tested against the Java reference without a GPU. What it cannot
 * test: JCuda itself, the driver, real concurrency between blocks, the GPU's libm.
 */
final class EmulatedDevice implements Device {
    private final Process process;
    private final OutputStream out;
    private final DataInputStream in;
    private final DeviceLimits limits;

    /** @param sharedPerBlock what the emulated GPU offers (48 KB on every real one) */
    EmulatedDevice(int multiprocessors, int sharedPerBlock) {
        Path exe = executable();
        try {
            process = new ProcessBuilder(exe.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting the kernel emulator " + exe, e);
        }
        out = new BufferedOutputStream(process.getOutputStream(), 1 << 20);
        in = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 20));
        limits = new DeviceLimits(multiprocessors, sharedPerBlock, 1L << 34);
    }

    /** The emulator binary, or null when the build did not make it (no g++). */
    static Path executableOrNull() {
        String p = System.getProperty("diffeo4j.cuda.emulator", "target/emu/cuda-emu");
        Path path = Path.of(p);
        return Files.isExecutable(path) ? path : null;
    }

    private static Path executable() {
        Path p = executableOrNull();
        if (p == null) {
            throw new IllegalStateException("kernel emulator not built (target/emu/cuda-emu): run mvn test-compile");
        }
        return p;
    }

    @Override
    public String describe() {
        return "CPU emulator of the CUDA kernels";
    }

    @Override
    public DeviceLimits limits() {
        return limits;
    }

    @Override
    public synchronized long alloc(long bytes) {
        send(request('A', 8).putLong(bytes));
        expectOk("alloc");
        return readLong();
    }

    @Override
    public synchronized void free(long address) {
        send(request('F', 8).putLong(address));
        expectOk("free");
    }

    @Override
    public synchronized void upload(long dst, float[] src, int from, int count) {
        ByteBuffer b = request('U', 16 + 4L * count).putLong(dst).putLong(4L * count);
        b.asFloatBuffer().put(src, from, count);
        b.position(b.position() + 4 * count);
        send(b);
        expectOk("upload");
    }

    @Override
    public synchronized void download(float[] dst, int from, long src, int count) {
        ByteBuffer b = fetch(src, 4L * count);
        b.asFloatBuffer().get(dst, from, count);
    }

    @Override
    public synchronized void download(double[] dst, int from, long src, int count) {
        ByteBuffer b = fetch(src, 8L * count);
        b.asDoubleBuffer().get(dst, from, count);
    }

    private ByteBuffer fetch(long src, long bytes) {
        send(request('D', 16).putLong(src).putLong(bytes));
        expectOk("download");
        byte[] data = new byte[Math.toIntExact(bytes)];
        try {
            in.readFully(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public synchronized void launch(Launch l) {
        byte[] name = l.kernel().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = request('L', 4 + name.length + 16 + 9L * l.args().size());
        b.putInt(name.length).put(name).putInt(l.grid()).putInt(l.block()).putInt(l.sharedBytes()).putInt(l.args().size());
        for (KernelArg a : l.args()) {
            b.put((byte) a.tag()).putLong(a.bits());
        }
        send(b);
        expectOk("launch of " + l.kernel());
    }

    @Override
    public void synchronize() {
        // every request is answered after it has run
    }

    @Override
    public synchronized void close() {
        try {
            out.write('Q');
            out.flush();
        } catch (IOException e) {
            // already gone
        }
        process.destroy();
    }

    private static ByteBuffer request(char op, long payload) {
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(1 + payload)).order(ByteOrder.LITTLE_ENDIAN);
        return b.put((byte) op);
    }

    private void send(ByteBuffer b) {
        try {
            out.write(b.array(), 0, b.position());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("kernel emulator went away", e);
        }
    }

    private void expectOk(String what) {
        int status = readInt();
        if (status != 0) {
            int n = readInt();
            byte[] msg = new byte[n];
            try {
                in.readFully(msg);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            throw new IllegalStateException("emulator: " + what + " failed: " + new String(msg, StandardCharsets.UTF_8));
        }
    }

    private int readInt() {
        try {
            return Integer.reverseBytes(in.readInt());
        } catch (IOException e) {
            throw new UncheckedIOException("kernel emulator went away (crashed? see stderr)", e);
        }
    }

    private long readLong() {
        try {
            return Long.reverseBytes(in.readLong());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
