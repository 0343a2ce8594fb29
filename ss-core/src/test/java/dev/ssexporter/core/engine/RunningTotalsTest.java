package dev.ssexporter.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunningTotalsTest {

    private static ScrapeStats counted(long netlink, long interruptions, long proc, long resolve, long dropped) {
        return new ScrapeStats(true, null, 0.5, 10, 4, 3, false, netlink, interruptions, proc, resolve, dropped);
    }

    @Test
    void carryReportsTheSharedTotalsAndAddsOnlyWhatTheSourceCountedSinceItsLastReport() {
        RunningTotals totals = RunningTotals.create();
        ScrapeStats first = counted(2, 1, 5, 0, 7);
        assertThat(totals.carry(null, first)).isEqualTo(first);
        ScrapeStats second = counted(3, 1, 5, 1, 7);
        assertThat(totals.carry(first, second)).isEqualTo(second);

        // A replacing source starts its own counts at zero; the reported totals go on from 3, 1, 5, 1, 7.
        ScrapeStats fresh = counted(1, 0, 2, 0, 0);
        ScrapeStats carried = totals.carry(null, fresh);
        assertThat(carried).isEqualTo(counted(4, 1, 7, 1, 7));
        assertThat(carried.socketsSeen()).isEqualTo(10);
        assertThat(totals.carry(fresh, fresh)).isEqualTo(carried);
    }
}
