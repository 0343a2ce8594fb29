package dev.ssexporter.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcessTableTest {

    @Test
    void ownersSortedAndDeduplicated() {
        ProcessTable t = ProcessTable.builder()
                .process(300, "c", null).process(1, "a", null).process(20, "b", "bee")
                .socket(5, 300).socket(5, 1).socket(5, 20).socket(5, 1)
                .build();
        SocketOwners o = t.owners(5);
        assertThat(o.size()).isEqualTo(3);
        assertThat(o.pidList()).isEqualTo("1,20,300");
        assertThat(o.get(0).comm()).isEqualTo("a");
        assertThat(o.get(1).exeName()).isEqualTo("bee");
        assertThat(o).hasToString("SocketOwners[1,20,300]");
    }

    @Test
    void singleOwnerInstancesAreShared() {
        ProcessTable t = ProcessTable.builder().process(9, "x", "x").socket(1, 9).socket(2, 9).socket(3, 9).build();
        assertThat(t.owners(1)).isSameAs(t.owners(2)).isSameAs(t.owners(3));
        assertThat(t.socketCount()).isEqualTo(3);
        assertThat(t.processCount()).isEqualTo(1);
    }

    @Test
    void aSecondOwnerOfOneSocketLeavesTheOthersAlone() {
        // one-owner sockets share their pid's owner array; adding an owner must copy it
        ProcessTable t = ProcessTable.builder().process(9, "x", "x").process(3, "y", null)
                .socket(1, 9).socket(2, 9).socket(2, 3).socket(4, 3).socket(5, 9)
                .build();
        assertThat(t.owners(1).pidList()).isEqualTo("9");
        assertThat(t.owners(2).pidList()).isEqualTo("3,9");
        assertThat(t.owners(4).pidList()).isEqualTo("3");
        assertThat(t.owners(5)).isSameAs(t.owners(1));
        assertThat(t.processCount()).isEqualTo(2);
        ProcessTable onlyShared = ProcessTable.builder().process(1, "a", null).process(2, "b", null)
                .socket(7, 1).socket(7, 2).build();
        assertThat(onlyShared.processCount()).as("pids holding only shared sockets still count").isEqualTo(2);
    }

    @Test
    void unknownInodes() {
        ProcessTable t = ProcessTable.builder().process(9, "x", "x").socket(1, 9).skipped(2).skipped(1).build();
        assertThat(t.owners(0).isEmpty()).isTrue();
        assertThat(t.owners(-5).isEmpty()).isTrue();
        assertThat(t.owners(2)).isSameAs(SocketOwners.none());
        assertThat(t.owners(2).pidList()).isEmpty();
        assertThat(t.skipped()).isEqualTo(3);
        assertThat(ProcessTable.empty().owners(1).isEmpty()).isTrue();
        assertThat(ProcessTable.empty().skipped()).isZero();
    }

    @Test
    void manySocketsGrowTheMap() {
        ProcessTable.Builder b = ProcessTable.builder().process(1, "a", null).process(2, "b", null);
        for (long inode = 1; inode <= 10_000; inode++) {
            b.socket(inode * 7919, inode % 3 == 0 ? 2 : 1);
        }
        ProcessTable t = b.build();
        assertThat(t.socketCount()).isEqualTo(10_000);
        for (long inode = 1; inode <= 10_000; inode++) {
            assertThat(t.owners(inode * 7919).get(0).pid()).isEqualTo(inode % 3 == 0 ? 2 : 1);
        }
        assertThat(t.owners(7918).isEmpty()).isTrue();
    }

    @Test
    void rejectsInconsistentInput() {
        assertThatThrownBy(() -> ProcessTable.builder().socket(5, 42).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("socket 5 names pid 42, which was not recorded");
        assertThatThrownBy(() -> ProcessTable.builder().socket(0, 1)).hasMessage("socket inode 0 is not positive");
        assertThatThrownBy(() -> ProcessTable.builder().skipped(-1)).hasMessage("skipped count -1 is negative");
        assertThatThrownBy(() -> ProcessTable.builder().process(0, "x", null)).hasMessage("pid 0 is not positive");
    }
}
