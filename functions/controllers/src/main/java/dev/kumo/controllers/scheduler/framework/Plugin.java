package dev.kumo.controllers.scheduler.framework;

/** A scheduling plugin; it implements one or more of the extension-point interfaces. */
public interface Plugin {
    /** The plugin's name as kube-scheduler's configuration spells it (NodeResourcesFit, TaintToleration, ...). */
    String name();
}
