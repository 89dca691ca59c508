package dev.kumo.controllers.replicaset;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PodSlotsTest {
    @Test
    void namesLookLikeGeneratedNamesAndAreTheSameOnEveryRun() {
        List<String> first = new PodSlots("web-7d9f8", "uid-1").freeNames(Set.of(), 1000);
        List<String> again = new PodSlots("web-7d9f8", "uid-1").freeNames(Set.of(), 1000);

        assertThat(first).isEqualTo(again);
        assertThat(new HashSet<>(first)).hasSize(1000);
        assertThat(first).allMatch(n -> n.matches("web-7d9f8-[bcdfghjklmnpqrstvwxz2456789]{5}"));
    }

    @Test
    void anotherReplicaSetOrAnIncarnationWithTheSameNameGetsOtherNames() {
        List<String> one = new PodSlots("web", "uid-1").freeNames(Set.of(), 50);
        List<String> other = new PodSlots("web", "uid-2").freeNames(Set.of(), 50);

        assertThat(one).doesNotContainAnyElementsOf(other);
    }

    @Test
    void takenNamesAreSkippedAndTheLowestFreeSlotsChosen() {
        PodSlots slots = new PodSlots("web", "uid-1");
        List<String> all = slots.freeNames(Set.of(), 5);

        List<String> free = slots.freeNames(Set.of(all.get(0), all.get(2)), 3);

        assertThat(free).containsExactly(all.get(1), all.get(3), all.get(4));
    }

    @Test
    void aRacerThatSawSomeOfTheOtherRacersPodsPicksASubsetOfItsNames() {
        PodSlots slots = new PodSlots("web", "uid-1");
        Set<String> seen = Set.of("foreign-pod");
        List<String> first = slots.freeNames(seen, 6);
        Set<String> later = new HashSet<>(seen);
        later.add(first.get(1));
        later.add(first.get(4));

        assertThat(first).containsAll(slots.freeNames(later, 4));
    }

    @Test
    void theBaseIsCutTo58CharactersLikeGenerateName() {
        String longName = "a".repeat(80);

        String name = new PodSlots(longName, "uid").freeNames(Set.of(), 1).get(0);

        assertThat(name).hasSize(63).startsWith("a".repeat(58));
        assertThat(PodSlots.prefix("web")).isEqualTo("web-");
    }
}
