package dev.autorebuild.core.content;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ComponentContentTest {
    private static FileFingerprint fp(int n) {
        return new FileFingerprint(n, n, n, n);
    }

    private ComponentContent builtWith(String path, FileFingerprint value) {
        ComponentContent content = new ComponentContent();
        content.record(path, value);
        content.markBuilt(content.snapshot());
        return content;
    }

    @Test
    void theContainersView_followsSyncs_andUndoesASyncedFileThatIsDeletedOrChangedBack() {
        ComponentContent content = builtWith("a", fp(1));
        content.record("new", fp(5));
        content.record("a", fp(2));
        assertThat(content.unsynced()).isEqualTo(java.util.Map.of("new", true, "a", true));
        content.markSynced(java.util.List.of("new", "a"));
        assertThat(content.unsynced()).as("the container holds both now").isEmpty();
        assertThat(content.isDirty()).as("the image does not").isTrue();

        content.record("new", null);
        content.record("a", fp(1));
        assertThat(content.isDirty()).as("the files are as the image has them again").isFalse();
        assertThat(content.unsynced()).as("but the container still holds the synced versions").isEqualTo(java.util.Map.of("new", false, "a", true));
        content.markSynced(java.util.List.of("new", "a"));
        assertThat(content.unsynced()).isEmpty();

        content.record("b", fp(7));
        content.markSynced(java.util.List.of("b"));
        content.markBuilt(content.snapshot());
        assertThat(content.unsynced()).as("a build holds every file: nothing of the syncs is left to track").isEmpty();
    }

    @Test
    void sameContentAgain_isNotAChange() {
        ComponentContent content = builtWith("a", fp(1));
        assertThat(content.record("a", fp(1))).isFalse();
        assertThat(content.isDirty()).isFalse();
    }

    @Test
    void realChangeFollowedByNoOpWriteOfAnotherFile_isStillAChange() {
        ComponentContent content = builtWith("a", fp(1));
        content.record("b", fp(2));
        content.markBuilt(content.snapshot());
        content.record("a", fp(9));      // real change
        content.record("b", fp(2));      // no-op write after it in the same window
        assertThat(content.isDirty()).isTrue();
    }

    @Test
    void changeThenRevert_isNoChange() {
        ComponentContent content = builtWith("a", fp(1));
        content.record("a", fp(2));
        content.record("a", fp(1));
        assertThat(content.isDirty()).isFalse();
    }

    @Test
    void deletion_andForgetMissing_areChanges() {
        ComponentContent content = new ComponentContent();
        content.record("dir/x", fp(1));
        content.record("dir/y", fp(2));
        content.record("other", fp(3));
        content.markBuilt(content.snapshot());
        content.forgetMissingUnder("dir", Set.of("dir/x"));
        assertThat(content.isDirty()).isTrue();
        assertThat(content.snapshot().files().paths()).containsExactly("dir/x", "other");
    }

    @Test
    void changeDuringBuild_staysDirtyAfterTheBuild() {
        ComponentContent content = builtWith("a", fp(1));
        content.record("a", fp(2));
        BuildSnapshot building = content.snapshot();
        content.record("a", fp(3)); // saved while the build runs
        content.markBuilt(building);
        assertThat(content.isDirty()).isTrue();
        assertThat(content.snapshot().changedFiles()).isEqualTo(1);
    }

    @Test
    void digest_dependsOnContentNotOrder() {
        ComponentContent one = new ComponentContent();
        one.record("a", fp(1));
        one.record("b", fp(2));
        ComponentContent two = new ComponentContent();
        two.record("b", fp(2));
        two.record("a", fp(1));
        assertThat(one.snapshot().digest()).isEqualTo(two.snapshot().digest()).startsWith("sha256:");
        two.record("a", fp(5));
        assertThat(one.snapshot().digest()).isNotEqualTo(two.snapshot().digest());
    }

    @Test
    void forgetMissingUnder_aFolder_leavesSiblingsWithASharedPrefixAlone() {
        ComponentContent content = new ComponentContent();
        content.record("dir", fp(1));       // a file named like the folder's prefix
        content.record("dir-2/x", fp(2));   // '-' sorts before '/'
        content.record("dir/a", fp(3));
        content.record("dir/sub/b", fp(4));
        content.record("dir0", fp(5));      // '0' sorts right after '/'
        content.forgetMissingUnder("dir", Set.of("dir/a"));
        assertThat(content.snapshot().files().paths()).containsExactly("dir-2/x", "dir/a", "dir0");
    }

    /** A workspace at rest holds its files once: what is observed and what the image holds are one table. */
    @Test
    void atRest_theObservedAndTheBuiltFilesAreOneTable() {
        ComponentContent content = builtWith("a", fp(1));
        BuildSnapshot built = content.snapshot();
        assertThat(content.snapshot().files()).isSameAs(built.files());

        content.record("a", fp(2));
        BuildSnapshot next = content.snapshot();
        assertThat(next.files()).isNotSameAs(built.files());
        content.markBuilt(next);
        assertThat(content.snapshot().files()).isSameAs(next.files());
    }

    /** Thousands of records cross the point where changes are packed into the table, several times over. */
    @Test
    void manyRecords_packedAlongTheWay_keepEveryChangeAndDeletion() {
        ComponentContent content = new ComponentContent();
        for (int i = 0; i < 20_000; i++) {
            content.record("src/f" + i, fp(i));
        }
        content.markBuilt(content.snapshot());
        assertThat(content.isDirty()).isFalse();

        for (int i = 0; i < 20_000; i += 2) {
            content.record("src/f" + i, i % 4 == 0 ? fp(-i) : null); // every 4th changed, every other even one deleted
        }
        content.forgetMissingUnder("src", java.util.Set.of()); // then the whole folder is gone
        content.record("src/f1", fp(1)); // one file back, as the image has it
        content.record("src/new", fp(1));

        BuildSnapshot now = content.snapshot();
        assertThat(now.files().paths()).containsExactly("src/f1", "src/new");
        assertThat(now.changedFiles()).as("all files but src/f1 differ from the image, src/new was never in it").isEqualTo(19_999 + 1);
        content.record("src/new", null);
        assertThat(content.snapshot().changedFiles()).isEqualTo(19_999);
    }
}
