package dev.autorebuild.fs;

import dev.autorebuild.core.DockerName;
import dev.autorebuild.core.content.BuiltRecord;
import dev.autorebuild.core.content.FileFingerprint;
import dev.autorebuild.core.content.FileTable;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What each component's image was last built from, one file per component under {@code .dab/built/}:
 * its content digest and every file's SHA-256. Written after each build to a temp file, flushed to
 * disk, then renamed over the old one, so a crash (or SIGKILL, or a full disk) at any moment leaves
 * either the old record or the new one, never half of one; a last line with the count catches a file
 * that was cut anyway. On the next start the daemon compares it with the files as they are now to say
 * what changed while it was not running.
 */
public final class BuiltRecords {
    private static final String HEADER = "auto-rebuild built-content 1";
    private static final String TEMP_SUFFIX = ".tmp";
    private final Path dir;

    public BuiltRecords(Path dabDir) {
        this.dir = dabDir.resolve("built");
    }

    public Path dir() {
        return dir;
    }

    /** Removes the temp files a crash left behind and the records of components not in {@code components}. */
    public void removeAllBut(Set<String> components) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        Set<Path> kept = components.stream().map(this::fileOf).collect(Collectors.toSet());
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                if (!kept.contains(file)) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    public Path fileOf(String component) {
        return dir.resolve(DockerName.sanitize(component));
    }

    public void write(BuiltRecord record) throws IOException {
        Files.createDirectories(dir);
        Path target = fileOf(record.component());
        Path temp = Files.createTempFile(dir, "." + target.getFileName(), TEMP_SUFFIX);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                BufferedWriter out = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8));
                out.write(HEADER + "\n");
                out.write("component " + encode(record.component()) + "\n");
                out.write("digest " + record.digest() + "\n");
                for (int i = 0; i < record.files().size(); i++) {
                    out.write(record.files().fingerprint(i) + " " + encode(record.files().path(i)) + "\n");
                }
                out.write("end " + record.files().size() + "\n");
                out.flush();
                channel.force(true); // on disk before the rename makes it the record
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * The component's record, or empty when there is none.
     *
     * @throws IOException when the file exists but is not a whole record (the message says what is wrong)
     */
    public Optional<BuiltRecord> read(String component) throws IOException {
        Path file = fileOf(component);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.size() < 4 || !lines.get(0).equals(HEADER) || !lines.get(1).startsWith("component ")
                || !lines.get(2).startsWith("digest ") || !lines.get(lines.size() - 1).startsWith("end ")) {
            throw new IOException(file + " is not a record auto-rebuild wrote (or was cut short)");
        }
        String recorded = decode(lines.get(1).substring("component ".length()));
        if (!recorded.equals(component)) {
            throw new IOException(file + " is the record of " + recorded + ", not of " + component);
        }
        SortedMap<String, FileFingerprint> files = new TreeMap<>();
        HexFormat hex = HexFormat.of();
        for (int i = 3; i < lines.size() - 1; i++) {
            String line = lines.get(i);
            int space = line.indexOf(' ');
            try {
                files.put(decode(line.substring(space + 1)), FileFingerprint.of(hex.parseHex(line.substring(0, space))));
            } catch (RuntimeException e) {
                throw new IOException(file + " line " + (i + 1) + " is not a file's digest and path: " + e.getMessage(), e);
            }
        }
        String count = lines.get(lines.size() - 1).substring("end ".length());
        if (!count.equals(Integer.toString(files.size()))) {
            throw new IOException(file + " says it holds " + count + " files but holds " + files.size());
        }
        return Optional.of(new BuiltRecord(component, lines.get(2).substring("digest ".length()), FileTable.of(files)));
    }

    /** Paths may hold spaces, newlines or any other character: percent-encoded, one per line. */
    private static String encode(String path) {
        return URLEncoder.encode(path, StandardCharsets.UTF_8);
    }

    private static String decode(String encoded) {
        return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
    }
}
