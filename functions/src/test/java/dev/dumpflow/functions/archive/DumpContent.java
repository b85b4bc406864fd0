package dev.dumpflow.functions.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** What the sidecar stand-in serves: a file, or bytes generated on the fly. */
interface DumpContent {

    long size();

    /** The bytes from {@code from} to the end. */
    InputStream open(long from) throws IOException;

    static DumpContent of(Path file) {
        return new DumpContent() {
            @Override
            public long size() {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public InputStream open(long from) throws IOException {
                InputStream in = Files.newInputStream(file);
                in.skipNBytes(from);
                return in;
            }
        };
    }

    /**
     * {@code size} bytes that compress moderately, as a heap dump does: records of a few random
     * bytes among repeated structure, generated block by block and never stored.
     */
    static DumpContent generated(long size, long seed) {
        return new DumpContent() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public InputStream open(long from) {
                return new GeneratedStream(size, seed, from);
            }
        };
    }

    /** Writes generated content to a file, for tests that want it at rest. */
    static Path write(DumpContent content, Path file) throws IOException {
        try (InputStream in = content.open(0)) {
            Files.copy(in, file);
        }
        return file;
    }

    static String sha256(InputStream in) throws IOException {
        try (in) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                sha.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Generates 64 KiB blocks deterministically from the seed and the block's index. */
    final class GeneratedStream extends InputStream {
        private static final int BLOCK = 1 << 16;
        private final long size;
        private final long seed;
        private final byte[] block = new byte[BLOCK];
        private long position;
        private long blockIndex = -1;

        GeneratedStream(long size, long seed, long from) {
            this.size = size;
            this.seed = seed;
            this.position = from;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) {
            if (position >= size) {
                return -1;
            }
            long index = position / BLOCK;
            if (index != blockIndex) {
                fill(index);
            }
            int inBlock = (int) (position % BLOCK);
            int n = (int) Math.min(Math.min(length, BLOCK - inBlock), size - position);
            System.arraycopy(block, inBlock, target, offset, n);
            position += n;
            return n;
        }

        private void fill(long index) {
            SplittableRandom random = new SplittableRandom(seed * 31 + index);
            int i = 0;
            while (i < BLOCK) {
                // An "object": a header-like constant, an id, a few random fields, zero padding.
                int len = Math.min(BLOCK - i, 16 + random.nextInt(48));
                for (int j = 0; j < len; j++) {
                    int k = i + j;
                    if (j < 4) {
                        block[k] = (byte) (0x21 + j);
                    } else if (j < 8) {
                        block[k] = (byte) (index >> (8 * (j - 4)));
                    } else if (j % 3 == 0) {
                        block[k] = (byte) random.nextInt(256);
                    } else {
                        block[k] = 0;
                    }
                }
                i += len;
            }
            blockIndex = index;
        }
    }
}
