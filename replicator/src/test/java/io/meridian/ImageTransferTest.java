package io.meridian;

import io.meridian.transport.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The receiving side streams an image to disk as it arrives and refuses one past its bound. */
@Timeout(30)
class ImageTransferTest {

    @TempDir
    Path dir;

    @Test
    void chunksGoToDiskAndAnImagePastTheBoundIsDropped() throws IOException {
        ImageTransfer images = new ImageTransfer(null, 0, dir, 3 * ImageTransfer.CHUNK_BYTES);
        images.expectImage();
        byte[] chunk = new byte[ImageTransfer.CHUNK_BYTES];

        assertThat(images.onChunk(new Message.ImageChunk(7, 1, 0, false, chunk))).isNull();
        assertThat(images.onChunk(new Message.ImageChunk(7, 1, 1, false, chunk))).isNull();

        assertThat(images.receivingBytes()).isEqualTo(2L * chunk.length);
        assertThat(files()).hasSize(1);
        assertThat(Files.size(files().get(0))).as("on disk, not in memory").isEqualTo(2L * chunk.length);

        images.onChunk(new Message.ImageChunk(7, 1, 2, false, chunk));
        assertThatThrownBy(() -> images.onChunk(new Message.ImageChunk(7, 1, 3, false, chunk)))
                .isInstanceOf(ImageTransfer.ImageTooLargeException.class).hasMessageContaining("maxImageBytes");
        assertThat(images.imagesTooLarge()).isEqualTo(1);
        assertThat(images.receivingBytes()).isZero();
        assertThat(files()).as("the partial image is removed").isEmpty();
    }

    @Test
    void aStaleFileFromACrashIsRemovedOnStart() throws IOException {
        Files.write(dir.resolve("incoming-1.image"), new byte[10]);

        new ImageTransfer(null, 0, dir, 1024);

        assertThat(files()).isEmpty();
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
