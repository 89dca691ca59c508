package dev.kumo.controllers.scheduler.framework;

/** A preferred pod (anti-)affinity term with its weight. */
public record WeightedAffinityTerm(AffinityTerm term, int weight) {
}
