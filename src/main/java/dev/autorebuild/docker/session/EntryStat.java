package dev.autorebuild.docker.session;

/**
 * One entry of a folder as BuildKit's file transfer describes it.
 *
 * @param path         relative, with {@code /} separators
 * @param mode         Go's {@code os.FileMode} bits (type bits high, permissions low), not the Unix mode
 * @param size         bytes, for files and links; 0 for folders
 * @param modTimeNanos the modification time in epoch nanoseconds: with the size, what the engine
 *                     compares with its copy from the last build to decide whether to ask for the file
 * @param linkname     a symbolic link's target, else empty
 */
record EntryStat(String path, int mode, int uid, int gid, long size, long modTimeNanos, String linkname) {
    static final int GO_DIR = 1 << 31;
    static final int GO_SYMLINK = 1 << 27;
    private static final int GO_SETUID = 1 << 23;
    private static final int GO_SETGID = 1 << 22;
    private static final int GO_STICKY = 1 << 20;
    private static final int UNIX_TYPE = 0170000;
    private static final int UNIX_DIR = 0040000;
    private static final int UNIX_SYMLINK = 0120000;
    private static final int UNIX_REGULAR = 0100000;

    /** Go's mode bits for a Unix {@code st_mode}; -1 for a type the transfer does not carry (devices, pipes, sockets). */
    static int goMode(int unixMode) {
        int mode = unixMode & 0777;
        if ((unixMode & 04000) != 0) {
            mode |= GO_SETUID;
        }
        if ((unixMode & 02000) != 0) {
            mode |= GO_SETGID;
        }
        if ((unixMode & 01000) != 0) {
            mode |= GO_STICKY;
        }
        return switch (unixMode & UNIX_TYPE) {
            case UNIX_DIR -> mode | GO_DIR;
            case UNIX_SYMLINK -> mode | GO_SYMLINK;
            case UNIX_REGULAR -> mode;
            default -> -1;
        };
    }

    boolean isRegularFile() {
        return (mode & (GO_DIR | GO_SYMLINK)) == 0;
    }

    boolean isDirectory() {
        return (mode & GO_DIR) != 0;
    }
}
