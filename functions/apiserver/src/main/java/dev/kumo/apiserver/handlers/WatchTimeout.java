package dev.kumo.apiserver.handlers;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long a watch streams before the server ends it. {@code timeoutSeconds} when the client gives one; when it gives
 * none or 0, kube-apiserver's default: its {@code --min-request-timeout} (1800 s) times a random factor in [1, 2),
 * which spreads the reconnects of watches started together. Without a bound, a watch whose client left unnoticed
 * would be served forever.
 */
final class WatchTimeout {
    static final Duration MIN_REQUEST_TIMEOUT = Duration.ofSeconds(1800);

    private WatchTimeout() {
    }

    static Duration of(Long timeoutSeconds, RandomGenerator random) {
        if (timeoutSeconds == null || timeoutSeconds == 0) {
            return Duration.ofMillis((long) (MIN_REQUEST_TIMEOUT.toMillis() * (1 + random.nextDouble())));
        }
        return Duration.ofSeconds(timeoutSeconds);
    }
}
