package dev.kumo.controllers.scheduler.plugins.interpodaffinity;

/** A topology domain: a label key and the value nodes of the domain share. */
record TopologyPair(String key, String value) {
}
