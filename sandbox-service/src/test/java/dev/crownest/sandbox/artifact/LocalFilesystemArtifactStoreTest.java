package dev.crownest.sandbox.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local artifact store on a real directory: digests, limits, atomic replacement under concurrency, key hygiene. */
class LocalFilesystemArtifactStoreTest {

    @TempDir
    Path root;

    @Test
    void aPutStoresTheBytesAndAnswersTheirSizeAndSha256() throws Exception {
        var store = new LocalFilesystemArtifactStore(root);
        byte[] content = randomBytes(300_000, 1); // several buffers' worth

        var stored = store.put("ten_a/sbx_b/art_c", new ByteArrayInputStream(content), 1_000_000);

        assertThat(stored.size()).isEqualTo(content.length);
        assertThat(stored.sha256()).isEqualTo(sha256(content));
        assertThat(Files.readAllBytes(root.resolve("ten_a/sbx_b/art_c"))).isEqualTo(content);
        try (InputStream in = store.get("ten_a/sbx_b/art_c").orElseThrow()) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
        assertThat(store.get("ten_a/sbx_b/art_none")).isEmpty();
        assertThat(store.put("ten_a/sbx_b/empty", InputStream.nullInputStream(), 10)
                        .sha256())
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        store.delete("ten_a/sbx_b/art_c");
        store.delete("ten_a/sbx_b/art_c"); // a missing object is fine
        assertThat(store.get("ten_a/sbx_b/art_c")).isEmpty();
    }

    @Test
    void oneByteOverTheLimitStoresNothing() throws Exception {
        var store = new LocalFilesystemArtifactStore(root);
        assertThat(store.put("t/s/exact", new ByteArrayInputStream(new byte[1000]), 1000)
                        .size())
                .isEqualTo(1000);

        assertThatThrownBy(() -> store.put("t/s/over", new ByteArrayInputStream(new byte[1001]), 1000))
                .isInstanceOf(ArtifactStore.TooLarge.class);

        assertThat(store.get("t/s/over")).isEmpty();
        assertThat(incoming()).isEmpty();
    }

    @Test
    void aStreamThatBreaksHalfWayLeavesNoObjectAndKeepsThePreviousOne() throws Exception {
        var store = new LocalFilesystemArtifactStore(root);
        byte[] first = randomBytes(1000, 2);
        store.put("t/s/a", new ByteArrayInputStream(first), 1_000_000);
        InputStream breaking = new InputStream() {
            int sent;

            @Override
            public int read() throws IOException {
                if (sent++ > 100_000) {
                    throw new IOException("connection reset");
                }
                return 7;
            }
        };

        assertThatThrownBy(() -> store.put("t/s/a", breaking, 1_000_000)).hasMessageContaining("connection reset");

        try (InputStream in = store.get("t/s/a").orElseThrow()) {
            assertThat(in.readAllBytes()).isEqualTo(first);
        }
        assertThat(incoming()).isEmpty();
    }

    /**
     * Writers replace one key over and over with contents of different sizes while readers read it:
     * every read is one whole content (a prefix or a mix would mean a torn object), and so is the end.
     */
    @Test
    void concurrentPutsOfOneKeyNeverShowAReaderAHalfWrittenObject() throws Exception {
        var store = new LocalFilesystemArtifactStore(root);
        List<byte[]> contents = new ArrayList<>();
        Set<String> digests = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 6; i++) {
            byte[] content = randomBytes(50_000 + i * 40_000, 10 + i);
            contents.add(content);
            digests.add(sha256(content));
        }
        store.put("t/s/shared", new ByteArrayInputStream(contents.getFirst()), 1_000_000);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 40; i++) {
                        byte[] content = contents.get((writer + i) % contents.size());
                        var stored = store.put("t/s/shared", new ByteArrayInputStream(content), 1_000_000);
                        assertThat(stored.sha256()).isEqualTo(sha256(content));
                    }
                    return null;
                }));
            }
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                readers.add(pool.submit(() -> {
                    start.await();
                    while (writing.get()) {
                        try (InputStream in = store.get("t/s/shared").orElseThrow()) {
                            assertThat(digests).contains(sha256(in.readAllBytes()));
                        }
                        reads.incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> writer : writers) {
                writer.get();
            }
            writing.set(false);
            for (Future<?> reader : readers) {
                reader.get();
            }
        } finally {
            pool.shutdownNow();
        }
        try (InputStream in = store.get("t/s/shared").orElseThrow()) {
            assertThat(digests).contains(sha256(in.readAllBytes()));
        }
        assertThat(reads.get()).as("readers ran during the writes").isPositive();
        assertThat(incoming()).isEmpty();
    }

    @Test
    void concurrentPutsOfManyKeysEachKeepTheirOwnBytes() throws Exception {
        var store = new LocalFilesystemArtifactStore(root);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> puts = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                int n = i;
                puts.add(pool.submit(() -> store.put(
                                "t/s/art_" + n, new ByteArrayInputStream(randomBytes(10_000 + n, n)), 1_000_000)
                        .sha256()));
            }
            for (int i = 0; i < 64; i++) {
                assertThat(puts.get(i).get()).isEqualTo(sha256(randomBytes(10_000 + i, i)));
                try (InputStream in = store.get("t/s/art_" + i).orElseThrow()) {
                    assertThat(sha256(in.readAllBytes())).isEqualTo(puts.get(i).get());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void keysNeverLeaveTheRoot() throws Exception {
        var store = new LocalFilesystemArtifactStore(root);
        for (String key : List.of(
                "../x", "t/../../x", "t//x", "/etc/passwd", ".", "t/./x", "t/.hidden", "", "t/x/", "t\\..\\x")) {
            assertThatThrownBy(() -> store.put(key, new ByteArrayInputStream(new byte[1]), 10))
                    .as(key)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(ArtifactKeys.of("ten/../x", "sbx_1", "art_2")).isEqualTo("ten_.._x/sbx_1/art_2");
        assertThat(store.put(ArtifactKeys.of("it-ä/x", ".sbx", "art_2"), new ByteArrayInputStream(new byte[1]), 10)
                        .size())
                .isEqualTo(1);
        try (var files = Files.walk(root)) {
            assertThat(files.filter(Files::isRegularFile).allMatch(p -> p.startsWith(root)))
                    .isTrue();
        }
    }

    @Test
    void leftoversOfAnInterruptedPutAreRemovedAtStart() throws Exception {
        new LocalFilesystemArtifactStore(root);
        Files.write(root.resolve(".incoming/crashed-put"), new byte[100]);

        new LocalFilesystemArtifactStore(root);

        assertThat(incoming()).isEmpty();
    }

    private List<Path> incoming() throws IOException {
        try (var files = Files.list(root.resolve(".incoming"))) {
            return files.toList();
        }
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
