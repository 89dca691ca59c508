package dev.kumo.controllers.scheduler.helper;

/** kube-scheduler's {@code helper.DefaultNormalizeScore}. */
public final class ScoreNormalizer {
    private ScoreNormalizer() {
    }

    /**
     * Scales scores to 0..{@code maxPriority} relative to the highest; with {@code reverse}, high raw scores become low.
     * All zero: all {@code maxPriority} when reversed, else left at zero.
     */
    public static void defaultNormalize(long maxPriority, boolean reverse, long[] scores) {
        long max = 0;
        for (long score : scores) {
            max = Math.max(max, score);
        }
        if (max == 0) {
            if (reverse) {
                java.util.Arrays.fill(scores, maxPriority);
            }
            return;
        }
        for (int i = 0; i < scores.length; i++) {
            long score = maxPriority * scores[i] / max;
            scores[i] = reverse ? maxPriority - score : score;
        }
    }
}
